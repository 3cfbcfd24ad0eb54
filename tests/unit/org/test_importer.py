"""The import's reading, parsing and validation: bytes and plain data in, errors or a plan out."""

import datetime
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from lifelong.org.importer import (
    Existing,
    RawTable,
    decode_text,
    header_key,
    parent_cycles,
    parse_date,
    parse_tables,
    read_tables,
    validate,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "import"


@pytest.fixture(autouse=True)
def english():
    # Messages are asserted in English; the default language is Vietnamese.
    with translation.override("en"):
        yield


def _table(kind: str, *rows: tuple[object, ...], sheet: str = "") -> RawTable:
    return RawTable(
        sheet=sheet or kind, kind=kind, rows=tuple((n, row) for n, row in enumerate(rows, 1))
    )


def _plan(*tables: RawTable, existing: Existing | None = None):
    return validate(parse_tables(tables), existing or Existing())


def _where(plan) -> set[tuple[int | None, str]]:
    return {(e.row, e.column) for e in plan.errors}


UNIT_HEADER = ("code", "name", "kind", "parent_code", "valid_from", "valid_to")
PERSON_HEADER = (
    "officer_code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "work_email",
    "unit_code",
    "position_code",
    "rank_code",
    "hire_date",
    "status",
)


def _person(code: str, *, unit: str = "U1", email: str = "", **over: object) -> tuple[object, ...]:
    values = {
        "officer_code": code,
        "family_name": "Nguyễn",
        "middle_name": "Văn",
        "given_name": "An",
        "gender": "male",
        "birth_date": "01/02/1980",
        "work_email": email,
        "unit_code": unit,
        "position_code": "",
        "rank_code": "",
        "hire_date": "",
        "status": "",
    }
    values.update(over)
    return tuple(values[c] for c in PERSON_HEADER)


#
# Dates, headers, encodings
#


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("05/03/2024", datetime.date(2024, 3, 5)),
        ("5/3/2024", datetime.date(2024, 3, 5)),
        ("05.03.2024", datetime.date(2024, 3, 5)),
        ("2024-03-05", datetime.date(2024, 3, 5)),
        (datetime.datetime(2024, 3, 5, 0, 0), datetime.date(2024, 3, 5)),
        (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_accepts_day_first_iso_and_date_cells(cell, expected):
    # given a cell; when parsed; then
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/2024", "2024/03/05", "05/03/24", "March 5", 45356])
def test_parse_date_refuses_impossible_ambiguous_or_numeric_dates(cell):
    # given a bad cell; when parsed; then
    with pytest.raises(ValueError):
        parse_date(cell)


def test_header_key_folds_vietnamese_headers():
    # given headers spelled three ways; when folded; then they are one key
    assert header_key("Mã cán bộ") == header_key("MA CAN BO") == "ma_can_bo"
    assert header_key("Ngày sinh (dd/mm/yyyy)") == "ngay_sinh"
    assert header_key("Officer code") == "officer_code"


def test_decode_text_drops_the_bom_and_normalises_to_nfc():
    # given UTF-8 with a BOM and a decomposed letter
    data = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", "Nguyễn").encode()
    # when
    text, error = decode_text(data, None)
    # then
    assert error is None
    assert text == "Nguyễn" and unicodedata.is_normalized("NFC", text)


def test_decode_text_refuses_non_utf8_with_the_cp1258_advice():
    # given a Windows-1258 file read without an encoding
    data = (FIXTURES / "people_cp1258.csv").read_bytes()
    # when
    text, error = decode_text(data, None)
    # then
    assert text is None
    assert error is not None and error.row == 2
    assert "--encoding cp1258" in error.message


def test_decode_text_reads_cp1258_to_nfc_when_told():
    # given the same file with its encoding named
    data = (FIXTURES / "people_cp1258.csv").read_bytes()
    # when
    text, error = decode_text(data, "cp1258")
    # then
    assert error is None and text is not None
    assert "Nguyễn,Văn,Đức" in text and "Phạm,Thị,Thuỷ" in text
    assert unicodedata.is_normalized("NFC", text)


def test_decode_text_refuses_an_unknown_encoding():
    # given / when
    text, error = decode_text(b"a,b", "no-such-codec")
    # then
    assert text is None and error is not None and "no-such-codec" in error.message


#
# Reading files
#


def test_csv_kind_is_told_by_the_header_and_semicolons_are_accepted():
    # given a semicolon CSV with Vietnamese headers
    data = "Mã cán bộ;Họ;Tên;Giới tính;Mã đơn vị\nA1;Lê;Hoa;Nữ;U1\n".encode()
    # when
    raw = read_tables(data, name="x.csv")
    # then
    assert raw.errors == ()
    (table,) = raw.tables
    assert table.kind == "people"
    assert table.rows[1] == (2, ("A1", "Lê", "Hoa", "Nữ", "U1"))


def test_csv_without_a_telling_header_needs_the_kind():
    # given a header of only code and name
    data = b"code,name\nR1,Rank one\n"
    # when
    refused = read_tables(data, name="ranks.csv")
    told = read_tables(data, name="ranks.csv", kind="ranks")
    # then
    assert refused.errors[0].row == 1 and "--kind" in refused.errors[0].message
    assert told.errors == () and told.tables[0].kind == "ranks"


def test_empty_csv_is_refused():
    # given / when
    raw = read_tables(b"\xef\xbb\xbf\r\n\r\n", name="empty.csv")
    # then
    assert [e.message for e in raw.errors] == ["The file is empty."]


def test_workbook_sheets_are_told_by_name_or_header_and_keep_their_row_numbers():
    # given a workbook whose people sheet has a blank row and a header-only named sheet
    book = openpyxl.Workbook()
    units = book.active
    units.title = "Đơn vị"
    units.append(["Mã", "Tên", "Loại"])
    units.append(["U1", "Cục", "administration"])
    sheet = book.create_sheet("Sheet2")
    sheet.append(["officer_code", "family_name", "given_name", "gender", "unit_code"])
    sheet.append([])
    sheet.append([1234, "Lê", "Hoa", "female", "U1"])
    book.create_sheet("Hướng dẫn").append(["Read me first"])
    buffer = io.BytesIO()
    book.save(buffer)
    # when
    raw = read_tables(buffer.getvalue(), name="org.xlsx")
    # then
    assert raw.errors == ()
    assert [(t.sheet, t.kind) for t in raw.tables] == [("Đơn vị", "units"), ("Sheet2", "people")]
    assert raw.tables[1].rows[1][0] == 3


def test_a_damaged_workbook_and_an_old_xls_are_refused():
    # given / when
    damaged = read_tables(b"PK\x03\x04 not really a zip", name="x.xlsx")
    old = read_tables(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", name="x.xls")
    # then
    assert "XLSX" in damaged.errors[0].message
    assert ".xlsx" in old.errors[0].message


#
# Parsing and validation
#


def test_valid_rows_make_a_plan_with_units_parents_first():
    # given a child listed before its parent, a position with a rank, a person
    plan = _plan(
        _table("ranks", ("code", "name", "level"), ("KTV", "Kiểm tra viên", "3")),
        _table(
            "positions",
            ("code", "name", "group", "rank_code"),
            ("P1", "Kiểm soát viên", "Chuyên môn", "KTV"),
        ),
        _table(
            "units",
            UNIT_HEADER,
            ("T1", "Đội 1", "team", "R1", "", ""),
            ("R1", "Chi cục khu vực I", "Chi cục", "ROOT", "01/07/2025", ""),
            ("X", "Khác", "Headquarters department", "", "", ""),
        ),
        _table(
            "people",
            PERSON_HEADER,
            _person(
                "A1",
                unit="T1",
                email="A1@Example.test",
                position_code="P1",
                rank_code="KTV",
                gender="Nữ",
                status="nghỉ hưu",
            ),
        ),
        existing=Existing(units=frozenset({"ROOT"})),
    )
    # when / then
    assert plan.errors == ()
    assert [u.code for u in plan.units] == ["R1", "X", "T1"]
    assert plan.units[0].kind == "regional" and plan.units[0].valid_from == datetime.date(
        2025, 7, 1
    )
    assert plan.positions[0].group == "professional"
    assert plan.ranks[0].level == 3
    person = plan.people[0]
    assert (person.gender, person.status, person.work_email) == (
        "female",
        "retired",
        "a1@example.test",
    )
    assert plan.counts == {"units": 3, "positions": 1, "people": 1, "ranks": 1}


def test_every_bad_cell_is_reported_with_row_and_column():
    # given people with a bad date, e-mail, enum, empty required cell and unknown references
    plan = _plan(
        _table(
            "people",
            PERSON_HEADER,
            _person("A1", birth_date="31/02/1980"),
            _person("A2", email="not-an-email", gender="robot"),
            _person("A3", given_name="", unit="NOPE", position_code="P9", rank_code="R9"),
            _person("A4", status="asleep", hire_date="2020/01/01"),
        ),
        existing=Existing(units=frozenset({"U1"})),
    )
    # when / then
    assert _where(plan) == {
        (2, "birth_date"),
        (3, "work_email"),
        (3, "gender"),
        (4, "given_name"),
        (4, "unit_code"),
        (4, "position_code"),
        (4, "rank_code"),
        (5, "status"),
        (5, "hire_date"),
    }
    assert [e.row for e in plan.errors] == sorted(e.row for e in plan.errors)
    assert plan.people == ()


def test_duplicate_officer_code_and_email_in_the_file_are_errors_on_the_later_row():
    # given
    plan = _plan(
        _table(
            "people",
            PERSON_HEADER,
            _person("A1", email="a@example.test"),
            _person("A2", email="A@example.test"),
            _person("A1", email="c@example.test"),
        ),
        existing=Existing(units=frozenset({"U1"})),
    )
    # when / then
    assert _where(plan) == {(3, "work_email"), (4, "officer_code")}
    message = next(e.message for e in plan.errors if e.row == 4)
    assert "A1" in message and "row 2" in message


def test_codes_already_in_the_database_are_refused():
    # given an officer code, an e-mail and a unit code the database holds
    plan = _plan(
        _table("units", UNIT_HEADER, ("U1", "Again", "team", "", "", "")),
        _table("people", PERSON_HEADER, _person("OLD", email="old@example.test")),
        existing=Existing(
            units=frozenset({"U1"}),
            officer_codes=frozenset({"OLD"}),
            work_emails=frozenset({"old@example.test"}),
        ),
    )
    # when / then
    assert {(e.sheet, e.row, e.column) for e in plan.errors} == {
        ("units", 2, "code"),
        ("people", 2, "officer_code"),
        ("people", 2, "work_email"),
    }


def test_missing_required_column_is_reported_once_at_the_header():
    # given a people sheet without unit_code and with an unknown column, three rows
    kept = [i for i, c in enumerate(PERSON_HEADER) if c != "unit_code"]
    header = (*(PERSON_HEADER[i] for i in kept), "shoe_size", "STT")
    rows = [(*(_person(f"A{n}")[i] for i in kept), "42", str(n)) for n in range(3)]
    # when
    plan = _plan(_table("people", header, *rows))
    # then
    assert [(e.row, e.column) for e in plan.errors] == [(1, "shoe_size"), (1, "unit_code")]
    assert "unit_code" in plan.errors[1].message


def test_error_columns_are_named_as_the_file_writes_them():
    # given Vietnamese headers
    header = ("Mã cán bộ", "Họ", "Tên", "Giới tính", "Mã đơn vị", "Ngày sinh")
    # when
    plan = _plan(
        _table("people", header, ("A1", "Lê", "Hoa", "Nữ", "U1", "hôm qua")),
        existing=Existing(units=frozenset({"U1"})),
    )
    # then
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Ngày sinh")]


def test_unit_parent_cycles_are_refused():
    # given A under B under C under A, D its own parent, E under A (not on the cycle)
    plan = _plan(
        _table(
            "units",
            UNIT_HEADER,
            ("A", "A", "team", "B", "", ""),
            ("B", "B", "team", "C", "", ""),
            ("C", "C", "team", "A", "", ""),
            ("D", "D", "team", "D", "", ""),
            ("E", "E", "team", "A", "", ""),
        )
    )
    # when / then
    assert _where(plan) == {
        (2, "parent_code"),
        (3, "parent_code"),
        (4, "parent_code"),
        (5, "parent_code"),
    }


def test_unit_ending_before_it_starts_and_unknown_parent_are_refused():
    # given
    plan = _plan(
        _table("units", UNIT_HEADER, ("A", "A", "team", "GHOST", "01/01/2025", "31/12/2024"))
    )
    # when / then
    assert _where(plan) == {(2, "valid_to"), (2, "parent_code")}


def test_parent_cycles_finds_only_the_loop():
    # given / when / then
    assert parent_cycles({"a": "b", "b": "a", "c": "a", "d": "x"}) == {"a", "b"}
    assert parent_cycles({"a": "a"}) == {"a"}
    assert parent_cycles({}) == set()


def test_reading_the_bad_fixture_reports_every_bad_row():
    # given the bad-rows fixture and a database holding its one known unit
    raw = read_tables((FIXTURES / "people_bad.csv").read_bytes(), name="people_bad.csv")
    # when
    plan = validate(parse_tables(raw.tables), Existing(units=frozenset({"KV01-01"})))
    # then
    assert {(e.row, e.column) for e in plan.errors} == {
        (3, "Mã cán bộ"),
        (3, "Ngày sinh"),
        (3, "Email"),
        (3, "Mã đơn vị"),
        (3, "Mã vị trí"),
        (4, "Tên"),
        (4, "Giới tính"),
        (4, "Ngày sinh"),
        (4, "Trạng thái"),
    }


def test_undecodable_and_unreadable_csv_are_refused_naming_the_file():
    # given a cp1258 file read as UTF-8, and a field longer than the csv module allows
    cp1258 = (FIXTURES / "people_cp1258.csv").read_bytes()
    # when
    undecodable = read_tables(cp1258, name="p.csv")
    unreadable = read_tables(b"officer_code,family_name\nA," + b"B" * 200_000 + b"\n", name="n.csv")
    # then
    assert [(e.sheet, e.row) for e in undecodable.errors] == [("p.csv", 2)]
    assert unreadable.errors[0].sheet == "n.csv"
    assert "could not be read as CSV" in unreadable.errors[0].message
