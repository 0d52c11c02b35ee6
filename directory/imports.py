"""Reading and checking a CSV of offices uploaded by a directory editor. Pure: no ORM, no I/O.

The caller passes the text, the codes of the funds and the offices the directory already has
(plain values keyed by postcode and city); this module says, line by line, what applying the
file would do, or why it cannot be applied. The format is the one of the seed file
(directory/data/seed_offices.csv), so an export from the admin can be edited and sent back.

Messages are codes with parameters (directory/import_messages.py turns them into text).
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from directory.import_messages import (  # noqa: F401 - the import's vocabulary, re-exported
    FIELD_LABELS,
    MESSAGES,
    OUTCOME_LABELS,
    Message,
    Outcome,
    describe,
)
from directory.rules import (
    UnknownPostcode,
    department_for_postcode,
    normalise_department_code,
    normalise_text,
)

COLUMNS = (
    "department_code",
    "department_label",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "postcode",
    "city",
    "phone",
    "phone_note",
)
# The label is for people reading the file; the fund is found from the code alone.
OPTIONAL_COLUMNS = frozenset({"department_label"})
REQUIRED_FIELDS = ("department_code", "address_line_1", "postcode", "city", "phone")
# What an office has besides its key (postcode, city): compared to tell changed from unchanged.
COMPARED_FIELDS = (
    "department_code",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "phone",
    "phone_note",
)
# The max_length of the Office fields (a test keeps them equal to the model's).
MAX_LENGTHS = {
    "address_line_1": 120,
    "address_line_2": 120,
    "address_line_3": 120,
    "city": 80,
    "phone": 30,
    "phone_note": 120,
}
POSTCODE_FORMAT = re.compile(r"^\d{5}$")
PHONE_CHARACTERS = re.compile(r"^\+?[\d ]+$")
# Ten digits from 01 to 09 (0 8xx numbers included), or the four-digit short numbers of the
# health insurance ("36 46"); the international form of a number in metropolitan France (+33)
# or in an overseas département (+262 La Réunion and Mayotte, +590, +594, +596) has 9 digits
# after the country code.
NATIONAL_PHONE = re.compile(r"^(0[1-9]\d{8}|3\d{3})$")
INTERNATIONAL_PHONE = re.compile(r"^\+(33|262|269|590|594|596)[1-9]\d{8}$")


@dataclass(frozen=True)
class OfficeLine:
    """A line that passed every check: the office as the file describes it."""

    line: int
    department_code: str
    address_line_1: str
    address_line_2: str
    address_line_3: str
    postcode: str
    city: str
    phone: str
    phone_note: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.postcode, self.city)

    def compared_values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in COMPARED_FIELDS}


@dataclass(frozen=True)
class LineResult:
    """What a line does, or why it is refused. `line` is None for a fault of the whole file."""

    line: int | None
    outcome: Outcome
    messages: tuple[Message, ...]
    office: OfficeLine | None = None
    changed_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPlan:
    """Every line of an applicable file, or only the refused lines of a file that is not."""

    lines: tuple[LineResult, ...]

    @property
    def is_applicable(self) -> bool:
        return all(result.outcome != Outcome.REJECTED for result in self.lines)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.lines if result.outcome == outcome)

    def created(self) -> list[OfficeLine]:
        return [r.office for r in self.lines if r.outcome == Outcome.CREATED and r.office]

    def changed(self) -> list[tuple[OfficeLine, tuple[str, ...]]]:
        """Each changed office with the names of its changed fields (from COMPARED_FIELDS)."""
        return [
            (r.office, r.changed_fields)
            for r in self.lines
            if r.outcome == Outcome.CHANGED and r.office
        ]


@dataclass(frozen=True)
class CsvLine:
    line: int
    values: dict[str, str]  # column -> text without surrounding spaces
    field_count: int


class FileFault(ValueError):
    """The file cannot be read as lines of offices at all."""

    def __init__(self, line: int | None, *messages: Message):
        super().__init__(line, messages)
        self.line = line
        self.messages = messages


def is_plausible_phone(phone: str) -> bool:
    if not PHONE_CHARACTERS.match(phone):
        return False
    digits = phone.replace(" ", "")
    return bool(NATIONAL_PHONE.match(digits) or INTERNATIONAL_PHONE.match(digits))


def read_lines(text: str) -> tuple[list[CsvLine], int, str]:
    """The non-blank lines of the file, the number of columns and the delimiter.

    Line numbers are those of the file, the header being line 1; a quoted value spanning
    several lines takes the number of its first. The delimiter is "," or ";" (French
    spreadsheets save with ";"), whichever the header uses more. Raises FileFault.
    """
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise FileFault(None, Message("not_text"))
    if not text.strip():
        raise FileFault(1, Message("empty"))
    header_text = text.splitlines()[0]
    delimiter = ";" if header_text.count(";") > header_text.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1  # the file line where the row being read begins
    lines = []
    try:
        header = [name.strip().lower() for name in next(reader)]
        _check_header(header)
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):  # spreadsheets leave blank lines at the end
                values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
                lines.append(CsvLine(line=start, values=values, field_count=len(cells)))
            start = reader.line_num + 1
    except csv.Error:
        raise FileFault(start, Message("malformed")) from None
    if not lines:
        raise FileFault(None, Message("no_rows"))
    return lines, len(header), delimiter


def _check_header(header: list[str]) -> None:
    messages = []
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        messages.append(Message("duplicate_columns", {"columns": duplicates}))
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    if missing:
        messages.append(Message("missing_columns", {"columns": missing, "expected": list(COLUMNS)}))
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        messages.append(Message("unknown_columns", {"columns": unknown, "expected": list(COLUMNS)}))
    if messages:
        raise FileFault(1, *messages)


def line_problems(values: Mapping[str, str], fund_codes: AbstractSet[str]) -> list[Message]:
    """What is wrong with one office's values, on their own; [] when nothing is.

    `values` maps the CSV columns to stripped text; `fund_codes` are the département codes of
    the directory's funds. Shared by the CSV import and the admin's office form.
    """
    problems = [
        Message("required", {"field": name}) for name in REQUIRED_FIELDS if not values.get(name)
    ]
    for name, max_length in MAX_LENGTHS.items():
        length = len(values.get(name, ""))
        if length > max_length:
            problems.append(
                Message("too_long", {"field": name, "length": length, "max": max_length})
            )

    postcode = values.get("postcode", "")
    postcode_department = None
    if postcode and not POSTCODE_FORMAT.match(postcode):
        problems.append(Message("postcode_format", {"value": postcode}))
    elif postcode:
        try:
            postcode_department = department_for_postcode(postcode)
        except UnknownPostcode:
            problems.append(Message("postcode_unknown", {"value": postcode}))

    code_text = values.get("department_code", "")
    department = normalise_department_code(code_text) if code_text else None
    if code_text and department not in fund_codes:
        problems.append(Message("department_unknown", {"value": code_text}))
    elif department and postcode_department and department != postcode_department:
        problems.append(
            Message(
                "department_mismatch",
                {
                    "postcode": postcode,
                    "postcode_department": postcode_department,
                    "department": department,
                },
            )
        )

    phone = values.get("phone", "")
    if phone and not is_plausible_phone(phone):
        problems.append(Message("phone_invalid", {"value": phone}))
    return problems


def plan_import(
    text: str,
    fund_codes: AbstractSet[str],
    existing: Mapping[tuple[str, str], Mapping[str, str]],
) -> ImportPlan:
    """What importing `text` would do to the directory, line by line.

    `existing` maps (postcode, city) of each office of the directory to its COMPARED_FIELDS.
    The file is all or nothing: if any line is refused, the plan holds only the refused lines.
    Offices the file does not name are left as they are.
    """
    try:
        csv_lines, column_count, delimiter = read_lines(text)
    except FileFault as fault:
        return ImportPlan(lines=(LineResult(fault.line, Outcome.REJECTED, fault.messages),))

    problems: dict[int, list[Message]] = {}
    for csv_line in csv_lines:
        if csv_line.field_count != column_count:
            counts = {"found": csv_line.field_count, "expected": column_count}
            problems[csv_line.line] = [Message("field_count", {**counts, "delimiter": delimiter})]
    # The values of a line with too many or too few fields are shifted: check only the others.
    well_formed = [csv_line for csv_line in csv_lines if csv_line.line not in problems]
    for csv_line in well_formed:
        problems[csv_line.line] = line_problems(csv_line.values, fund_codes)
    _add_duplicates(well_formed, problems)
    _add_city_spellings(well_formed, existing, problems)

    refused = [
        LineResult(line, Outcome.REJECTED, tuple(messages))
        for line, messages in sorted(problems.items())
        if messages
    ]
    if refused:
        return ImportPlan(lines=tuple(refused))
    offices = [_office_line(csv_line) for csv_line in csv_lines]
    return ImportPlan(
        lines=tuple(_classify(office, existing.get(office.key)) for office in offices)
    )


def _key(values: Mapping[str, str]) -> tuple[str, str] | None:
    """The office's key as people mean it: "Nice" and "NICE" name the same office."""
    postcode, city = values.get("postcode", ""), values.get("city", "")
    return (postcode, normalise_text(city)) if postcode and city else None


