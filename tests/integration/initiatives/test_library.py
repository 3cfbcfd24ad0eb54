"""The library: units register adoptions, good models are curated and found, lists export.

Adoptions, good models, the recognised list and a unit's page, through the services, the
pages and the API, with the access scoping of each.
"""

import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from lifelong.core.audit import Action
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent, Notification
from lifelong.initiatives.models import Adoption, GoodModel, Initiative, Recognition
from lifelong.initiatives.queries import library as queries
from lifelong.initiatives.rules_library import Problem
from lifelong.initiatives.services import library as services
from tests.factories.initiatives import recognised_initiative
from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db

API = "/api/v1"
STARTED = datetime.date(2025, 3, 1)


@pytest.fixture
def world():
    org = small_org()
    author = person(org.team_1, "Lê", "Văn", "Hùng")
    users = SimpleNamespace(
        author=account("hung", ("officer", org.team_1), person=author),
        head1=account("head1", ("unit_head", org.region_1)),
        head2=account("head2", ("unit_head", org.region_2)),
        secretariat=account("thuky", ("secretariat", org.root)),
        officer2=account("officer2", ("officer", org.team_2)),
    )
    initiative = recognised_initiative(
        org.team_1,
        [(author, 100)],
        title="Ứng dụng phân tích rủi ro trong kiểm tra hồ sơ",
        levels=(("co_so", datetime.date(2024, 6, 1)),),
    )
    return SimpleNamespace(org=org, users=users, initiative=initiative, author=author)


def _message(problem: Problem) -> str:
    return str(services.PROBLEM_MESSAGES[problem])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _adopt(world, *, user=None, unit=None, started_on=STARTED, **kwargs):
    kwargs.setdefault("initiative", world.initiative if "good_model" not in kwargs else None)
    return services.register_adoption(
        acting_user=user or world.users.head2,
        unit=unit or world.org.region_2,
        data=services.AdoptionInput(
            started_on=started_on,
            results="Giảm 30% thời gian kiểm tra hồ sơ.",
            figures="1.200 tờ khai mỗi tháng",
        ),
        **kwargs,
    )


def _model(world, user=None, **overrides):
    values = {
        "title": "Mô hình một cửa số tại cảng",
        "summary": "Doanh nghiệp nộp hồ sơ một lần qua cổng điện tử.",
        "description": "Tổ công tác tiếp nhận và trả kết quả trong ngày.",
        "results": "Rút ngắn 2 ngày thông quan.",
        "contents": ["digital_data"],
        "unit_ids": [world.org.team_2.pk],
        "initiative_ids": [],
    }
    values.update(overrides)
    return services.create_good_model(
        acting_user=user or world.users.secretariat, data=services.GoodModelInput(**values)
    )


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(book.active.values)


def _unrecognised(world) -> Initiative:
    return Initiative.objects.create(
        title="Tra cứu mã HS bằng hình ảnh",
        unit=world.org.team_2,
        field="classification",
        status="submitted",
        applied_from=datetime.date(2024, 1, 1),
    )


#
# Adoptions: the services
#


def test_a_unit_head_registers_an_adoption_and_the_authors_are_told(world):
    # when
    adoption = _adopt(world)
    # then
    assert (adoption.unit, adoption.initiative, adoption.started_on) == (
        world.org.region_2,
        world.initiative,
        STARTED,
    )
    assert adoption.reported_by == world.users.head2
    assert [
        a.pk for a in queries.adoptions_of_initiative(world.users.officer2, world.initiative)
    ] == [adoption.pk]
    event = AuditEvent.objects.get(action="adoption.recorded")
    assert event.target_id == str(adoption.pk)
    note = Notification.objects.get(user=world.users.author, kind="initiatives.adopted")
    assert "Chi cục Hải quan khu vực II" in note.message and "01/03/2025" in note.message


def test_a_unit_registers_the_same_initiative_once(world):
    # given
    _adopt(world)
    # when
    with pytest.raises(ValidationFailed) as refused:
        _adopt(world, started_on=datetime.date(2025, 4, 1))
    # then
    assert refused.value.details["fields"]["unit"] == [_message(Problem.ADOPTED_ALREADY)]
    assert Adoption.objects.count() == 1


