"""Reading ODS files: the "epraccur" GP practice file and a practice-to-supplier CSV. No database here.

epraccur is read exactly as NHS England's Organisation Data Service publishes it: no header row, 27 quoted
columns, LF or CRLF line endings, an optional byte-order mark, names in capitals. Column meanings are ODS's
(1-based in its documentation; 0-based below) as summarised in ../shared/data/ods/README.md.

A file is checked whole before anything is saved: every bad line is collected and the file refused with all of
them (OdsFileRefused). Rows that are fine but are not English GP practices are counted by reason and skipped.
"""

import csv
import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from .models import OrganisationStatus

EPRACCUR_COLUMNS = 27
# Column positions (0-based; ODS numbers them from 1).
CODE, NAME, REGION, ICB, POSTCODE, OPENED, CLOSED, STATUS = 0, 1, 2, 3, 9, 10, 11, 12
SUB_ICB, JOINED_SUB_ICB, LEFT_SUB_ICB, PRESCRIBING_SETTING = 14, 15, 16, 25
# Column 4 is the ICB in files published since July 2022; before, it held an NHS England area team or local
# office (Q44–Q79), which is not an ICB. Today's 42 ICB codes all have a letter after the Q.
PRE_ICB_OFFICE = re.compile(r"^Q\d\d$")

STATUS_CODES = {
    "A": OrganisationStatus.ACTIVE,
    "C": OrganisationStatus.CLOSED,
    "D": OrganisationStatus.DORMANT,
    "P": OrganisationStatus.PROPOSED,
}

GP_PRACTICE = 4
# ODS prescribing settings (epraccur column 26). Only 4 is a GP practice; the rest are counted and skipped.
PRESCRIBING_SETTINGS = {
    0: "other",
    1: "walk-in centre",
    2: "out-of-hours service",
    3: "walk-in centre and out-of-hours service",
    4: "GP practice",
    8: "public health service",
    9: "community health service",
    10: "hospital service",
    11: "optometry service",
    12: "urgent and emergency care",
    13: "hospice",
    14: "care home or nursing home",
    15: "Border Force",
    16: "young offender institution",
    17: "secure training centre",
    18: "secure children's home",
    19: "immigration removal centre",
    20: "court",
    21: "police custody",
    22: "sexual assault referral centre",
    24: "other justice estate",
    25: "prison",
}

# Organisations the English file lists that are not in England: the Channel Islands' practices and services
# carry these code prefixes, no NHS England region and no commissioner.
OUTSIDE_ENGLAND_PREFIXES = {"JER": "Jersey", "GUE": "Guernsey", "ALD": "Alderney"}
SKIP_CHANNEL_ISLANDS = "In the Channel Islands, not England"
SKIP_NO_COMMISSIONER = "No commissioner (sub-ICB location) named"


def skip_not_gp(setting: int) -> str:
    label = PRESCRIBING_SETTINGS.get(setting, "unknown setting")
    return f"Not a GP practice: {label} (prescribing setting {setting})"


ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
GP_PRACTICE_CODE = re.compile(r"^[A-Z][0-9]{5}$")  # as practices.models.ods_code_validator
GEOGRAPHY_CODE = re.compile(r"^[A-Z0-9]{3}$")  # regions (Y63), ICBs (QHM) and sub-ICB locations (00K)
NAME_MAX_LENGTH = 200
POSTCODE_MAX_LENGTH = 10


def normalise_code(value: str) -> str:
    """An ODS code as written: capitals, with no spaces anywhere (" a81 001 " is A81001)."""
    return "".join(value.split()).upper()


@dataclass(frozen=True)
class PracticeRow:
    """One GP practice from epraccur, checked and normalised."""

    line: int
    ods_code: str
    ods_name: str
    region_code: str  # "" when the file gives none
    icb_code: str
    sub_icb_code: str
    postcode: str
    status: str  # an OrganisationStatus value
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    joined_sub_icb_on: datetime.date | None
    left_sub_icb_on: datetime.date | None


@dataclass
class Epraccur:
    """What a valid epraccur file holds for GoLive: its GP practices, and what was skipped and why."""

    practices: list[PracticeRow]
    skipped: Counter = field(default_factory=Counter)  # reason → rows
    lines: int = 0


