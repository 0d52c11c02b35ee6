"""Search of the directory: the text typed in "Trouver ma caisse" -> the funds it points to.

The directory is small (about a hundred funds and a few hundred offices), so a search loads it
whole in two queries and matches in Python: the number of queries never depends on the result.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Prefetch

from directory.models import Fund, Office
from directory.rules import (
    UnknownPostcode,
    department_for_postcode,
    normalise_department_code,
    normalise_text,
)

MIN_LENGTH = 2  # one letter names nothing; one digit is a département code, handled before
MAX_LENGTH = 100
# Abbreviations of the seed ("Alpes de Hte Provence") and of people ("St Etienne").
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "hte": "haute", "htes": "hautes"}


class SearchOutcome(StrEnum):
    EMPTY = "empty"  # nothing typed
    TOO_SHORT = "too_short"  # fewer than MIN_LENGTH letters, and no département code
    UNKNOWN_POSTCODE = "unknown_postcode"  # digits that are no postcode of a French département
    NOT_COVERED = "not_covered"  # a real overseas code (975-978) no fund of the directory covers
    NOT_FOUND = "not_found"  # a name that matches no fund
    FOUND = "found"


class MatchedBy(StrEnum):
    POSTCODE = "postcode"
    DEPARTMENT_CODE = "department_code"
    NAME = "name"


@dataclass(frozen=True)
class SearchResult:
    query: str  # the text as searched: spaces collapsed, cut at MAX_LENGTH
    outcome: SearchOutcome
    matched_by: MatchedBy | None = None
    department_code: str = ""  # from a postcode or a code, also when NOT_COVERED
    funds: tuple[Fund, ...] = ()  # exact name matches first, then in département order
    offices: tuple[Office, ...] = ()  # offices whose city (name search) or postcode matched

    @property
    def single_fund(self) -> Fund | None:
        """The fund a postcode or a département code designates; None for a name search."""
        if self.matched_by in {MatchedBy.POSTCODE, MatchedBy.DEPARTMENT_CODE} and self.funds:
            return self.funds[0]
        return None


def search_directory(text: str) -> SearchResult:
    """The funds meant by a postcode ("69003"), a département code ("2a") or a place name.

    Input errors (empty, too short, not a postcode) cost no query; any lookup costs two.
    """
    query = " ".join(text.split())[:MAX_LENGTH]
    compact = query.replace(" ", "")  # "69 003" is how some people write 69003
    if not query:
        return SearchResult(query, SearchOutcome.EMPTY)
    if compact.isdigit() and len(compact) == 5:
        try:
            code = department_for_postcode(compact)
        except UnknownPostcode:
            return SearchResult(query, SearchOutcome.UNKNOWN_POSTCODE)
        return by_postcode(query, compact, code, load_funds())
    code = normalise_department_code(query)
    if code is not None:
        return by_department(query, code, load_funds())
    if compact.isdigit():
        return SearchResult(query, SearchOutcome.UNKNOWN_POSTCODE)
    words = search_words(query)
    if len("".join(words)) < MIN_LENGTH:
        return SearchResult(query, SearchOutcome.TOO_SHORT)
    return by_name(query, words, load_funds())


def load_funds() -> list[Fund]:
    offices = Office.objects.order_by("city", "pk")
    return list(Fund.objects.prefetch_related(Prefetch("offices", queryset=offices)))


def by_postcode(query: str, postcode: str, code: str, funds: Sequence[Fund]) -> SearchResult:
    # A CEDEX code belongs to an organisation and may not follow the usual ranges: an office
    # that has the postcode wins over the rule's code.
    for fund in funds:
        offices = tuple(office for office in fund.offices.all() if office.postcode == postcode)
        if offices:
            return SearchResult(
                query,
                SearchOutcome.FOUND,
                MatchedBy.POSTCODE,
                department_code=fund.department_code,
                funds=(fund,),
                offices=offices,
            )
    return by_department(query, code, funds, MatchedBy.POSTCODE)


def by_department(
    query: str, code: str, funds: Sequence[Fund], matched_by: MatchedBy = MatchedBy.DEPARTMENT_CODE
) -> SearchResult:
    fund = next((fund for fund in funds if fund.department_code == code), None)
    if fund is None:
        return SearchResult(query, SearchOutcome.NOT_COVERED, matched_by, department_code=code)
    return SearchResult(query, SearchOutcome.FOUND, matched_by, code, funds=(fund,))


def by_name(query: str, words: tuple[str, ...], funds: Sequence[Fund]) -> SearchResult:
    ranked: list[tuple[bool, str, Fund]] = []
    offices: list[Office] = []
    for fund in funds:
        names = [search_words(name) for name in (fund.department_name, fund.seed_label, fund.name)]
        matched_offices = [
            office for office in fund.offices.all() if words_match(words, search_words(office.city))
        ]
        if matched_offices or any(words_match(words, name) for name in names):
            is_exact = words in names or any(town_words(o.city) == words for o in matched_offices)
            ranked.append((not is_exact, fund.sort_key, fund))
            offices.extend(matched_offices)
    if not ranked:
        return SearchResult(query, SearchOutcome.NOT_FOUND, MatchedBy.NAME)
    ranked.sort(key=lambda entry: entry[:2])
    return SearchResult(
        query,
        SearchOutcome.FOUND,
        MatchedBy.NAME,
        funds=tuple(fund for _, _, fund in ranked),
        offices=tuple(offices),
    )


def search_words(text: str) -> tuple[str, ...]:
    """ "Saint-Étienne", "ST ETIENNE" -> ("saint", "etienne"): how two names are compared."""
    return tuple(ABBREVIATIONS.get(word, word) for word in normalise_text(text).split())


def town_words(city: str) -> tuple[str, ...]:
    """ "LYON CEDEX 06" -> ("lyon",): the town a person would type, without the CEDEX part."""
    words = search_words(city)
    return words[: words.index("cedex")] if "cedex" in words else words


def words_match(query: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """The query's words follow each other in the name; the last may be cut ("lyo" for Lyon).

    Whole words, so "ain" finds the Ain and not "Saint-…".
    """
    size = len(query)
    for start in range(len(name) - size + 1):
        window = name[start : start + size]
        if window[:-1] == query[:-1] and window[-1].startswith(query[-1]):
            return True
    return False