def _add_duplicates(csv_lines: list[CsvLine], problems: dict[int, list[Message]]) -> None:
    lines_by_key: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for csv_line in csv_lines:
        key = _key(csv_line.values)
        if key:
            lines_by_key[key].append(csv_line.line)
    for lines in lines_by_key.values():
        for line in lines if len(lines) > 1 else ():
            others = [other for other in lines if other != line]
            problems[line].append(Message("duplicate_in_file", {"lines": others}))


def _add_city_spellings(
    csv_lines: list[CsvLine],
    existing: Mapping[tuple[str, str], Mapping[str, str]],
    problems: dict[int, list[Message]],
) -> None:
    """Refuse a city written otherwise than an office of the directory with the same postcode.

    The database would take "06100 Nice" beside "06100 NICE"; the public directory would then
    show the office twice, so the editor is asked to write it the directory's way.
    """
    existing_by_loose_key = {_key({"postcode": p, "city": c}): c for p, c in existing}
    for csv_line in csv_lines:
        postcode, city = csv_line.values.get("postcode", ""), csv_line.values.get("city", "")
        if (postcode, city) in existing:
            continue
        existing_city = existing_by_loose_key.get(_key(csv_line.values))
        if existing_city is not None:
            problems[csv_line.line].append(
                Message("city_spelling", {"postcode": postcode, "existing_city": existing_city})
            )


