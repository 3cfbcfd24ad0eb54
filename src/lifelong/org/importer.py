"""Import units, job positions, civil-service ranks and people from one XLSX or CSV file.

The work runs in four steps (docs/import.md describes the file format):

1. `read_tables` turns the file's bytes into tables of raw cells: every sheet of a workbook,
   or the one table of a CSV file (strict UTF-8 unless an encoding is named, then NFC).
2. `parse_tables` maps each table's header to known columns and converts every cell, so a
   table becomes typed rows plus the errors of its header and cells.
3. `validate` checks the rows against each other and against what the database already holds
   (`Existing`): duplicate and unknown codes, parent cycles. It returns an `ImportPlan`, the
   rows in creation order with every error found.
4. `apply_plan` writes a valid plan through the bulk services of `org.services`, in one
   transaction with one `import.applied` audit event.

Steps 1 to 3 are pure (bytes and plain data in, plain data out); `check_file` and
`import_file` add the database lookups and the writes around them. An import is all or
nothing: a single error anywhere means nothing is written.
"""

import codecs
import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import DomainError
from lifelong.core.text import fold, nfc
from lifelong.org import services
from lifelong.org.choices import Gender, PersonStatus, PositionGroup, UnitKind
from lifelong.org.models import CivilServiceRank, JobPosition, Person, PositionAssignment, Unit

__all__ = [
    "ENCODINGS",
    "KINDS",
    "Existing",
    "ImportPlan",
    "ImportResult",
    "RowError",
    "apply_plan",
    "check_file",
    "import_file",
    "parse_tables",
    "read_tables",
    "validate",
]

# The kinds of table, in the order their rows are created: ranks before the positions that
# call for them, units before the people who work in them.
KINDS = ("ranks", "positions", "units", "people")
# Encodings offered on the page; the command line accepts any codec Python knows.
ENCODINGS = ("utf-8", "cp1258")
# SQLite refuses more than a few thousand parameters in one query: look codes up in chunks.
LOOKUP_CHUNK = 900


#
# Errors and results
#


@dataclass(frozen=True)
class RowError:
    """One problem of the file, where a person looking at the spreadsheet would find it.

    `row` is the spreadsheet row (the header is row 1 when it is the first row), or None for
    a problem of the whole file; `column` is the header as written in the file, or the
    column's own name when it is missing.
    """

    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """Return the error as JSON-ready data."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class _Errors:
    """Collect errors with a sort key, so the report reads sheet by sheet, row by row."""

    def __init__(self) -> None:
        self._items: list[tuple[tuple[int, int, int], RowError]] = []

    def add(self, error: RowError, *, sheet_index: int = 0, column_index: int = -1) -> None:
        self._items.append(((sheet_index, error.row or 0, column_index), error))

    def sorted(self) -> tuple[RowError, ...]:
        return tuple(e for _key, e in sorted(self._items, key=lambda item: item[0]))

    def __bool__(self) -> bool:
        return bool(self._items)


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import or a dry run: counts (made or to make), or the errors."""

    dry_run: bool
    created: Mapping[str, int]
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether the file was valid (and, unless a dry run, written)."""
        return not self.errors

    def as_json(self) -> dict[str, object]:
        """Return the result in the shape the command's `--json` prints."""
        if self.errors:
            return {"ok": False, "errors": [e.as_dict() for e in self.errors]}
        return {"ok": True, "dry_run": self.dry_run, "created": dict(self.created)}


#
# Columns of each kind
#