class OdsFileRefused(Exception):
    """The file breaks the format; `errors` lists every bad line ("Line 12: …"), in file order."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the file")
        self.errors = errors


def decode(data: bytes) -> str:
    """Text from the bytes: UTF-8 with or without a byte-order mark, else Windows-1252 (older ODS extracts).

    NUL characters are refused (with their lines): text never holds them, and PostgreSQL cannot store them.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise OdsFileRefused(["The file is not a text (CSV) file"]) from error
    if "\x00" in text:
        lines = [number for number, line in enumerate(text.splitlines(), start=1) if "\x00" in line]
        raise OdsFileRefused([f"Line {number}: holds a NUL character; is this a text (CSV) file?" for number in lines])
    return text


def _records(text: str):
    """(line number, fields) for each non-blank record; a broken record (a NUL byte, say) is a refusal."""
    # strict: a stray quote inside a quoted field is an error, not a guess at what was meant.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise OdsFileRefused([f"Line {reader.line_num}: cannot be read as CSV ({error})"]) from error
        if fields:
            yield reader.line_num, fields


def _date(value: str, what: str, line: int, errors: list[str]) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        errors.append(f"Line {line}: {what} '{value}' is not a date written as YYYYMMDD")
        return None


def read_epraccur(data: bytes) -> Epraccur:
    """Check and read a whole epraccur file. Raises OdsFileRefused listing every bad line.

    A bad line: not 27 columns; an ODS code that is not 3 to 10 letters and numbers; a date that is not
    YYYYMMDD; a status other than A, C, D or P; a prescribing setting that is not a number; an ODS code
    already on an earlier line; and, for GP practices to import, a practice code that is not a letter and
    5 numbers, a sub-ICB location or ICB code that is not 3 letters and numbers, an empty name, a date it left
    its commissioner before the date it joined.
    """
    errors: list[str] = []
    first_line: dict[str, int] = {}
    result = Epraccur(practices=[])
    for line, fields in _records(decode(data)):
        result.lines += 1
        if len(fields) != EPRACCUR_COLUMNS:
            errors.append(f"Line {line}: has {len(fields)} columns; the epraccur format has {EPRACCUR_COLUMNS}")
            continue
        row = _check_row(line, fields, errors, first_line)
        if row is None:
            continue
        reason = _skip_reason(row["code"], row["setting"], row["sub_icb"])
        if reason:
            result.skipped[reason] += 1
            continue
        practice = _practice_row(line, fields, row, errors)
        if practice:
            result.practices.append(practice)
    if errors:
        raise OdsFileRefused(errors)
    return result


def _check_row(line: int, fields: list[str], errors: list[str], first_line: dict[str, int]) -> dict | None:
    """The checks every row must pass, whatever kind of organisation it is."""
    before = len(errors)
    code = normalise_code(fields[CODE])
    if not ODS_CODE.match(code):
        errors.append(f"Line {line}: ODS code '{fields[CODE].strip()}' is not 3 to 10 letters and numbers")
    elif code in first_line:
        errors.append(f"Line {line}: ODS code {code} is also on line {first_line[code]}")
    else:
        first_line[code] = line
    status = fields[STATUS].strip().upper()
    if status not in STATUS_CODES:
        errors.append(f"Line {line}: status '{fields[STATUS].strip()}' is not A, C, D or P")
    setting = fields[PRESCRIBING_SETTING].strip()
    if not setting.isdigit():
        errors.append(f"Line {line}: prescribing setting '{setting}' is not a number")
    dates = {
        "opened_on": _date(fields[OPENED], "open date", line, errors),
        "closed_on": _date(fields[CLOSED], "close date", line, errors),
        "joined": _date(fields[JOINED_SUB_ICB], "date joined the commissioner", line, errors),
        "left": _date(fields[LEFT_SUB_ICB], "date left the commissioner", line, errors),
    }
    if len(errors) > before:
        return None
    return {
        "code": code,
        "status": STATUS_CODES[status],
        "setting": int(setting),
        "sub_icb": normalise_code(fields[SUB_ICB]),
        **dates,
    }