def _office_line(csv_line: CsvLine) -> OfficeLine:
    values = csv_line.values
    return OfficeLine(
        line=csv_line.line,
        department_code=normalise_department_code(values["department_code"]) or "",
        address_line_1=values["address_line_1"],
        address_line_2=values["address_line_2"],
        address_line_3=values["address_line_3"],
        postcode=values["postcode"],
        city=values["city"],
        phone=values["phone"],
        phone_note=values["phone_note"],
    )


def _classify(office: OfficeLine, current: Mapping[str, str] | None) -> LineResult:
    if current is None:
        return LineResult(office.line, Outcome.CREATED, (Message("created"),), office)
    new = office.compared_values()
    changes = [
        [name, current[name], new[name]] for name in COMPARED_FIELDS if current[name] != new[name]
    ]
    if not changes:
        return LineResult(office.line, Outcome.UNCHANGED, (Message("unchanged"),), office)
    return LineResult(
        office.line,
        Outcome.CHANGED,
        (Message("changed", {"changes": changes}),),
        office,
        changed_fields=tuple(name for name, _old, _new in changes),
    )


def offices_csv(rows: Iterable[Mapping[str, str]]) -> str:
    """The CSV of the import format (every column of COLUMNS), with a BOM for spreadsheets.

    Excel reads UTF-8 only when the file starts with a BOM; the import ignores it.
    """
    output = io.StringIO(newline="")
    output.write("\ufeff")
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in COLUMNS})
    return output.getvalue()
