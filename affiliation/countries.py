"""Countries with their INSEE code (affiliation/data/countries.csv, sources in its README)."""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.csv"
FRANCE = "99100"


@dataclass(frozen=True)
class Country:
    insee_code: str  # "99127"
    name_fr: str
    name_en: str
    iso_alpha2: str
    is_eu_eea_ch: bool

    @property
    def nir_code(self) -> str:
        """The 3 digits a NIR or NIA carries for a birth in this country: 99127 -> "127"."""
        return self.insee_code[2:]

    def name(self, language: str | None = None) -> str:
        return self.name_en if (language or get_language() or "fr")[:2] == "en" else self.name_fr


@cache
def countries() -> dict[str, Country]:
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        return {
            row["insee_code"]: Country(
                insee_code=row["insee_code"],
                name_fr=row["name_fr"],
                name_en=row["name_en"],
                iso_alpha2=row["iso_alpha2"],
                is_eu_eea_ch=row["eu_eea_ch"] == "1",
            )
            for row in csv.DictReader(data)
        }


def sort_key(name: str) -> str:
    """ "Égypte" sorts with "Egypte", not after "Zimbabwe"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def country_choices() -> list[tuple[str, str]]:
    """(INSEE code, name) in the active language, France first, then alphabetical."""
    others = sorted(
        (c for c in countries().values() if c.insee_code != FRANCE),
        key=lambda c: sort_key(c.name()),
    )
    return [(c.insee_code, c.name()) for c in [countries()[FRANCE], *others]]


def needs_residence_permit(nationality_code: str) -> bool:
    """A national of a country outside the EU, the EEA and Switzerland."""
    country = countries().get(nationality_code)
    return country is None or not country.is_eu_eea_ch