def test_an_unrecognised_initiative_cannot_be_adopted(world):
    # given: a submitted initiative of region 2, which its unit head may see
    initiative = _unrecognised(world)
    # when
    with pytest.raises(ValidationFailed) as refused:
        _adopt(world, unit=world.org.region_2, initiative=initiative)
    # then
    assert refused.value.message == _message(Problem.NOT_RECOGNISED)
    assert not Adoption.objects.exists()


def test_a_unit_out_of_the_users_scope_is_refused_as_not_found(world):
    # when: the unit head of region 2 registers for a team of region 1
    with pytest.raises(NotFound):
        _adopt(world, unit=world.org.team_1)
    # then
    assert not Adoption.objects.exists()
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, target_type="org.unit").exists()


def test_an_officer_without_share_practices_cannot_register(world):
    with pytest.raises(NotFound):
        _adopt(world, user=world.users.officer2, unit=world.org.team_2)


def test_the_initiatives_own_unit_does_not_register_it(world):
    with pytest.raises(ValidationFailed) as refused:
        _adopt(world, user=world.users.head1, unit=world.org.team_1)
    assert "unit" in refused.value.details["fields"]


@pytest.mark.parametrize(
    "started_on",
    [datetime.date(2023, 12, 3), datetime.date.today() + datetime.timedelta(days=2)],
    ids=["before-first-application", "in-the-future"],
)
def test_the_start_date_is_not_before_the_application_nor_in_the_future(world, started_on):
    # given: the factory's initiative is applied since 04/12/2023
    assert world.initiative.applied_from == datetime.date(2023, 12, 4)
    # when
    with pytest.raises(ValidationFailed) as refused:
        _adopt(world, started_on=started_on)
    # then
    assert set(refused.value.details["fields"]) == {"started_on"}


def test_an_adoption_is_edited_and_withdrawn_by_its_units_head_only(world):
    # given
    adoption = _adopt(world)
    # when / then: another region's head may not touch it
    with pytest.raises(NotFound):
        queries.access_shared_adoption(world.users.head1, adoption.pk)
    with pytest.raises(NotFound):
        services.withdraw_adoption(acting_user=world.users.head1, adoption=adoption)
    # when: its own unit head edits, then withdraws it
    edited = services.update_adoption(
        acting_user=world.users.head2,
        adoption=adoption,
        data=services.AdoptionInput(started_on=STARTED, results="Giảm 45% thời gian.", figures=""),
    )
    assert Adoption.objects.get(pk=adoption.pk).results == "Giảm 45% thời gian."
    services.withdraw_adoption(acting_user=world.users.head2, adoption=edited)
    # then
    assert not Adoption.objects.exists()
    assert AuditEvent.objects.filter(action="adoption.withdrawn").count() == 1


def test_a_unit_adopts_a_good_model_but_not_its_own(world):
    # given: a good model of team 2
    model = _model(world, unit_ids=[world.org.team_1.pk])
    # when
    adoption = _adopt(world, good_model=model)
    # then
    assert adoption.good_model == model and adoption.initiative is None
    with pytest.raises(ValidationFailed):
        _adopt(world, user=world.users.head1, unit=world.org.team_1, good_model=model)


#
# Good models: the services and the search
#


def test_the_secretariat_adds_a_good_model_with_contents_units_and_initiatives(world):
    # when
    model = _model(
        world,
        contents=["digital_data", "job_position"],
        unit_ids=[world.org.team_2.pk, world.org.team_1.pk],
        initiative_ids=[world.initiative.pk],
    )
    # then
    assert sorted(model.contents.values_list("content", flat=True)) == [
        "digital_data",
        "job_position",
    ]
    assert set(model.units.all()) == {world.org.team_1, world.org.team_2}
    assert list(model.initiatives.all()) == [world.initiative]
    assert "mo hinh mot cua so" in model.search_text and "sai gon" in model.search_text
    assert AuditEvent.objects.filter(action="good_model.created", target_id=str(model.pk)).exists()