@dataclass(frozen=True)
class Column:
    """A column the importer knows, with the header spellings it accepts."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


def _max_length(model: type[Model], name: str) -> int:
    max_length: int = model._meta.get_field(name).max_length  # type: ignore[union-attr,assignment]  # a CharField's
    return max_length


# Header aliases are compared folded (see `header_key`): lower case, no diacritics, words
# joined by "_", anything in parentheses dropped. So "Mã cán bộ", "MA CAN BO" and
# "ma_can_bo" are one header.
COLUMNS: Mapping[str, tuple[Column, ...]] = {
    "ranks": (
        Column("code", True, ("ma", "ma_ngach")),
        Column("name", True, ("ten", "ten_ngach")),
        Column("level", False, ("bac", "cap", "thu_bac")),
    ),
    "positions": (
        Column("code", True, ("ma", "ma_vi_tri", "ma_vi_tri_viec_lam")),
        Column("name", True, ("ten", "ten_vi_tri", "ten_vi_tri_viec_lam", "vi_tri_viec_lam")),
        Column("group", True, ("nhom", "nhom_vi_tri")),
        Column("rank_code", False, ("rank", "ma_ngach", "ngach")),
    ),
    "units": (
        Column("code", True, ("ma", "ma_don_vi")),
        Column("name", True, ("ten", "ten_don_vi")),
        Column("kind", True, ("loai", "loai_don_vi")),
        Column(
            "parent_code", False, ("parent", "ma_don_vi_cap_tren", "ma_cap_tren", "don_vi_cap_tren")
        ),
        Column("valid_from", False, ("hieu_luc_tu", "tu_ngay", "ngay_thanh_lap")),
        Column("valid_to", False, ("hieu_luc_den", "den_ngay", "ngay_giai_the")),
    ),
    "people": (
        Column("officer_code", True, ("ma_can_bo", "ma_cong_chuc", "ma_so_can_bo", "ma_nhan_vien")),
        Column("family_name", True, ("ho",)),
        Column("middle_name", False, ("ten_dem", "dem")),
        Column("given_name", True, ("ten",)),
        Column("gender", True, ("gioi_tinh",)),
        Column("birth_date", False, ("ngay_sinh",)),
        Column("work_email", False, ("email", "e_mail", "thu_dien_tu", "email_cong_vu")),
        Column("unit_code", True, ("unit", "ma_don_vi", "don_vi")),
        Column("position_code", False, ("position", "ma_vi_tri", "ma_vi_tri_viec_lam")),
        Column("rank_code", False, ("rank", "ma_ngach", "ngach")),
        Column("hire_date", False, ("ngay_tuyen_dung", "ngay_vao_nganh")),
        Column("status", False, ("trang_thai", "tinh_trang")),
    ),
}

# The column that tells a table's kind when its sheet name does not (first match wins).
TELLING_COLUMNS = (
    ("people", "officer_code"),
    ("units", "kind"),
    ("units", "parent_code"),
    ("positions", "group"),
    ("ranks", "level"),
)

# Columns that spreadsheets carry for people's eyes only: ignored rather than refused.
IGNORED_HEADERS = frozenset({"stt", "so_tt", "tt", "no", "ghi_chu", "note", "notes"})

SHEET_NAMES: Mapping[str, frozenset[str]] = {
    "ranks": frozenset({"ranks", "rank", "ngach", "ngach_cong_chuc"}),
    "positions": frozenset({"positions", "position", "job_positions", "vi_tri", "vi_tri_viec_lam"}),
    "units": frozenset({"units", "unit", "don_vi"}),
    "people": frozenset(
        {"people", "persons", "officers", "can_bo", "cong_chuc", "nhan_su", "can_bo_cong_chuc"}
    ),
}

# Vietnamese words accepted for choice values, besides the codes and the labels.
CHOICE_WORDS: Mapping[str, Mapping[str, str]] = {
    "gender": {"nam": "male", "nu": "female", "khac": "other"},
    "status": {
        "dang_cong_tac": "active",
        "dang_lam_viec": "active",
        "cong_tac": "active",
        "nghi_phep": "on_leave",
        "biet_phai": "seconded",
        "nghi_huu": "retired",
        "huu": "retired",
        "nghi_viec": "left",
        "thoi_viec": "left",
        "da_nghi_viec": "left",
    },
    "group": {
        "lanh_dao": "leadership",
        "lanh_dao_quan_ly": "leadership",
        "chuyen_mon": "professional",
        "chuyen_mon_nghiep_vu": "professional",
        "ho_tro": "support",
        "ho_tro_phuc_vu": "support",
    },
    "kind": {
        "cuc": "administration",
        "chi_cuc": "regional",
        "chi_cuc_khu_vuc": "regional",
        "doi": "team",
        "doi_cong_tac": "team",
    },
}

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """Return the folded form headers, sheet names and choice words are compared in."""
    return _NOT_WORD.sub("_", fold(_PARENTHESES.sub(" ", text))).strip("_")


def _aliases(kind: str) -> dict[str, str]:
    return {
        key: column.name
        for column in COLUMNS[kind]
        for key in (column.name, header_key(column.name), *column.aliases)
    }


def kind_of_sheet(name: str) -> str | None:
    """Return the kind a sheet's name announces, or None."""
    key = header_key(name)
    return next((kind for kind, names in SHEET_NAMES.items() if key in names), None)


def kind_of_header(header: Sequence[object]) -> str | None:
    """Return the kind a header row reveals through its telling columns, or None."""
    keys = {header_key(_text(cell)) for cell in header}
    for kind, column in TELLING_COLUMNS:
        if any(_aliases(kind).get(key) == column for key in keys):
            return kind
    return None


#
# Step 1: bytes to tables of raw cells
#


@dataclass(frozen=True)
class RawTable:
    """A sheet or a CSV file as cells: (spreadsheet row number, values) for non-empty rows."""

    sheet: str
    kind: str | None
    rows: tuple[tuple[int, tuple[object, ...]], ...]


@dataclass(frozen=True)
class RawFile:
    """The tables of a file, or the reason it could not be read at all."""

    tables: tuple[RawTable, ...] = ()
    errors: tuple[RowError, ...] = ()