def _skip_reason(code: str, setting: int, sub_icb_code: str) -> str | None:
    if code[:3] in OUTSIDE_ENGLAND_PREFIXES:
        return SKIP_CHANNEL_ISLANDS
    if setting != GP_PRACTICE:
        return skip_not_gp(setting)
    if not sub_icb_code:
        return SKIP_NO_COMMISSIONER
    return None


def _practice_row(line: int, fields: list[str], row: dict, errors: list[str]) -> PracticeRow | None:
    """The checks a GP practice to import must pass as well."""
    before = len(errors)
    if not GP_PRACTICE_CODE.match(row["code"]):
        errors.append(f"Line {line}: ODS code {row['code']} is not a GP practice code (a letter and 5 numbers)")
    name = " ".join(fields[NAME].split())
    if not name:
        errors.append(f"Line {line}: the practice has no name")
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(f"Line {line}: the name is longer than {NAME_MAX_LENGTH} characters")
    codes = {
        "sub-ICB location (commissioner)": row["sub_icb"],
        "ICB": normalise_code(fields[ICB]),
        "region": normalise_code(fields[REGION]),
    }
    for what, value in codes.items():
        if (value or what != "region") and not GEOGRAPHY_CODE.match(value):
            errors.append(f"Line {line}: {what} code '{value}' is not 3 letters and numbers")
    if row["joined"] and row["left"] and row["left"] < row["joined"]:
        errors.append(f"Line {line}: the date it left the commissioner is before the date it joined")
    postcode = " ".join(fields[POSTCODE].split()).upper()
    if len(postcode) > POSTCODE_MAX_LENGTH:
        errors.append(f"Line {line}: postcode '{postcode}' is longer than {POSTCODE_MAX_LENGTH} characters")
    if len(errors) > before:
        return None
    return PracticeRow(
        line=line,
        ods_code=row["code"],
        ods_name=name,
        region_code=codes["region"],
        icb_code=codes["ICB"],
        sub_icb_code=row["sub_icb"],
        postcode=postcode,
        status=row["status"],
        opened_on=row["opened_on"],
        closed_on=row["closed_on"],
        joined_sub_icb_on=row["joined"],
        left_sub_icb_on=row["left"],
    )


# --- The practice-to-supplier CSV ------------------------------------------------------------------------

SUPPLIER_HEADER = ["odscode", "supplier"]


@dataclass(frozen=True)
class SupplierRow:
    line: int
    ods_code: str
    supplier_name: str


def read_supplier_csv(data: bytes) -> list[SupplierRow]:
    """Check and read a practice-to-supplier CSV (header `ODSCode,Supplier`). Raises OdsFileRefused.

    Bad lines: a missing or different header, not 2 columns, a bad ODS code, no supplier, a code already on an
    earlier line. A practice absent from the file keeps the supplier GoLive has for it (absence says nothing:
    the file knows some suppliers only).
    """
    errors: list[str] = []
    rows: list[SupplierRow] = []
    first_line: dict[str, int] = {}
    records = _records(decode(data))
    header = next(records, None)
    if header is None or [column.strip().lower() for column in header[1]] != SUPPLIER_HEADER:
        raise OdsFileRefused(["Line 1: the first line must be the header ODSCode,Supplier"])
    for line, fields in records:
        if len(fields) != len(SUPPLIER_HEADER):
            errors.append(f"Line {line}: has {len(fields)} columns; the supplier file has 2 (ODSCode,Supplier)")
            continue
        before = len(errors)
        code, supplier = normalise_code(fields[0]), " ".join(fields[1].split())
        if not GP_PRACTICE_CODE.match(code):
            errors.append(f"Line {line}: ODS code '{fields[0].strip()}' is not a GP practice code")
        elif code in first_line:
            errors.append(f"Line {line}: ODS code {code} is also on line {first_line[code]}")
        else:
            first_line[code] = line
        if not supplier:
            errors.append(f"Line {line}: no supplier named")
        if len(errors) == before:
            rows.append(SupplierRow(line=line, ods_code=code, supplier_name=supplier))
    if errors:
        raise OdsFileRefused(errors)
    return rows