def test_a_unit_head_writes_good_models_of_the_units_they_lead_only(world):
    # when: the unit head of region 2 names a team of region 1
    with pytest.raises(ValidationFailed) as refused:
        _model(world, user=world.users.head2, unit_ids=[world.org.team_1.pk])
    # then
    assert "units" in refused.value.details["fields"]
    # when: their own team
    model = _model(world, user=world.users.head2)
    # then: they may edit it, the head of region 1 may not
    assert queries.may_curate(world.users.head2, model)
    assert not queries.may_curate(world.users.head1, model)
    with pytest.raises(NotFound):
        services.update_good_model(
            acting_user=world.users.head1,
            good_model=model,
            data=services.GoodModelInput(
                title="X", summary="Y", contents=["law_policy"], unit_ids=[world.org.team_1.pk]
            ),
        )


def test_a_good_model_needs_content_units_and_recognised_initiatives(world):
    # given
    unrecognised = _unrecognised(world)
    # when
    with pytest.raises(ValidationFailed) as refused:
        _model(world, contents=[], unit_ids=[], initiative_ids=[unrecognised.pk])
    # then
    assert set(refused.value.details["fields"]) == {"contents", "units", "initiatives"}
    assert not GoodModel.objects.exists()


def test_an_officer_writes_no_good_model(world):
    with pytest.raises(NotFound):
        _model(world, user=world.users.officer2)


def test_the_search_ignores_diacritics_matches_every_word_and_filters_by_content(world):
    # given
    port = _model(world)
    training = _model(
        world,
        title="Cách làm hiệu quả trong đào tạo tại chỗ",
        summary="Kèm cặp công chức mới tại đội.",
        description="",
        contents=["job_position", "self_study"],
        unit_ids=[world.org.team_1.pk],
    )
    user = world.users.officer2

    def found(**kwargs):
        return [m.pk for m in queries.good_models_visible_to(user, **kwargs)]

    # when / then
    assert found(query="mo hinh") == [port.pk]
    assert found(query="MÔ HÌNH") == [port.pk]
    assert found(query="sai gon") == [port.pk]  # a unit's name
    assert found(query="mo hinh dao tao") == []  # every word must match
    assert found(content="job_position") == [training.pk]
    assert found(query="cach lam", content="digital_data") == []
    assert found() == [training.pk, port.pk]  # Vietnamese order: C before M


#
# Pages
#


def test_the_unit_head_registers_an_adoption_from_the_form_and_the_initiative_shows_it(world):
    # given
    head2 = _client(world.users.head2)
    url = reverse("initiatives:adopt", args=[world.initiative.pk])
    form = {
        "unit": world.org.region_2.pk,
        "started_on": "01/03/2025",
        "results": "Giảm 30% thời gian kiểm tra hồ sơ.",
        "figures": "",
    }
    # when
    response = head2.post(url, form)
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:detail", args=[world.initiative.pk])
    page = _client(world.users.officer2).get(response["Location"])
    body = page.content.decode()
    assert "Chi cục Hải quan khu vực II" in body
    assert "Giảm 30% thời gian kiểm tra hồ sơ." in body and "01/03/2025" in body
    # when: the same registration again
    again = head2.post(url, form)
    # then
    assert again.status_code == 400
    assert again.context["form"].errors["unit"]
    assert Adoption.objects.count() == 1


def test_the_adoption_form_offers_only_the_users_units_and_is_not_for_officers(world):
    # when
    page = _client(world.users.head2).get(reverse("initiatives:adopt", args=[world.initiative.pk]))
    officer = _client(world.users.officer2).get(
        reverse("initiatives:adopt", args=[world.initiative.pk])
    )
    # then
    assert page.status_code == 200
    units = set(page.context["form"].fields["unit"].queryset)
    assert units == {world.org.region_2, world.org.team_2}
    assert officer.status_code == 404


def test_the_panel_offers_registration_to_unit_heads_only(world):
    # given
    _adopt(world)
    url = reverse("initiatives:detail", args=[world.initiative.pk])
    adopt = reverse("initiatives:adopt", args=[world.initiative.pk])
    # when
    as_head = _client(world.users.head1).get(url).content.decode()
    as_officer = _client(world.users.officer2).get(url).content.decode()
    # then
    assert adopt in as_head and adopt not in as_officer
    assert "Chi cục Hải quan khu vực II" in as_officer


