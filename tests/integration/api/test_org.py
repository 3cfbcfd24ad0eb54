"""The organisation endpoints: scoping by role, search, paging, malformed input, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong.org import queries, services
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db

ROLES = [
    "officer",
    "unit_head",
    "training_office",
    "secretariat",
    "pipeline_committee",
    "administrator",
]
ROLES_THAT_SEE_PEOPLE = [r for r in ROLES if r != "officer"]


#
# The scoping matrix: every role, for own unit / sub-unit / other region
#


@pytest.fixture
def scoped(org, api_client, request):
    """An account holding one role on region 1, with its own record there, and colleagues."""
    role = request.param
    me = person(org.region_1, "Lê", "Minh", "Khoa")
    colleague = person(org.region_1, "Phạm", "Thu", "Lan")
    below = person(org.team_1, "Võ", "Quốc", "Bảo")
    other = person(org.team_2, "Đỗ", "Hải", "Yến")
    user = account(f"u-{role}", (role, org.region_1), person=me)
    return role, api_client(user), {"me": me, "own": colleague, "sub": below, "other": other}


TARGETS = {"own": "region_1", "sub": "team_1", "other": "region_2"}


@pytest.mark.parametrize("scoped", ROLES, indirect=True)
@pytest.mark.parametrize("target", ["own", "sub", "other"])
def test_unit_is_visible_in_own_subtree_only(org, scoped, target):
    # given
    _role, client, _people = scoped
    unit = getattr(org, TARGETS[target])
    # when
    response = client.get(f"/api/v1/units/{unit.pk}")
    # then
    expected = 404 if target == "other" else 200
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["id"] == unit.pk
    else:
        assert response.json() == {"message": "Not found."}


@pytest.mark.parametrize("scoped", ROLES, indirect=True)
@pytest.mark.parametrize("target", ["own", "sub", "other"])
def test_person_is_visible_by_role_and_subtree(scoped, target):
    # given
    role, client, people = scoped
    # when
    response = client.get(f"/api/v1/people/{people[target].officer_code}")
    # then: an officer sees only their own record; nobody sees another region
    visible = role != "officer" and target != "other"
    assert response.status_code == (200 if visible else 404)


@pytest.mark.parametrize("scoped", ROLES, indirect=True)
def test_everyone_sees_their_own_record(scoped):
    # given
    _role, client, people = scoped
    # when
    response = client.get(f"/api/v1/people/{people['me'].officer_code}")
    # then
    assert response.status_code == 200
    assert response.json()["officer_code"] == people["me"].officer_code


@pytest.mark.parametrize("scoped", ROLES, indirect=True)
def test_unit_list_holds_the_subtree_of_the_role(org, scoped):
    # given
    _role, client, _people = scoped
    # when
    body = client.get("/api/v1/units").json()
    # then
    assert [u["id"] for u in body["items"]] == [org.region_1.pk, org.team_1.pk]
    assert body["count"] == 2


@pytest.mark.parametrize("scoped", ROLES, indirect=True)
def test_people_list_holds_what_the_role_may_see(scoped):
    # given
    role, client, people = scoped
    # when
    body = client.get("/api/v1/people", {"limit": 500}).json()
    # then
    codes = {item["officer_code"] for item in body["items"]}
    if role == "officer":
        assert codes == {people["me"].officer_code}
    else:
        assert codes == {people[k].officer_code for k in ("me", "own", "sub")}
    assert body["count"] == len(codes)


@pytest.mark.parametrize("scoped", ROLES_THAT_SEE_PEOPLE, indirect=True)
def test_people_of_a_unit_cover_its_whole_subtree(org, scoped):
    # given
    _role, client, people = scoped
    # when
    region = client.get("/api/v1/people", {"unit_id": org.region_1.pk}).json()
    team = client.get("/api/v1/people", {"unit_id": org.team_1.pk}).json()
    # then
    assert {i["officer_code"] for i in region["items"]} == {
        people[k].officer_code for k in ("me", "own", "sub")
    }
    assert [i["officer_code"] for i in team["items"]] == [people["sub"].officer_code]


@pytest.mark.parametrize("scoped", ROLES, indirect=True)
def test_filtering_by_a_unit_of_another_region_answers_404(org, scoped):
    # given
    _role, client, _people = scoped
    # when
    people = client.get("/api/v1/people", {"unit_id": org.region_2.pk})
    units = client.get("/api/v1/units", {"parent_id": org.region_2.pk})
    # then
    assert people.status_code == units.status_code == 404


def test_administrator_of_the_root_sees_every_region(org, api_client):
    # given
    other = person(org.team_2)
    client = api_client(account("admin", ("administrator", org.root)))
    # when
    units = client.get("/api/v1/units").json()
    found = client.get(f"/api/v1/people/{other.officer_code}")
    # then
    assert units["count"] == 6
    assert found.status_code == 200


def test_out_of_scope_and_missing_answer_alike(org, api_client):
    # given
    other = person(org.team_2)
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    refused = client.get(f"/api/v1/people/{other.officer_code}")
    missing = client.get("/api/v1/people/NO-SUCH-CODE")
    # then
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


#
# The shape of the answers
#


def test_person_answer_holds_basic_data_only(org, api_client):
    # given
    rank = services.create_rank(acting_user=None, code="KTV", name="Kiểm tra viên", level=2)
    position = services.create_job_position(
        acting_user=None, code="NV-GS", name="Giám sát hải quan", group="professional", rank=rank
    )
    someone = services.create_person(
        acting_user=None,
        officer_code="HQ900001",
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Mai",
        gender="female",
        unit=org.team_1,
        job_position=position,
        rank=rank,
    )
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    body = client.get(f"/api/v1/people/{someone.officer_code}").json()
    # then
    assert body["full_name"] == "Nguyễn Thị Mai"
    assert body["unit_id"] == org.team_1.pk and isinstance(body["unit_id"], int)
    assert body["unit_code"] == "KV01-01"
    assert body["job_position_code"] == "NV-GS" and body["rank_code"] == "KTV"
    assert body["gender"] == "female" and body["status"] == "active"
    assert not any("party" in key or "discipline" in key for key in body)


def test_unit_answer_uses_integer_ids(org, api_client):
    # given
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    body = client.get(f"/api/v1/units/{org.team_1.pk}").json()
    # then
    assert body["id"] == org.team_1.pk and body["parent_id"] == org.region_1.pk
    assert body["kind"] == "team" and body["depth"] == 2


#
# Search
#


def test_people_search_ignores_diacritics_and_case(org, api_client):
    # given
    found = person(org.team_1, "Nguyễn", "Văn", "Đức")
    person(org.team_1, "Trần", "Thị", "Hoa")
    person(org.team_1, "Nguyễn", "Thị", "Hạnh")
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    plain = client.get("/api/v1/people", {"q": "nguyen van"}).json()
    accented = client.get("/api/v1/people", {"q": "NGUYỄN VĂN đức"}).json()
    # then
    assert [i["officer_code"] for i in plain["items"]] == [found.officer_code]
    assert plain["items"][0]["full_name"] == "Nguyễn Văn Đức"
    assert plain["count"] == 1
    assert accented == plain


def test_people_search_stays_inside_the_scope(org, api_client):
    # given
    person(org.team_2, "Nguyễn", "Văn", "Tâm")
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    body = client.get("/api/v1/people", {"q": "nguyen van tam"}).json()
    # then
    assert body == {"items": [], "count": 0}


def test_people_filter_by_status(org, api_client):
    # given
    retired = person(org.team_1, given="Hưu")
    services.update_person(acting_user=None, person=retired, status="retired")
    person(org.team_1, given="Làm")
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    body = client.get("/api/v1/people", {"status": "retired"}).json()
    bad = client.get("/api/v1/people", {"status": "sleeping"})
    # then
    assert [i["officer_code"] for i in body["items"]] == [retired.officer_code]
    assert bad.status_code == 422


def test_unit_search_and_parent_filter(org, api_client):
    # given
    client = api_client(account("admin", ("administrator", org.root)))
    # when
    found = client.get("/api/v1/units", {"q": "noi bai"}).json()
    children = client.get("/api/v1/units", {"parent_id": org.root.pk}).json()
    # then
    assert [u["id"] for u in found["items"]] == [org.team_1.pk]
    assert {u["id"] for u in children["items"]} == {
        org.region_1.pk,
        org.region_2.pk,
        org.hq_dept.pk,
    }
    assert children["count"] == 3


#
# Paging
#


def test_pages_partition_the_list_and_count_it_all(org, api_client):
    # given
    for given in ["An", "Bình", "Chi", "Dũng", "Giang"]:
        person(org.team_1, given=given)
    client = api_client(account("head", ("unit_head", org.region_1)))
    everyone = client.get("/api/v1/people").json()
    # when
    pages = [client.get("/api/v1/people", {"limit": 2, "offset": o}).json() for o in (0, 2, 4)]
    past_the_end = client.get("/api/v1/people", {"limit": 2, "offset": 10}).json()
    # then
    assert everyone["count"] == 5
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert all(p["count"] == 5 for p in pages)
    assert [i for p in pages for i in p["items"]] == everyone["items"]
    assert past_the_end == {"items": [], "count": 5}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"q": "x" * 201}, "q"),
    ],
)
@pytest.mark.parametrize("endpoint", ["/api/v1/units", "/api/v1/people"])
def test_paging_out_of_range_answers_422_json(org, api_client, endpoint, params, field):
    # given
    client = api_client(account("head", ("unit_head", org.region_1)))
    # when
    response = client.get(endpoint, params)
    # then
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "The request is not valid."
    assert [e["loc"] for e in body["errors"]] == [["query", field]]
    assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"])


#
# Malformed ids: a clear JSON answer, never a 500
#


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/units/abc", 422),
        ("/api/v1/units/1.5", 422),
        ("/api/v1/units/-1", 404),
        ("/api/v1/units/0", 404),
        ("/api/v1/units/99999999999999999999999", 404),  # beyond a 64-bit integer
        ("/api/v1/units?parent_id=abc", 422),
        ("/api/v1/units?parent_id=99999999999999999999999", 404),
        ("/api/v1/people?unit_id=abc", 422),
        ("/api/v1/people?unit_id=99999999999999999999999", 404),
        ("/api/v1/people/" + "X" * 40, 404),
        ("/api/v1/people/%20", 404),
        ("/api/v1/units/", 404),
    ],
)
def test_malformed_id_answers_a_json_error(org, api_client, path, status):
    # given
    client = api_client(account("admin", ("administrator", org.root)))
    # when
    response = client.get(path)
    # then
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_unexpected_failure_answers_json_500(org, api_client, monkeypatch):
    # given: a query that fails as a bug would
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(queries, "list_units", broken)
    client = api_client(account("head", ("unit_head", org.region_1)))
    client.raise_request_exception = False
    # when
    response = client.get("/api/v1/units")
    # then
    assert response.status_code == 500
    assert response.json()["message"]
    assert "bug" not in response.content.decode()


#
# Query counts: no N+1
#


def _people_with_relations(unit, n: int, start: int) -> None:
    rank = services.create_rank(acting_user=None, code=f"R{start}", name="Kiểm tra viên")
    position = services.create_job_position(
        acting_user=None, code=f"P{start}", name="Giám sát", group="professional", rank=rank
    )
    for i in range(n):
        services.create_person(
            acting_user=None,
            officer_code=f"Q{start + i:06d}",
            family_name="Nguyễn",
            given_name=f"Người {i}",
            gender="male",
            unit=unit,
            job_position=position,
            rank=rank,
        )


def _queries_of(client, path: str, params: dict[str, object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/people", {}),
        ("/api/v1/people", {"unit_id": "region_1"}),
        ("/api/v1/people", {"q": "nguyen"}),
        ("/api/v1/units", {}),
        ("/api/v1/units", {"parent_id": "region_1"}),
    ],
)
def test_list_query_count_does_not_grow_with_the_page(org, api_client, path, params):
    # given: 34 people (with unit, position and rank) and 34 sub-units
    params = {k: getattr(org, v).pk if v == "region_1" else v for k, v in params.items()}
    _people_with_relations(org.team_1, 34, 0)
    for i in range(34):
        services.create_unit(
            acting_user=None, code=f"S{i}", name=f"Đội {i}", kind="team", parent=org.region_1
        )
    client = api_client(account("head", ("unit_head", org.region_1)))
    client.get(path, params)  # warm up: the token's last use is written once
    # when: a full page of 3 and a full page of 30
    small = _queries_of(client, path, {**params, "limit": 3})
    large = _queries_of(client, path, {**params, "limit": 30})
    # then
    assert large == small


def test_people_list_stays_within_its_query_budget(org, api_client, django_assert_max_num_queries):
    # given
    _people_with_relations(org.team_1, 40, 0)
    client = api_client(account("head", ("unit_head", org.region_1)))
    client.get("/api/v1/people")
    # when / then: token, grants, unit successions, unit filter, page, count
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/people", {"unit_id": org.region_1.pk, "limit": 20}).json()
    assert body["count"] == 40 and len(body["items"]) == 20
    assert body["items"][0]["job_position_code"] == "P0"


def test_unit_list_stays_within_its_query_budget(org, api_client, django_assert_max_num_queries):
    # given
    for i in range(40):
        services.create_unit(
            acting_user=None, code=f"S{i}", name=f"Đội {i}", kind="team", parent=org.region_1
        )
    client = api_client(account("head", ("unit_head", org.region_1)))
    client.get("/api/v1/units")
    # when / then
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/units", {"limit": 10}).json()
    assert body["count"] == 42 and len(body["items"]) == 10
