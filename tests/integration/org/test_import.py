"""`lifelong import org FILE`: all or nothing, the error report, encodings, JSON and dry runs."""

import datetime
import io
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lifelong import cli
from lifelong.core.exceptions import Conflict
from lifelong.core.models import AuditEvent
from lifelong.org import importer, services
from lifelong.org.models import CivilServiceRank, JobPosition, Person, PositionAssignment, Unit

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "fixtures" / "import"


@pytest.fixture(autouse=True)
def english():
    # Messages are asserted in English; the default language is Vietnamese.
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[int, str, str]:
    """Run `lifelong import org ARGS` in-process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "org", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def table_sizes() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "positions": JobPosition.objects.count(),
        "ranks": CivilServiceRank.objects.count(),
        "people": Person.objects.count(),
        "history": PositionAssignment.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def good_workbook(path: Path) -> Path:
    """A workbook of one rank, two positions, three units (a child before its parent), 3 people."""
    return workbook(
        path,
        {
            "ranks": [["code", "name", "level"], ["01.002", "Kiểm tra viên chính hải quan", 4]],
            "positions": [
                ["Mã vị trí", "Tên vị trí", "Nhóm", "Mã ngạch"],
                ["VT-LD", "Chi cục trưởng", "leadership", ""],
                ["VT-KS", "Kiểm soát viên", "Chuyên môn", "01.002"],
            ],
            "units": [
                ["code", "name", "kind", "parent_code", "valid_from", "valid_to"],
                ["KV09-01", "Đội Kiểm soát", "team", "KV09", None, None],
                [
                    "KV09",
                    "Chi cục Hải quan khu vực IX",
                    "regional",
                    "CHQ",
                    datetime.datetime(2025, 3, 1),
                    None,
                ],
                ["KV10", "Chi cục Hải quan khu vực X", "Chi cục", "CHQ", "01/03/2025", ""],
            ],
            "people": [
                [
                    "Mã cán bộ",
                    "Họ",
                    "Tên đệm",
                    "Tên",
                    "Giới tính",
                    "Ngày sinh",
                    "Email",
                    "Mã đơn vị",
                    "Mã vị trí",
                    "Mã ngạch",
                    "Ngày tuyển dụng",
                    "Trạng thái",
                ],
                [
                    "X0001",
                    "Nguyễn",
                    "Văn",
                    "Đức",
                    "Nam",
                    datetime.datetime(1980, 5, 17),
                    "Duc.NV@example.test",
                    "KV09",
                    "VT-LD",
                    "01.002",
                    "01/09/2005",
                    "",
                ],
                [
                    "X0002",
                    "Trần",
                    "Thị",
                    "Hằng",
                    "female",
                    "1991-12-31",
                    "",
                    "KV09-01",
                    "VT-KS",
                    "",
                    None,
                    "Đang công tác",
                ],
                [
                    "X0003",
                    "Lê",
                    "",
                    "Minh",
                    "male",
                    None,
                    None,
                    "KV01-01",
                    None,
                    None,
                    None,
                    "retired",
                ],
            ],
        },
    )


#
# All or nothing
#


def test_bad_rows_are_all_reported_and_nothing_is_written(org):
    # given the bad-rows fixture and a database with the small organisation
    before = table_sizes()
    # when
    code, out, _err = run(str(FIXTURES / "people_bad.csv"), "--json")
    # then: every bad cell, with row and column as the file shows them
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    where = [(e["row"], e["column"]) for e in report["errors"]]
    assert where == [
        (3, "Mã cán bộ"),
        (3, "Ngày sinh"),
        (3, "Email"),
        (3, "Mã đơn vị"),
        (3, "Mã vị trí"),
        (4, "Tên"),
        (4, "Giới tính"),
        (4, "Ngày sinh"),
        (4, "Trạng thái"),
    ]
    assert set(report["errors"][0]) == {"sheet", "row", "column", "message"}
    assert "BAD001" in report["errors"][0]["message"]
    # and row 2, valid on its own, was not written either
    assert table_sizes() == before
    assert not Person.objects.filter(officer_code="BAD001").exists()


def test_human_error_report_is_a_table_on_stderr(org):
    # given / when
    code, out, err = run(str(FIXTURES / "people_bad.csv"))
    # then
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].split() == ["Sheet", "Row", "Column", "Message"]
    assert any("people_bad.csv" in line and " 4 " in line and "sleeping" in line for line in lines)


def test_a_refusal_while_writing_rolls_back_every_row(org, monkeypatch, tmp_path):
    # given a valid workbook, and a people service that refuses after ranks, positions and
    # units were written (as when someone takes an officer code meanwhile)
    path = good_workbook(tmp_path / "org.xlsx")
    before = table_sizes()

    def refuse(**kwargs):
        raise Conflict("Officer code already used: X0002.")

    monkeypatch.setattr(services, "create_people_bulk", refuse)
    # when
    code, out, _err = run(str(path), "--json")
    # then
    assert code == 1
    errors = json.loads(out)["errors"]
    assert [(e["sheet"], e["message"]) for e in errors] == [
        ("people", "Officer code already used: X0002.")
    ]
    assert table_sizes() == before


#
# Valid files
#


def test_valid_workbook_imports_ranks_positions_units_and_people(org, tmp_path):
    # given
    path = good_workbook(tmp_path / "org.xlsx")
    # when
    code, out, _err = run(str(path), "--json")
    # then
    assert code == 0
    assert json.loads(out) == {
        "ok": True,
        "dry_run": False,
        "created": {"units": 3, "positions": 2, "people": 3, "ranks": 1},
    }
    region = Unit.objects.get(code="KV09")
    team = Unit.objects.get(code="KV09-01")
    assert region.parent == org.root and team.parent == region
    assert team.path.startswith(region.path) and team.depth == 2
    assert region.valid_from == datetime.date(2025, 3, 1)
    assert Unit.objects.get(code="KV10").kind == "regional"
    assert JobPosition.objects.get(code="VT-KS").rank.code == "01.002"
    duc = Person.objects.get(officer_code="X0001")
    assert (duc.full_name, duc.gender, duc.work_email) == (
        "Nguyễn Văn Đức",
        "male",
        "duc.nv@example.test",
    )
    assert (duc.unit, duc.job_position.code, duc.rank.code) == (region, "VT-LD", "01.002")
    assert duc.birth_date == datetime.date(1980, 5, 17)
    assert duc.assignments.get().starts_on == datetime.date(2005, 9, 1)
    assert Person.objects.get(officer_code="X0002").status == "active"
    assert Person.objects.get(officer_code="X0003").unit == org.team_1
    event = AuditEvent.objects.get(action="import.applied")
    assert event.actor is None and event.data["channel"] == "cli"
    assert event.data["created"] == {"units": 3, "positions": 2, "people": 3, "ranks": 1}


def test_human_summary_lists_the_counts(org, tmp_path):
    # given
    path = good_workbook(tmp_path / "org.xlsx")
    # when
    code, out, _err = run(str(path))
    # then
    assert code == 0
    assert out.splitlines()[0] == "Imported:"
    assert "  people: 3" in out.splitlines()


def test_importing_the_same_workbook_twice_is_refused_the_second_time(org, tmp_path):
    # given a workbook already imported
    path = good_workbook(tmp_path / "org.xlsx")
    assert run(str(path))[0] == 0
    before = table_sizes()
    # when
    code, out, _err = run(str(path), "--json")
    # then: the import only creates; every existing code is an error
    assert code == 1
    messages = [e["message"] for e in json.loads(out)["errors"]]
    assert "The officer code X0001 is already used." in messages
    assert "A unit with code KV09 already exists." in messages
    assert table_sizes() == before


def test_dry_run_validates_and_writes_nothing(org, tmp_path):
    # given
    path = good_workbook(tmp_path / "org.xlsx")
    before = table_sizes()
    # when
    code, out, _err = run(str(path), "--dry-run", "--json")
    human = run(str(path), "--dry-run")
    # then
    assert code == 0
    assert json.loads(out) == {
        "ok": True,
        "dry_run": True,
        "created": {"units": 3, "positions": 2, "people": 3, "ranks": 1},
    }
    assert human[0] == 0 and "dry run" in human[1]
    assert table_sizes() == before


def test_utf8_csv_with_bom_imports(org):
    # given / when
    code, out, _err = run(str(FIXTURES / "people_utf8_bom.csv"), "--json")
    # then
    assert code == 0 and json.loads(out)["created"]["people"] == 2
    hang = Person.objects.get(officer_code="IMP0002")
    assert hang.full_name == "Trần Thị Hằng" and hang.unit == org.team_2
    assert hang.birth_date == datetime.date(1990, 12, 31)


#
# Encodings
#


def test_cp1258_csv_is_refused_without_encoding_with_the_advice(org):
    # given
    before = table_sizes()
    # when
    code, out, _err = run(str(FIXTURES / "people_cp1258.csv"), "--json")
    # then
    assert code == 1
    (error,) = json.loads(out)["errors"]
    assert "UTF-8" in error["message"] and "--encoding cp1258" in error["message"]
    assert table_sizes() == before


def test_cp1258_csv_imports_nfc_names_with_its_encoding(org):
    # given / when
    code, _out, _err = run(str(FIXTURES / "people_cp1258.csv"), "--encoding", "cp1258")
    # then
    assert code == 0
    duc = Person.objects.get(officer_code="IMP0101")
    thuy = Person.objects.get(officer_code="IMP0102")
    assert duc.family_name == "Nguyễn" and duc.given_name == "Đức"
    assert thuy.full_name == "Phạm Thị Thuỷ"
    for name in (duc.full_name, thuy.full_name):
        assert unicodedata.is_normalized("NFC", name)


def test_unknown_encoding_and_missing_file_are_refused(tmp_path):
    # given / when / then
    with pytest.raises(CommandError, match="Unknown encoding"):
        call_command("import", "org", str(FIXTURES / "people_bad.csv"), "--encoding", "klingon")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import", "org", str(tmp_path / "missing.xlsx"))


#
# The `lifelong` command itself
#


@pytest.mark.django_db(transaction=True)
def test_lifelong_import_org_runs_from_the_command_line(org, capsys):
    # given the argv a person types: lifelong import org FILE --json
    argv = ["import", "org", str(FIXTURES / "people_utf8_bom.csv"), "--json"]
    # when
    code = cli.main(argv)
    # then
    assert code == 0
    assert json.loads(capsys.readouterr().out)["created"]["people"] == 2


@pytest.mark.django_db(transaction=True)
def test_lifelong_import_org_exits_non_zero_on_a_bad_file(org, capsys):
    # given / when
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["import", "org", str(FIXTURES / "people_bad.csv")])
    # then
    assert exit_info.value.code == 1
    assert "nothing was written" in capsys.readouterr().err


def test_import_file_is_usable_without_the_command(org):
    # given the service-level entry point, as the admin page uses it
    data = (FIXTURES / "people_utf8_bom.csv").read_bytes()
    # when
    result = importer.import_file(data, acting_user=None, name="p.csv", dry_run=True)
    # then
    assert result.ok and result.created["people"] == 2 and Person.objects.count() == 0