def test_recognised_list_filters_by_level_year_and_unit_and_exports(world):
    # given: a second initiative, of region 2, recognised in 2025 at cơ sở and ministry level
    other = recognised_initiative(
        world.org.team_2,
        [(world.author, 100)],
        title="Kiểm tra e-manifest tự động",
        levels=(("co_so", datetime.date(2025, 2, 1)), ("bo", datetime.date(2025, 9, 1))),
    )
    client = _client(world.users.officer2)
    url = reverse("initiatives:recognised")

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [(r.initiative.title, r.level) for r in response.context["page"]]

    # when / then
    assert titles() == [
        (other.title, "bo"),
        (other.title, "co_so"),
        (world.initiative.title, "co_so"),
    ]
    assert titles(level="bo") == [(other.title, "bo")]
    assert titles(year="2024") == [(world.initiative.title, "co_so")]
    assert titles(unit=world.org.region_1.pk) == [(world.initiative.title, "co_so")]
    assert titles(year="not-a-year", level="nope") == titles()
    # when: the export
    rows = _sheet(client.get(url, {"year": "2025", "format": "xlsx"}))
    # then
    assert rows[0][:3] == ("Sáng kiến", "Đơn vị", "Cấp công nhận")
    assert [(r[0], r[3]) for r in rows[1:]] == [(other.title, "2/QĐ-HQ"), (other.title, "1/QĐ-HQ")]


def test_good_model_library_searches_with_htmx_and_exports(world):
    # given
    port = _model(world)
    _model(world, title="Cách làm hiệu quả trong đào tạo", contents=["job_position"])
    client = _client(world.users.officer2)
    url = reverse("initiatives:good_models")
    # when
    partial = client.get(url, {"q": "mo hinh"}, headers={"HX-Request": "true"})
    # then: only the rows, and the one model
    body = partial.content.decode()
    assert "<html" not in body and port.title in body and "đào tạo" not in body
    # when
    rows = _sheet(client.get(url, {"content": "digital_data", "format": "xlsx"}))
    # then
    assert len(rows) == 2 and rows[1][0] == port.title
    assert rows[1][3] == "Hải quan cảng Sài Gòn khu vực 1"


def test_good_model_page_shows_units_initiatives_and_adopters(world):
    # given
    model = _model(world, unit_ids=[world.org.team_1.pk], initiative_ids=[world.initiative.pk])
    _adopt(world, good_model=model)
    # when
    page = _client(world.users.officer2).get(reverse("initiatives:good_model", args=[model.pk]))
    # then
    body = page.content.decode()
    assert page.status_code == 200
    assert world.org.team_1.name in body and world.initiative.title in body
    assert "Chi cục Hải quan khu vực II" in body and "Giảm 30% thời gian" in body
    assert reverse("initiatives:good_model_edit", args=[model.pk]) not in body


def test_good_model_form_creates_and_refuses_with_field_messages(world):
    # given
    client = _client(world.users.head2)
    url = reverse("initiatives:good_model_create")
    form = {
        "title": "Mô hình “Cà phê pháp luật” cuối tuần",
        "summary": "Chia sẻ văn bản mới mỗi sáng thứ Sáu.",
        "description": "",
        "results": "",
        "contents": ["law_policy"],
        "units": [world.org.team_2.pk],
    }
    # when: a unit of another region
    refused = client.post(url, {**form, "units": [world.org.team_1.pk]})
    # then
    assert refused.status_code == 400 and refused.context["form"].errors["units"]
    # when
    saved = client.post(url, form)
    # then
    model = GoodModel.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "initiatives:good_model", args=[model.pk]
    )
    assert _client(world.users.officer2).get(url).status_code == 404