def _file_error(sheet: str, message: str, row: int | None = None) -> RawFile:
    return RawFile(errors=(RowError(sheet=sheet, row=row, column="", message=message),))


def read_tables(
    data: bytes, *, name: str = "", encoding: str | None = None, kind: str | None = None
) -> RawFile:
    """Read a workbook's sheets, or a CSV file's one table, told apart by content.

    A CSV file is decoded as strict UTF-8 (a BOM is dropped) unless `encoding` is given, and
    is NFC-normalised; its kind is `kind` or else read from its header. Workbook sheets get
    their kind from their name, else from their header; other sheets are left out.
    """
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(data, name=name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _file_error(
            name, _("Old Excel files (.xls) cannot be read: save the file as .xlsx first.")
        )
    return _read_csv(data, name=name, encoding=encoding, kind=kind)


def _read_workbook(data: bytes, *, name: str) -> RawFile:
    # Imported here: openpyxl is heavy and only workbooks need it.
    import openpyxl

    tables: list[RawTable] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                # The stored dimensions may be wrong (some programs write "A1"): read all rows.
                sheet.reset_dimensions()
                rows = tuple(
                    (number, tuple(values))
                    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
                    if any(_text(v) for v in values)
                )
                if not rows:
                    continue
                kind = kind_of_sheet(sheet.title) or kind_of_header(rows[0][1])
                if kind is not None:
                    tables.append(RawTable(sheet=sheet.title, kind=kind, rows=rows))
        finally:
            workbook.close()
    except Exception:  # a damaged or foreign archive raises any of a dozen types
        return _file_error(name, _("The file could not be read as an XLSX workbook."))
    if not tables:
        return _file_error(
            name,
            _(
                "No sheet of this workbook lists units, positions, ranks or people: name the "
                "sheets units, positions, ranks and people (docs/import.md)."
            ),
        )
    return RawFile(tables=tuple(tables))


def decode_text(data: bytes, encoding: str | None) -> tuple[str | None, RowError | None]:
    """Decode a text file strictly and return it NFC, or the error that refuses it.

    Without `encoding` the text must be UTF-8 (with or without a BOM); nothing is guessed.
    Windows-1258 writes tone marks as separate characters, so NFC matters after decoding.
    """
    name = (encoding or "utf-8").strip()
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None, RowError("", None, "", _("Unknown encoding: {name}.").format(name=name))
    if codec.name == "utf-8":
        codec = codecs.lookup("utf-8-sig")
    try:
        text = codec.decode(data, "strict")[0]
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        if encoding is None:
            message = _(
                "The file is not valid UTF-8 (first bad byte on line {row}). If it was saved as "
                "Windows-1258 (Vietnamese), choose that encoding: --encoding cp1258 on the "
                "command line."
            ).format(row=row)
        else:
            message = _(
                "The file cannot be read as {encoding} (first bad byte on line {row}). Save it "
                "as UTF-8, or choose the encoding it was saved in."
            ).format(encoding=name, row=row)
        return None, RowError("", row, "", message)
    return nfc(text), None


def _read_csv(data: bytes, *, name: str, encoding: str | None, kind: str | None) -> RawFile:
    text, error = decode_text(data, encoding)
    if text is None:
        return RawFile(errors=(replace(error, sheet=name),) if error else ())
    if kind is not None and kind not in KINDS:
        return _file_error(name, _("Unknown kind: {kind}.").format(kind=kind))
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in a Vietnamese locale saves "CSV" with semicolons: take the most frequent of
    # the usual delimiters in the header line.
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = tuple(
            (number, tuple(values))
            for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if any(v.strip() for v in values)
        )
    except csv.Error as exc:  # e.g. a field longer than the csv module allows
        return _file_error(
            name, _("The file could not be read as CSV: {reason}.").format(reason=exc)
        )
    if not rows:
        return _file_error(name, _("The file is empty."))
    kind = kind or kind_of_header(rows[0][1])
    if kind is None:
        return _file_error(
            name,
            _(
                "The header does not tell whether the file lists units, positions, ranks or "
                "people: choose the kind (--kind on the command line)."
            ),
            row=rows[0][0],
        )
    return RawFile(tables=(RawTable(sheet=name or kind, kind=kind, rows=rows),))


#
# Step 2: raw cells to typed rows
#


@dataclass(frozen=True)
class RankRow:
    """A civil-service rank to create."""

    sheet: str
    row: int
    code: str
    name: str
    level: int


@dataclass(frozen=True)
class PositionRow:
    """A job position to create."""

    sheet: str
    row: int
    code: str
    name: str
    group: str
    rank_code: str


@dataclass(frozen=True)
class UnitRow:
    """A unit to create, under a unit of the file or of the database."""

    sheet: str
    row: int
    code: str
    name: str
    kind: str
    parent_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class PersonRow:
    """A person to create in a unit, with a position and a rank if given."""

    sheet: str
    row: int
    officer_code: str
    family_name: str
    middle_name: str
    given_name: str
    gender: str
    birth_date: datetime.date | None
    work_email: str
    unit_code: str
    position_code: str
    rank_code: str
    hire_date: datetime.date | None
    status: str


AnyRow = RankRow | PositionRow | UnitRow | PersonRow


@dataclass
class ParsedFile:
    """Typed rows of every table, and the errors of their headers and cells."""

    ranks: list[RankRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    errors: _Errors = field(default_factory=_Errors)
    # Where each (sheet, column name) sits, to sort and label later errors.
    labels: dict[tuple[str, str], tuple[int, int, str]] = field(default_factory=dict)

    def error(self, row: AnyRow, column: str, message: str) -> None:
        """Record an error on `row` in the column called `column`."""
        sheet_index, column_index, label = self.labels.get((row.sheet, column), (0, -1, column))
        self.errors.add(
            RowError(row.sheet, row.row, label, message),
            sheet_index=sheet_index,
            column_index=column_index,
        )


def _text(value: object) -> str:
    """Return a cell as stripped NFC text (numbers without a spurious ".0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value)).strip()


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: object) -> datetime.date | None:
    """Return the date in a cell: a date cell, dd/mm/yyyy or yyyy-mm-dd; ValueError if not.

    An empty cell is None. Day-first is the Vietnamese order; a two-digit year is refused
    rather than guessed.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)):
        # A number in a date column is a date cell Excel lost the format of: refuse it
        # rather than guess the epoch.
        raise ValueError(value)
    text = _text(value)
    if not text:
        return None
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(text)
    return datetime.date(year, month, day)