def test_unit_page_lists_the_subtrees_initiatives_and_adoptions_and_exports_each(world):
    # given
    _adopt(world, unit=world.org.team_2)
    client = _client(world.users.officer2)
    # when
    region_1 = client.get(reverse("initiatives:unit", args=[world.org.team_1.pk]))
    region_2 = client.get(reverse("initiatives:unit", args=[world.org.team_2.pk]))
    # then
    assert [i.pk for i in region_1.context["page"]] == [world.initiative.pk]
    assert [a.unit for a in region_2.context["adoptions"]] == [world.org.team_2]
    initiatives = _sheet(client.get(region_1.request["PATH_INFO"], {"export": "initiatives"}))
    assert [r[0] for r in initiatives[1:]] == [world.initiative.title]
    adoptions = _sheet(client.get(region_2.request["PATH_INFO"], {"export": "adoptions"}))
    assert [(r[0], r[1], r[4]) for r in adoptions[1:]] == [
        (world.org.team_2.name, world.initiative.title, "Giảm 30% thời gian kiểm tra hồ sơ.")
    ]


def test_unit_page_of_a_unit_the_library_does_not_name_is_out_of_an_officers_sight(world):
    # when: region 1 itself has no initiative, adoption or good model of its own
    response = _client(world.users.officer2).get(
        reverse("initiatives:unit", args=[world.org.region_1.pk])
    )
    # then
    assert response.status_code == 404
    assert _client(world.users.head1).get(response.request["PATH_INFO"]).status_code == 200


def test_a_drafts_title_never_shows_on_another_units_page(world):
    # given: a draft of region 1
    Initiative.objects.create(
        title="Bản nháp bí mật", unit=world.org.team_1, field="other", status="draft"
    )
    # when
    body = (
        _client(world.users.head1)
        .get(reverse("initiatives:unit", args=[world.org.team_1.pk]))
        .content.decode()
    )
    # then
    assert "Bản nháp bí mật" not in body and world.initiative.title in body


#
# API
#


def test_api_good_models_search_create_read_and_edit(world):
    # given
    port = _model(world, initiative_ids=[world.initiative.pk])
    _adopt(world, user=world.users.head1, unit=world.org.region_1, good_model=port)
    head2 = _client(world.users.head2)
    # when
    listing = head2.get(f"{API}/good-models", {"q": "mo hinh", "content": "digital_data"}).json()
    # then
    assert listing["count"] == 1
    item = listing["items"][0]
    assert (item["id"], item["contents"], item["adoption_count"]) == (port.pk, ["digital_data"], 1)
    assert item["units"] == [{"id": world.org.team_2.pk, "name": world.org.team_2.name}]
    # when
    detail = head2.get(f"{API}/good-models/{port.pk}").json()
    # then
    assert detail["initiatives"][0]["id"] == world.initiative.pk
    assert detail["initiatives"][0]["level"] == "co_so"
    assert detail["adoptions"][0]["unit_name"] == "Chi cục Hải quan khu vực I"
    # when
    body = {
        "title": "Mô hình kiểm tra sau thông quan theo nhóm rủi ro",
        "summary": "Chọn doanh nghiệp theo hồ sơ rủi ro.",
        "contents": ["digital_data"],
        "unit_ids": [world.org.region_2.pk],
    }
    created = head2.post(f"{API}/good-models", body, content_type="application/json")
    # then
    assert created.status_code == 200, created.content
    new_id = created.json()["id"]
    # when
    edited = head2.put(
        f"{API}/good-models/{new_id}",
        {**body, "contents": ["law_policy", "digital_data"]},
        content_type="application/json",
    )
    # then
    assert edited.status_code == 200
    assert sorted(edited.json()["contents"]) == ["digital_data", "law_policy"]
    # and: the head of region 1 may not edit it; bad input answers 400 with fields
    other = _client(world.users.head1).put(
        f"{API}/good-models/{new_id}", body, content_type="application/json"
    )
    assert other.status_code == 404
    bad = head2.post(
        f"{API}/good-models",
        {**body, "contents": [], "unit_ids": []},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["details"]["fields"]) == {"contents", "units"}