def _choice_map(name: str, choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    mapping = dict(CHOICE_WORDS.get(name, {}))
    for value, label in choices:
        mapping[header_key(value)] = value
        for language in ("en", "vi"):
            with translation.override(language):
                mapping[header_key(str(label))] = value
    return mapping


class _RowReader:
    """Read one row's cells by column name, recording each bad cell as an error."""

    def __init__(
        self,
        parsed: ParsedFile,
        row: AnyRow,
        columns: Mapping[str, int],
        values: Sequence[object],
    ) -> None:
        self.parsed = parsed
        self.row = row
        self.columns = columns
        self.values = values

    def raw(self, name: str) -> object:
        index = self.columns.get(name)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def error(self, name: str, message: str) -> None:
        self.parsed.error(self.row, name, message)

    def text(self, name: str, *, required: bool = False, max_length: int = 255) -> str:
        value = _text(self.raw(name))
        if not value and required and name in self.columns:
            self.error(name, _("This cell must not be empty."))
        elif len(value) > max_length:
            self.error(name, _("At most {n} characters are allowed here.").format(n=max_length))
            return ""
        return value

    def date(self, name: str) -> datetime.date | None:
        value = self.raw(name)
        try:
            return parse_date(value)
        except ValueError:
            self.error(
                name,
                _("{value} is not a valid date: write dates as dd/mm/yyyy.").format(
                    value=_text(value)
                ),
            )
        return None

    def choice(
        self, name: str, mapping: Mapping[str, str], *, required: bool, default: str = ""
    ) -> str:
        value = _text(self.raw(name))
        if not value:
            if required and name in self.columns:
                self.error(name, _("This cell must not be empty."))
            return default
        found = mapping.get(header_key(value))
        if found is None:
            self.error(
                name,
                _("{value} is not one of: {choices}.").format(
                    value=value, choices=", ".join(sorted(set(mapping.values())))
                ),
            )
            return ""
        return found

    def email(self, name: str) -> str:
        value = self.text(name, max_length=254).lower()
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(name, _("{value} is not a valid e-mail address.").format(value=value))
                return ""
        return value

    def integer(self, name: str) -> int:
        value = self.raw(name)
        if value is None or _text(value) == "":
            return 0
        text = _text(value)
        if not text.isdigit() or len(text) > 4:
            self.error(name, _("{value} is not a whole number.").format(value=text))
            return 0
        return int(text)


def parse_tables(tables: Sequence[RawTable]) -> ParsedFile:
    """Map each table's header to its columns and convert every cell to typed rows.

    Reports, at the header row: an unknown or repeated column, and each missing required
    column (once, not on every row). Reports, at the cell: an empty required cell, a bad
    date, choice, number or e-mail, and text longer than the database keeps.
    """
    parsed = ParsedFile()
    choices = {
        "kind": _choice_map("kind", UnitKind.choices),
        "group": _choice_map("group", PositionGroup.choices),
        "gender": _choice_map("gender", Gender.choices),
        "status": _choice_map("status", PersonStatus.choices),
    }
    for sheet_index, table in enumerate(tables):
        if table.kind is None or not table.rows:
            continue
        header_row, header = table.rows[0]
        columns = _map_header(parsed, sheet_index, table.kind, table.sheet, header_row, header)
        for number, values in table.rows[1:]:
            _parse_row(parsed, table.kind, table.sheet, number, columns, values, choices)
    return parsed


def _map_header(
    parsed: ParsedFile,
    sheet_index: int,
    kind: str,
    sheet: str,
    header_row: int,
    header: Sequence[object],
) -> dict[str, int]:
    """Return the column index of each known column; report unknown, repeated and missing ones."""
    aliases = _aliases(kind)
    columns: dict[str, int] = {}

    def add(label: str, message: str, index: int) -> None:
        parsed.errors.add(
            RowError(sheet, header_row, label, message),
            sheet_index=sheet_index,
            column_index=index,
        )

    for index, cell in enumerate(header):
        label = _text(cell)
        key = header_key(label)
        if not key or key in IGNORED_HEADERS:
            continue
        name = aliases.get(key)
        if name is None:
            names = ", ".join(c.name for c in COLUMNS[kind])
            add(
                label,
                _("Unknown column {label}. The columns of {kind} are: {names}.").format(
                    label=label, kind=kind, names=names
                ),
                index,
            )
        elif name in columns:
            add(label, _("The column {name} appears twice.").format(name=name), index)
        else:
            columns[name] = index
            parsed.labels[(sheet, name)] = (sheet_index, index, label)
    for column in COLUMNS[kind]:
        if column.required and column.name not in columns:
            message = _("The required column {name} is missing.").format(name=column.name)
            add(column.name, message, len(header))
        parsed.labels.setdefault((sheet, column.name), (sheet_index, -1, column.name))
    return columns


def _parse_row(
    parsed: ParsedFile,
    kind: str,
    sheet: str,
    number: int,
    columns: Mapping[str, int],
    values: Sequence[object],
    choices: Mapping[str, Mapping[str, str]],
) -> None:
    # The row object is built empty first so cell errors can name its sheet and row.
    if kind == "ranks":
        rank = RankRow(sheet, number, "", "", 0)
        cells = _RowReader(parsed, rank, columns, values)
        parsed.ranks.append(
            RankRow(
                sheet,
                number,
                code=cells.text(
                    "code", required=True, max_length=_max_length(CivilServiceRank, "code")
                ),
                name=cells.text("name", required=True),
                level=cells.integer("level"),
            )
        )
    elif kind == "positions":
        position = PositionRow(sheet, number, "", "", "", "")
        cells = _RowReader(parsed, position, columns, values)
        parsed.positions.append(
            PositionRow(
                sheet,
                number,
                code=cells.text("code", required=True, max_length=_max_length(JobPosition, "code")),
                name=cells.text("name", required=True),
                group=cells.choice("group", choices["group"], required=True),
                rank_code=cells.text("rank_code", max_length=_max_length(CivilServiceRank, "code")),
            )
        )
    elif kind == "units":
        unit = UnitRow(sheet, number, "", "", "", "", None, None)
        cells = _RowReader(parsed, unit, columns, values)
        code_length = _max_length(Unit, "code")
        row = UnitRow(
            sheet,
            number,
            code=cells.text("code", required=True, max_length=code_length),
            name=cells.text("name", required=True),
            kind=cells.choice("kind", choices["kind"], required=True),
            parent_code=cells.text("parent_code", max_length=code_length),
            valid_from=cells.date("valid_from"),
            valid_to=cells.date("valid_to"),
        )
        if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
            cells.error("valid_to", _("A unit cannot end before it starts."))
        parsed.units.append(row)
    else:
        person = PersonRow(sheet, number, "", "", "", "", "", None, "", "", "", "", None, "")
        cells = _RowReader(parsed, person, columns, values)
        code_length = _max_length(Unit, "code")
        parsed.people.append(
            PersonRow(
                sheet,
                number,
                officer_code=cells.text(
                    "officer_code", required=True, max_length=_max_length(Person, "officer_code")
                ),
                family_name=cells.text(
                    "family_name", required=True, max_length=_max_length(Person, "family_name")
                ),
                middle_name=cells.text(
                    "middle_name", max_length=_max_length(Person, "middle_name")
                ),
                given_name=cells.text(
                    "given_name", required=True, max_length=_max_length(Person, "given_name")
                ),
                gender=cells.choice("gender", choices["gender"], required=True),
                birth_date=cells.date("birth_date"),
                work_email=cells.email("work_email"),
                unit_code=cells.text("unit_code", required=True, max_length=code_length),
                position_code=cells.text(
                    "position_code", max_length=_max_length(JobPosition, "code")
                ),
                rank_code=cells.text("rank_code", max_length=_max_length(CivilServiceRank, "code")),
                hire_date=cells.date("hire_date"),
                status=cells.choice(
                    "status", choices["status"], required=False, default=PersonStatus.ACTIVE.value
                ),
            )
        )


#
# Step 3: rows against each other and the database
#


@dataclass(frozen=True)
class References:
    """The codes a file mentions, to look up in the database."""

    units: frozenset[str]
    positions: frozenset[str]
    ranks: frozenset[str]
    officer_codes: frozenset[str]
    work_emails: frozenset[str]


@dataclass(frozen=True)
class Existing:
    """Which of a file's codes the database already holds."""

    units: frozenset[str] = frozenset()
    positions: frozenset[str] = frozenset()
    ranks: frozenset[str] = frozenset()
    officer_codes: frozenset[str] = frozenset()
    work_emails: frozenset[str] = frozenset()


def references(parsed: ParsedFile) -> References:
    """Return every code the rows define or point to (empty cells left out)."""

    def codes(*values: Iterable[str]) -> frozenset[str]:
        return frozenset(v for group in values for v in group if v)

    return References(
        units=codes(
            (u.code for u in parsed.units),
            (u.parent_code for u in parsed.units),
            (p.unit_code for p in parsed.people),
        ),
        positions=codes(
            (p.code for p in parsed.positions), (p.position_code for p in parsed.people)
        ),
        ranks=codes(
            (r.code for r in parsed.ranks),
            (p.rank_code for p in parsed.positions),
            (p.rank_code for p in parsed.people),
        ),
        officer_codes=codes(p.officer_code for p in parsed.people),
        work_emails=codes(p.work_email for p in parsed.people),
    )


@dataclass(frozen=True)
class ImportPlan:
    """The rows to create, in creation order, and every error that forbids creating them."""

    ranks: tuple[RankRow, ...] = ()
    positions: tuple[PositionRow, ...] = ()
    units: tuple[UnitRow, ...] = ()  # parents before their children
    people: tuple[PersonRow, ...] = ()
    errors: tuple[RowError, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Return how many rows of each kind the plan creates."""
        return {
            "units": len(self.units),
            "positions": len(self.positions),
            "people": len(self.people),
            "ranks": len(self.ranks),
        }


def _first_rows[R: (RankRow, PositionRow, UnitRow, PersonRow)](
    parsed: ParsedFile, rows: Sequence[R], key: Callable[[R], str], column: str, message: str
) -> dict[str, R]:
    """Return the first row of each key; report every later row that repeats a key."""
    first: dict[str, R] = {}
    for row in rows:
        value = key(row)
        if not value:
            continue
        if value in first:
            earlier = first[value]
            parsed.error(
                row,
                column,
                message.format(value=value, row=earlier.row, sheet=earlier.sheet),
            )
        else:
            first[value] = row
    return first


def parent_cycles(parents: Mapping[str, str]) -> set[str]:
    """Return the codes that lie on a cycle of `parents` (code → parent code).

    A parent outside the mapping ends a chain; a unit that is its own parent is a cycle.
    """
    on_cycle: set[str] = set()
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parents and node not in done:
            if node in position:
                on_cycle.update(path[position[node] :])
                break
            position[node] = len(path)
            path.append(node)
            node = parents[node]
        done.update(path)
    return on_cycle


def _depths(parents: Mapping[str, str]) -> dict[str, int]:
    """Return each code's depth within the file (cycle-free `parents`)."""
    depths: dict[str, int] = {}

    def depth(code: str) -> int:
        chain: list[str] = []
        node = code
        while node in parents and node not in depths:
            chain.append(node)
            node = parents[node]
        # `node` is now a unit already placed, or a top unit of the file (depth 0).
        base = depths.get(node, 0)
        for offset, item in enumerate(reversed(chain), 1):
            depths[item] = base + offset
        return depths[code]

    for code in parents:
        depth(code)
    return depths


def validate(parsed: ParsedFile, existing: Existing) -> ImportPlan:
    """Check the rows against each other and the database; return the plan with every error.

    The import only creates: a code already in the database is refused, and so is a code
    that appears twice in the file. A reference (parent, unit, position, rank) must name a
    row of the file, in any order, or a record of the database. Units whose parents loop
    back to themselves are refused. Units are planned parents first.
    """
    ranks = _first_rows(
        parsed,
        parsed.ranks,
        lambda r: r.code,
        "code",
        _("The rank code {value} already appears on row {row} of {sheet}."),
    )
    positions = _first_rows(
        parsed,
        parsed.positions,
        lambda p: p.code,
        "code",
        _("The position code {value} already appears on row {row} of {sheet}."),
    )
    units = _first_rows(
        parsed,
        parsed.units,
        lambda u: u.code,
        "code",
        _("The unit code {value} already appears on row {row} of {sheet}."),
    )
    _first_rows(
        parsed,
        parsed.people,
        lambda p: p.officer_code,
        "officer_code",
        _("The officer code {value} already appears on row {row} of {sheet}."),
    )
    _first_rows(
        parsed,
        parsed.people,
        lambda p: p.work_email,
        "work_email",
        _("The e-mail {value} already appears on row {row} of {sheet}."),
    )

    for rank in parsed.ranks:
        if rank.code in existing.ranks:
            parsed.error(
                rank, "code", _("A rank with code {code} already exists.").format(code=rank.code)
            )
    for position in parsed.positions:
        if position.code in existing.positions:
            parsed.error(
                position,
                "code",
                _("A job position with code {code} already exists.").format(code=position.code),
            )
        if position.rank_code and not (
            position.rank_code in ranks or position.rank_code in existing.ranks
        ):
            parsed.error(
                position,
                "rank_code",
                _("Unknown rank code {code}.").format(code=position.rank_code),
            )

    parents = {u.code: u.parent_code for u in units.values() if u.parent_code in units}
    cycle = parent_cycles(parents)
    for unit in parsed.units:
        if unit.code in existing.units:
            parsed.error(
                unit, "code", _("A unit with code {code} already exists.").format(code=unit.code)
            )
        if unit.parent_code and not (
            unit.parent_code in units or unit.parent_code in existing.units
        ):
            parsed.error(
                unit, "parent_code", _("Unknown unit code {code}.").format(code=unit.parent_code)
            )
        if unit.code in cycle and units.get(unit.code) is unit:
            parsed.error(
                unit,
                "parent_code",
                _("The unit {code} would be below itself: its parents form a cycle.").format(
                    code=unit.code
                ),
            )

    for person in parsed.people:
        if person.officer_code in existing.officer_codes:
            parsed.error(
                person,
                "officer_code",
                _("The officer code {code} is already used.").format(code=person.officer_code),
            )
        if person.work_email in existing.work_emails:
            parsed.error(
                person,
                "work_email",
                _("Another person already has the e-mail {email}.").format(email=person.work_email),
            )
        if person.unit_code and not (
            person.unit_code in units or person.unit_code in existing.units
        ):
            parsed.error(
                person, "unit_code", _("Unknown unit code {code}.").format(code=person.unit_code)
            )
        if person.position_code and not (
            person.position_code in positions or person.position_code in existing.positions
        ):
            parsed.error(
                person,
                "position_code",
                _("Unknown job position code {code}.").format(code=person.position_code),
            )
        if person.rank_code and not (
            person.rank_code in ranks or person.rank_code in existing.ranks
        ):
            parsed.error(
                person, "rank_code", _("Unknown rank code {code}.").format(code=person.rank_code)
            )

    errors = parsed.errors.sorted()
    if errors:
        return ImportPlan(errors=errors)
    depths = _depths(parents)
    return ImportPlan(
        ranks=tuple(parsed.ranks),
        positions=tuple(parsed.positions),
        units=tuple(sorted(parsed.units, key=lambda u: depths.get(u.code, 0))),
        people=tuple(parsed.people),
    )


#
# Database side: look up, then write
#


def _existing_codes(model: type[Model], column: str, values: Iterable[str]) -> frozenset[str]:
    values = sorted(values)
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(
            model._default_manager.filter(**{f"{column}__in": chunk}).values_list(column, flat=True)
        )
    return frozenset(found)


def load_existing(refs: References) -> Existing:
    """Return which of the file's codes the database holds (a few indexed queries)."""
    return Existing(
        units=_existing_codes(Unit, "code", refs.units),
        positions=_existing_codes(JobPosition, "code", refs.positions),
        ranks=_existing_codes(CivilServiceRank, "code", refs.ranks),
        officer_codes=_existing_codes(Person, "officer_code", refs.officer_codes),
        work_emails=_existing_codes(Person, "work_email", refs.work_emails),
    )


def check_file(
    data: bytes, *, name: str = "", encoding: str | None = None, kind: str | None = None
) -> ImportPlan:
    """Read, parse and validate a file against the database; write nothing."""
    raw = read_tables(data, name=name, encoding=encoding, kind=kind)
    if raw.errors:
        return ImportPlan(errors=raw.errors)
    parsed = parse_tables(raw.tables)
    return validate(parsed, load_existing(references(parsed)))


class _Refused(Exception):
    """Leave the import's transaction, rolling it back, with the errors that stopped it."""

    def __init__(self, errors: tuple[RowError, ...]) -> None:
        super().__init__("import refused")
        self.errors = errors


def _by_code(model: type[Model], column: str, codes: Iterable[str]) -> dict[str, Any]:
    codes = sorted(codes)
    found: dict[str, Any] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for obj in model._default_manager.filter(
            **{f"{column}__in": codes[start : start + LOOKUP_CHUNK]}
        ):
            found[getattr(obj, column)] = obj
    return found


def apply_plan(
    plan: ImportPlan,
    *,
    acting_user: services.Actor,
    file_name: str = "",
    stored_file_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Create the plan's rows through the bulk services and record one `import.applied` event.

    The caller holds the transaction. The bulk services check again what `validate` checked;
    if they refuse (a record created meanwhile), `_Refused` carries their message so the
    caller rolls everything back. `progress` is called with the number of rows written.
    """
    tick = progress or (lambda _n: None)
    ranks: dict[str, CivilServiceRank] = _by_code(
        CivilServiceRank,
        "code",
        {p.rank_code for p in plan.positions} | {p.rank_code for p in plan.people},
    )
    positions: dict[str, JobPosition] = _by_code(
        JobPosition, "code", {p.position_code for p in plan.people}
    )
    units: dict[str, Unit] = _by_code(
        Unit, "code", {u.parent_code for u in plan.units} | {p.unit_code for p in plan.people}
    )
    new_ranks = [CivilServiceRank(code=r.code, name=r.name, level=r.level) for r in plan.ranks]
    ranks.update((r.code, r) for r in new_ranks)
    new_positions = [
        JobPosition(code=p.code, name=p.name, group=p.group, rank=ranks.get(p.rank_code))
        for p in plan.positions
    ]
    positions.update((p.code, p) for p in new_positions)
    # Parents come first in the plan, so each parent object exists before its children.
    new_units: list[Unit] = []
    for row in plan.units:
        unit = Unit(
            code=row.code,
            name=row.name,
            kind=row.kind,
            parent=units.get(row.parent_code),
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        units[row.code] = unit
        new_units.append(unit)
    people = [
        Person(
            officer_code=p.officer_code,
            family_name=p.family_name,
            middle_name=p.middle_name,
            given_name=p.given_name,
            gender=p.gender,
            birth_date=p.birth_date,
            work_email=p.work_email,
            unit=units[p.unit_code],
            job_position=positions.get(p.position_code),
            rank=ranks.get(p.rank_code),
            hire_date=p.hire_date,
            status=p.status,
        )
        for p in plan.people
    ]
    # As `create_person` does, the position history opens on the hire date when there is one.
    histories = [
        [
            PositionAssignment(
                unit=person.unit, job_position=person.job_position, starts_on=row.hire_date
            )
        ]
        if row.hire_date
        else []
        for person, row in zip(people, plan.people, strict=True)
    ]
    # A refusal names the sheet being written, the closest the bulk services can point.
    sheet = ""
    try:
        if new_ranks or new_positions:
            sheet = (plan.positions or plan.ranks)[0].sheet
            services.create_positions_bulk(
                acting_user=acting_user, ranks=new_ranks, positions=new_positions, audit=False
            )
            tick(len(new_ranks) + len(new_positions))
        if new_units:
            sheet = plan.units[0].sheet
            services.create_units_bulk(acting_user=acting_user, units=new_units, audit=False)
            tick(len(new_units))
        if people:
            sheet = plan.people[0].sheet
            services.create_people_bulk(
                acting_user=acting_user, people=people, histories=histories, audit=False
            )
            tick(len(people))
    except DomainError as exc:
        raise _Refused((RowError(sheet, None, "", exc.message),)) from exc
    except DatabaseError as exc:
        message = _("The database refused the import; nothing was written. Try again.")
        raise _Refused((RowError(sheet, None, "", message),)) from exc
    # One event for the whole import: the bulk services were told not to log each batch.
    record_event(
        Action.IMPORT_APPLIED,
        actor=acting_user,
        target_type="org.import",
        target_label=file_name[:255],
        data={"file": file_name, "stored_file": stored_file_id, "created": plan.counts},
    )
    return plan.counts


def import_file(
    data: bytes,
    *,
    acting_user: services.Actor,
    name: str = "",
    encoding: str | None = None,
    kind: str | None = None,
    dry_run: bool = False,
    stored_file_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate a file and, unless `dry_run` or it has errors, create everything it lists.

    All or nothing: the check and the writes share one transaction, so either every row is
    created (and one `import.applied` event recorded, naming the uploaded file if any) or
    nothing is.
    """
    if dry_run:
        plan = check_file(data, name=name, encoding=encoding, kind=kind)
        return ImportResult(dry_run=True, created=plan.counts, errors=plan.errors)
    try:
        with transaction.atomic():
            plan = check_file(data, name=name, encoding=encoding, kind=kind)
            if plan.errors:
                return ImportResult(dry_run=False, created=plan.counts, errors=plan.errors)
            counts = apply_plan(
                plan,
                acting_user=acting_user,
                file_name=name,
                stored_file_id=stored_file_id,
                progress=progress,
            )
    except _Refused as refused:
        return ImportResult(dry_run=False, created=ImportPlan().counts, errors=refused.errors)
    return ImportResult(dry_run=False, created=counts)