def test_api_adoptions_register_list_refuse_and_withdraw(world):
    # given
    head2 = _client(world.users.head2)
    body = {
        "unit_id": world.org.region_2.pk,
        "initiative_id": world.initiative.pk,
        "started_on": "2025-03-01",
        "results": "Giảm 30% thời gian.",
    }
    # when
    created = head2.post(f"{API}/adoptions", body, content_type="application/json")
    # then
    assert created.status_code == 200, created.content
    adoption = created.json()
    assert (adoption["unit_name"], adoption["started_on"]) == (
        "Chi cục Hải quan khu vực II",
        "2025-03-01",
    )
    # when: again, out of scope, unrecognised, both or none of initiative and model
    again = head2.post(f"{API}/adoptions", body, content_type="application/json")
    foreign = head2.post(
        f"{API}/adoptions",
        {**body, "unit_id": world.org.team_1.pk},
        content_type="application/json",
    )
    unrecognised = head2.post(
        f"{API}/adoptions",
        {**body, "initiative_id": _unrecognised(world).pk},
        content_type="application/json",
    )
    neither = head2.post(
        f"{API}/adoptions", {**body, "initiative_id": None}, content_type="application/json"
    )
    # then
    assert again.status_code == 400 and "unit" in again.json()["details"]["fields"]
    assert foreign.status_code == 404
    assert unrecognised.status_code == 400 and unrecognised.json()["message"]
    assert neither.status_code == 400
    # when: the lists
    officer = _client(world.users.officer2)
    by_initiative = officer.get(f"{API}/adoptions", {"initiative_id": world.initiative.pk}).json()
    by_unit = officer.get(f"{API}/adoptions", {"unit_id": world.org.region_2.pk}).json()
    by_other_unit = officer.get(f"{API}/adoptions", {"unit_id": world.org.team_1.pk}).json()
    # then
    assert by_initiative == {"items": [adoption], "count": 1}
    assert by_unit["count"] == 1 and by_other_unit["count"] == 0
    # when: withdrawn by another region's head, then by its own
    assert _client(world.users.head1).delete(f"{API}/adoptions/{adoption['id']}").status_code == 404
    deleted = head2.delete(f"{API}/adoptions/{adoption['id']}")
    # then
    assert deleted.status_code == 204
    assert not Adoption.objects.exists()


def test_api_lists_keep_their_query_count_as_rows_grow(world, django_assert_max_num_queries):
    # given
    client = _client(world.users.officer2)
    for n in range(6):
        model = _model(world, title=f"Mô hình số {n}", contents=["digital_data", "law_policy"])
        _adopt(world, good_model=model)
    # when / then: one page of six models and of six adoptions, no query per row
    with django_assert_max_num_queries(8):
        models = client.get(f"{API}/good-models").json()
    with django_assert_max_num_queries(8):
        adoptions = client.get(f"{API}/adoptions").json()
    assert models["count"] == 6 and adoptions["count"] == 6


def test_recognitions_shown_are_the_history_of_levels(world):
    # given: the initiative is recognised at ministry level too
    Recognition.objects.create(
        initiative=world.initiative,
        level="bo",
        decision_number="9/QĐ-BTC",
        decision_date=datetime.date(2025, 5, 1),
        authority="Bộ trưởng Bộ Tài chính",
    )
    # when
    rows = queries.recognised_initiatives(world.users.officer2)
    # then
    assert [(r.level, r.decision_number) for r in rows] == [
        ("bo", "9/QĐ-BTC"),
        ("co_so", "1/QĐ-HQ"),
    ]


def test_the_adoptions_panel_stays_off_an_initiative_not_yet_recognised(world):
    # given: a submitted initiative of region 2, seen by its unit head
    initiative = _unrecognised(world)
    # when
    body = (
        _client(world.users.head2)
        .get(reverse("initiatives:detail", args=[initiative.pk]))
        .content.decode()
    )
    # then
    assert initiative.title in body
    assert 'id="adoptions-panel"' not in body
    assert reverse("initiatives:adopt", args=[initiative.pk]) not in body


def test_the_adoption_page_of_an_unrecognised_initiative_says_why_and_goes_back(world):
    # given
    initiative = _unrecognised(world)
    # when
    response = _client(world.users.head2).get(reverse("initiatives:adopt", args=[initiative.pk]))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:detail", args=[initiative.pk])
    assert not Adoption.objects.exists()
