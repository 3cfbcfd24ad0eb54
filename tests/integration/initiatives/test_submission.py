"""Submission: write, edit, submit, delete; bad input refused with nothing lost; who sees what.

Services, pages and the API, on both databases. The council a submission needs comes from
`tests.factories.initiatives.council`.
"""

import datetime
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent, StoredFile
from lifelong.initiatives.models import Evaluation, Initiative, InitiativeAttachment
from lifelong.initiatives.services import common
from lifelong.initiatives.services import submission as services
from lifelong.org.models import Person
from tests.factories.initiatives import council, recognised_initiative
from tests.factories.org import Org, account, person, small_org

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TITLE = "Tự động đối chiếu bản lược khai điện tử với tờ khai"


@dataclass
class World:
    """A small administration with a unit council in region I and people around it."""

    org: Org
    lan: Person  # an officer of team 1 (region I), who writes
    lan_user: User
    binh: Person  # her co-author in region II
    minh_user: User  # another officer of team 1
    head1: User  # unit head of region I
    head2: User  # unit head of region II


def _officer(org_unit: Any, username: str, *names: str, role: str = "officer") -> tuple:
    someone = person(org_unit, *names)
    user = account(username, (role, org_unit), person=someone)
    assert isinstance(user, User)
    return someone, user


@pytest.fixture
def world() -> World:
    org = small_org()
    lan, lan_user = _officer(org.team_1, "lan", "Phạm", "Thị", "Lan")
    binh = person(org.team_2, "Trần", "Văn", "Bình")
    _minh, minh_user = _officer(org.team_1, "minh", "Lê", "Văn", "Minh")
    _h1, head1 = _officer(org.region_1, "head1", "Đỗ", "Thị", "Hoa", role="unit_head")
    head2 = account("head2", ("unit_head", org.region_2))
    assert isinstance(head2, User)
    chair = person(org.region_1, "Vũ", "Văn", "Chính")
    council(org.region_1, "co_so", [(chair, "chair")])
    return World(org, lan, lan_user, binh, minh_user, head1, head2)


def _data(w: World, **overrides: Any) -> services.InitiativeInput:
    values: dict[str, Any] = {
        "title": TITLE,
        "field": "digital",
        "content": "",
        "problem": "Đối chiếu thủ công mất nhiều giờ mỗi chuyến bay.",
        "solution": "Công cụ so khớp tự động bản lược khai với tờ khai hải quan.",
        "novelty": "Lần đầu áp dụng tại chi cục.",
        "application_kind": "applied",
        "applied_from": datetime.date(2025, 1, 15),
        "effect": "Giảm 70% thời gian đối chiếu.",
        "figures": "Tiết kiệm 1.200 giờ công mỗi năm.",
        "scope": "Các cửa khẩu sân bay quốc tế.",
        "authors": [(w.lan.officer_code, Decimal(60)), (w.binh.officer_code, Decimal(40))],
    }
    values.update(overrides)
    return services.initiative_input(**values)


def _pdf(name: str = "thuyet-minh.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _client(user: User, language: str = "vi") -> Client:
    """Return a signed-in client; pages follow the language cookie, the API Accept-Language."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def _fields(refusal: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return refusal.value.details["fields"]


#
# Services: writing and submitting
#


def test_a_draft_is_saved_with_its_authors_in_nfc_and_searchable_without_diacritics(world):
    # given: a title typed in decomposed Unicode
    decomposed = unicodedata.normalize("NFD", TITLE)
    # when
    draft = services.create_initiative(
        acting_user=world.lan_user, data=_data(world, title=decomposed)
    )
    # then
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.title == TITLE
    assert unicodedata.is_normalized("NFC", draft.title)
    assert "tu dong doi chieu ban luoc khai" in draft.search_text
    assert "pham thi lan" in draft.search_text  # the authors' names are searchable too
    assert draft.unit == world.org.team_1 and draft.created_by == world.lan_user
    assert [(a.person, a.share) for a in draft.authors.order_by("position")] == [
        (world.lan, Decimal(60)),
        (world.binh, Decimal(40)),
    ]
    assert not Evaluation.objects.exists()
    assert AuditEvent.objects.filter(action="initiative.created", target_id=str(draft.pk)).exists()


def test_submitting_opens_the_evaluation_at_grassroots_level_by_the_units_council(world):
    # given
    draft = services.create_initiative(acting_user=world.lan_user, data=_data(world))
    # when
    submitted = services.submit_initiative(acting_user=world.lan_user, initiative=draft)
    # then
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    evaluation = Evaluation.objects.get(initiative=submitted)
    assert (evaluation.level, evaluation.status, evaluation.council.unit) == (
        "co_so",
        "open",
        world.org.region_1,
    )
    assert AuditEvent.objects.filter(action="initiative.submitted").count() == 1
    assert AuditEvent.objects.filter(action="evaluation.opened").count() == 1


def test_submission_is_refused_and_the_draft_stays_when_no_council_covers_the_unit(world):
    # given: an initiative of region II, which has no council
    draft = services.create_initiative(
        acting_user=world.lan_user, data=_data(world, unit_id=world.org.region_2.pk)
    )
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.submit_initiative(acting_user=world.lan_user, initiative=draft)
    # then
    assert "council" in refusal.value.message.lower() or "hội đồng" in refusal.value.message
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == ("draft", None)
    assert not Evaluation.objects.exists()


def test_create_and_submit_at_once_saves_nothing_when_refused(world):
    # given: region II has no council
    data = _data(world, unit_id=world.org.region_2.pk)
    # when
    with pytest.raises(ValidationFailed):
        services.create_initiative(acting_user=world.lan_user, data=data, submit=True)
    # then
    assert not Initiative.objects.exists()


def test_a_draft_needs_only_a_title_and_a_submission_the_whole_case(world):
    # given
    bare = _data(world, problem="", solution="", novelty="", applied_from=None)
    # when
    draft = services.create_initiative(acting_user=world.lan_user, data=bare)
    with pytest.raises(ValidationFailed) as refusal:
        services.submit_initiative(acting_user=world.lan_user, initiative=draft)
    # then
    assert set(_fields(refusal)) == {"problem", "solution", "novelty", "applied_from"}
    assert Initiative.objects.get(pk=draft.pk).status == "draft"


def test_shares_that_do_not_add_up_to_100_are_refused_and_nothing_is_saved(world):
    # given
    data = _data(
        world,
        authors=[(world.lan.officer_code, Decimal(60)), (world.binh.officer_code, Decimal(30))],
    )
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.create_initiative(acting_user=world.lan_user, data=data)
    # then
    assert _fields(refusal) == {"authors": [str(common.PROBLEM_MESSAGES["shares_not_100"])]}
    assert not Initiative.objects.exists()


def test_an_author_outside_the_organisation_is_refused_on_their_row(world):
    # given
    data = _data(world, authors=[(world.lan.officer_code, Decimal(50)), ("HQ999999", Decimal(50))])
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.create_initiative(acting_user=world.lan_user, data=data)
    # then
    assert list(_fields(refusal)) == ["authors.1"]
    assert "HQ999999" in _fields(refusal)["authors.1"][0]
    assert not Initiative.objects.exists()


def test_the_writer_must_be_an_author_and_shares_have_two_decimals_at_most(world):
    # given
    data = _data(world, authors=[(world.binh.officer_code, Decimal("100.001"))])
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.create_initiative(acting_user=world.lan_user, data=data)
    # then
    fields = _fields(refusal)
    assert set(fields) == {"authors", "authors.0"}
    assert str(common.PROBLEM_MESSAGES["writer_not_author"]) in fields["authors"]


def test_officer_codes_are_matched_in_capitals_and_one_person_twice_is_refused(world):
    # given
    code = world.lan.officer_code
    data = _data(world, authors=[(code.lower(), Decimal(50)), (code, Decimal(50))])
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.create_initiative(acting_user=world.lan_user, data=data)
    # then
    assert _fields(refusal) == {"authors": [str(common.PROBLEM_MESSAGES["author_twice"])]}


def test_the_unit_is_an_authors_unit_or_one_above(world):
    # given: region I (above Lan's team) is fine; the HQ department covers no author
    above = _data(world, unit_id=world.org.region_1.pk)
    elsewhere = _data(world, unit_id=world.org.hq_dept.pk)
    # when
    made = services.create_initiative(acting_user=world.lan_user, data=above)
    with pytest.raises(ValidationFailed) as refusal:
        services.create_initiative(acting_user=world.lan_user, data=elsewhere)
    # then
    assert made.unit == world.org.region_1
    assert list(_fields(refusal)) == ["unit_id"]


def test_an_account_without_an_officer_record_cannot_write(world):
    # when / then
    with pytest.raises(ValidationFailed):
        services.create_initiative(acting_user=world.head2, data=_data(world))


#
# Services: attachments
#


def test_attachments_are_kept_and_too_large_or_wrong_files_are_refused_by_name(world):
    # given
    big = _pdf("qua-lon.pdf", PDF + b"0" * (common.ATTACHMENT_MAX_BYTES - len(PDF) + 1))
    exe = SimpleUploadedFile("cong-cu.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    # when
    made = services.create_initiative(
        acting_user=world.lan_user, data=_data(world), uploads=[_pdf()]
    )
    files_before = StoredFile.objects.count()
    with pytest.raises(ValidationFailed) as too_large:
        services.add_attachments(acting_user=world.lan_user, initiative=made, uploads=[big])
    with pytest.raises(ValidationFailed) as wrong_type:
        services.add_attachments(
            acting_user=world.lan_user, initiative=made, uploads=[_pdf("ok.pdf"), exe]
        )
    # then: the good file stays; nothing of a refused batch is kept
    assert [a.file.name for a in made.attachments.all()] == ["thuyet-minh.pdf"]
    assert StoredFile.objects.count() == files_before
    assert "qua-lon.pdf" in _fields(too_large)["attachments"][0]
    assert "20" in _fields(too_large)["attachments"][0]
    assert "cong-cu.pdf" in _fields(wrong_type)["attachments"][0]


def test_at_most_the_allowed_number_of_attachments(world):
    # given
    made = services.create_initiative(
        acting_user=world.lan_user,
        data=_data(world),
        uploads=[_pdf(f"{i}.pdf") for i in range(common.MAX_ATTACHMENTS)],
    )
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.add_attachments(acting_user=world.lan_user, initiative=made, uploads=[_pdf()])
    # then
    assert "attachments" in _fields(refusal)
    assert made.attachments.count() == common.MAX_ATTACHMENTS


def test_attachments_are_removed_from_a_draft(world):
    # given
    made = services.create_initiative(
        acting_user=world.lan_user, data=_data(world), uploads=[_pdf("a.pdf"), _pdf("b.pdf")]
    )
    first = made.attachments.order_by("pk").first()
    # when
    services.remove_attachments(
        acting_user=world.lan_user, initiative=made, attachment_ids=[first.pk]
    )
    # then
    assert [a.file.name for a in made.attachments.all()] == ["b.pdf"]


#
# Services: what may change when
#


def test_editing_a_recognised_initiative_is_refused_with_a_clear_message(world):
    # given
    recognised = recognised_initiative(world.org.team_1, [(world.lan, 100)])
    before = Initiative.objects.get(pk=recognised.pk)
    # when
    with pytest.raises(ValidationFailed) as refusal:
        services.update_initiative(
            acting_user=world.lan_user,
            initiative=recognised,
            data=_data(world, title="Tên khác"),
        )
    # then
    assert "recognised" in refusal.value.message or "công nhận" in refusal.value.message
    after = Initiative.objects.get(pk=recognised.pk)
    assert (after.title, after.status, after.updated_at) == (
        before.title,
        "recognised",
        before.updated_at,
    )
    with pytest.raises(ValidationFailed):
        services.add_attachments(
            acting_user=world.lan_user, initiative=recognised, uploads=[_pdf()]
        )


def test_a_submitted_initiative_cannot_be_edited_resubmitted_or_deleted(world):
    # given
    made = services.create_initiative(acting_user=world.lan_user, data=_data(world), submit=True)
    # when / then
    with pytest.raises(ValidationFailed):
        services.update_initiative(acting_user=world.lan_user, initiative=made, data=_data(world))
    with pytest.raises(ValidationFailed):
        services.submit_initiative(acting_user=world.lan_user, initiative=made)
    with pytest.raises(ValidationFailed):
        services.delete_initiative(acting_user=world.lan_user, initiative=made)
    assert Evaluation.objects.filter(initiative=made).count() == 1


def test_a_returned_initiative_is_edited_and_submitted_again(world):
    # given: the council returned it (written straight to the tables)
    made = services.create_initiative(acting_user=world.lan_user, data=_data(world), submit=True)
    Evaluation.objects.filter(initiative=made).update(status="returned")
    Initiative.objects.filter(pk=made.pk).update(status="returned", return_reason="Bổ sung số liệu")
    made.refresh_from_db()
    # when
    again = services.update_initiative(
        acting_user=world.lan_user,
        initiative=made,
        data=_data(world, figures="Tiết kiệm 1.500 giờ công mỗi năm."),
        submit=True,
    )
    # then
    again.refresh_from_db()
    assert (again.status, again.return_reason) == ("submitted", "")
    assert again.figures == "Tiết kiệm 1.500 giờ công mỗi năm."
    assert Evaluation.objects.filter(initiative=made, status="open").count() == 1


def test_a_co_author_may_edit_but_someone_else_gets_not_found(world):
    # given
    draft = services.create_initiative(acting_user=world.lan_user, data=_data(world))
    binh_user = account("binh", ("officer", world.org.team_2), person=world.binh)
    # when
    edited = services.update_initiative(
        acting_user=binh_user,
        initiative=draft,
        data=_data(world, title="Đối chiếu bản lược khai tự động"),
    )
    # then
    assert edited.title == "Đối chiếu bản lược khai tự động"
    with pytest.raises(NotFound):
        services.update_initiative(acting_user=world.minh_user, initiative=draft, data=_data(world))


def test_only_a_draft_is_deleted_by_its_author(world):
    # given
    draft = services.create_initiative(
        acting_user=world.lan_user, data=_data(world), uploads=[_pdf()]
    )
    # when / then
    with pytest.raises(NotFound):
        services.delete_initiative(acting_user=world.minh_user, initiative=draft)
    services.delete_initiative(acting_user=world.lan_user, initiative=draft)
    assert not Initiative.objects.exists() and not InitiativeAttachment.objects.exists()
    assert AuditEvent.objects.filter(action="initiative.deleted").count() == 1


#
# Who sees what
#


def test_drafts_are_seen_by_their_authors_only(world):
    # given
    draft = services.create_initiative(acting_user=world.lan_user, data=_data(world))
    url = reverse("initiatives:detail", args=[draft.pk])
    # when / then: the writer sees it, in the page, the list and the API
    lan = _client(world.lan_user)
    assert lan.get(url).status_code == 200
    assert [i.pk for i in lan.get(reverse("initiatives:mine")).context["page"]] == [draft.pk]
    assert lan.get(f"{API}/initiatives").json()["count"] == 1
    # then: another officer of the same team, and both unit heads, get nothing
    for user in (world.minh_user, world.head1, world.head2):
        client = _client(user)
        assert client.get(url).status_code == 404
        assert client.get(f"{API}/initiatives/{draft.pk}").status_code == 404
        assert client.get(f"{API}/initiatives").json() == {"items": [], "count": 0}
    assert AuditEvent.objects.filter(action="access.denied", target_id=str(draft.pk)).exists()


def test_a_unit_head_sees_submitted_initiatives_of_their_units_only(world):
    # given
    made = services.create_initiative(acting_user=world.lan_user, data=_data(world), submit=True)
    url = reverse("initiatives:detail", args=[made.pk])
    # when / then
    assert _client(world.head1).get(url).status_code == 200
    assert [i["id"] for i in _client(world.head1).get(f"{API}/initiatives").json()["items"]] == [
        made.pk
    ]
    assert _client(world.head2).get(url).status_code == 404
    assert _client(world.head2).get(f"{API}/initiatives").json()["count"] == 0
    assert _client(world.minh_user).get(url).status_code == 404


def test_a_recognised_initiative_is_seen_by_everyone_signed_in(world):
    # given
    recognised = recognised_initiative(world.org.team_1, [(world.lan, 100)])
    # when / then
    response = _client(world.head2).get(reverse("initiatives:detail", args=[recognised.pk]))
    assert response.status_code == 200
    assert Client().get(reverse("initiatives:detail", args=[recognised.pk])).status_code == 302


#
# Pages
#


def _form(w: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": TITLE,
        "unit_id": str(w.org.team_1.pk),
        "field": "digital",
        "content": "",
        "problem": "Đối chiếu thủ công mất nhiều giờ.",
        "solution": "Công cụ so khớp tự động.",
        "novelty": "Lần đầu áp dụng tại chi cục.",
        "application_kind": "applied",
        "applied_from": "15/01/2025",
        "effect": "Giảm 70% thời gian.",
        "figures": "",
        "scope": "",
        "authors-TOTAL_FORMS": "3",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "20",
        "authors-0-officer_code": w.lan.officer_code,
        "authors-0-share": "60",
        "authors-1-officer_code": w.binh.officer_code,
        "authors-1-share": "40",
        "authors-2-officer_code": "",
        "authors-2-share": "",
        "action": "submit",
    }
    values.update(overrides)
    return values


def test_the_form_page_offers_my_unit_and_those_above_with_me_as_author(world):
    # when
    response = _client(world.lan_user).get(reverse("initiatives:create"))
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert [c[0] for c in form.fields["unit_id"].choices] == [
        world.org.team_1.pk,
        world.org.region_1.pk,
        world.org.root.pk,
    ]
    assert response.context["formset"].initial == [
        {"officer_code": world.lan.officer_code, "share": 100, "name": "Phạm Thị Lan"}
    ]
    assert _client(world.head2).get(reverse("initiatives:create")).status_code == 404


def test_an_officer_submits_with_a_co_author_and_a_pdf_from_the_form(world):
    # when
    response = _client(world.lan_user).post(
        reverse("initiatives:create"), {**_form(world), "attachments": [_pdf()]}
    )
    # then
    made = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:detail", args=[made.pk])
    assert made.status == "submitted"
    assert [a.file.name for a in made.attachments.all()] == ["thuyet-minh.pdf"]
    assert Evaluation.objects.filter(initiative=made, status="open").exists()


def test_a_refused_form_keeps_what_was_typed_and_names_each_problem(world):
    # when: shares of 60 + 30 + 5 and an unknown co-author on the third row
    response = _client(world.lan_user).post(
        reverse("initiatives:create"),
        _form(
            world,
            **{
                "authors-1-share": "30",
                "authors-2-officer_code": "HQ999999",
                "authors-2-share": "5",
            },
        ),
    )
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert TITLE in body and "Công cụ so khớp tự động." in body
    assert 'id="authors-errors"' in body and 'id="author-2-errors"' in body
    assert "HQ999999" in body
    assert not Initiative.objects.exists()


def test_the_form_names_missing_texts_on_their_fields_when_submitting(world):
    # when
    response = _client(world.lan_user).post(
        reverse("initiatives:create"), _form(world, problem="", applied_from="")
    )
    # then
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"problem", "applied_from"}
    assert not Initiative.objects.exists()


def test_a_wrong_attachment_is_refused_on_its_field(world):
    # when
    response = _client(world.lan_user).post(
        reverse("initiatives:create"),
        {**_form(world), "attachments": [SimpleUploadedFile("so-lieu.pdf", b"MZ\x90\x00")]},
    )
    # then
    assert response.status_code == 400
    assert "so-lieu.pdf" in response.context["form"].errors["attachments"][0]
    assert not Initiative.objects.exists()


def test_adding_an_author_row_keeps_the_values_and_saves_nothing(world):
    # when
    response = _client(world.lan_user).post(
        reverse("initiatives:create"), _form(world, action="add_author")
    )
    # then
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 4
    assert TITLE in response.content.decode()
    assert not Initiative.objects.exists()


def test_a_draft_saved_from_the_form_is_edited_and_its_file_removed(world):
    # given
    me = _client(world.lan_user)
    me.post(
        reverse("initiatives:create"),
        {**_form(world, action="save"), "attachments": [_pdf("a.pdf"), _pdf("b.pdf")]},
    )
    made = Initiative.objects.get()
    first = made.attachments.order_by("pk").first()
    # when
    response = me.post(
        reverse("initiatives:edit", args=[made.pk]),
        _form(world, action="save", title="Đối chiếu tự động", remove_attachments=[first.pk]),
    )
    # then
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.title) == ("draft", "Đối chiếu tự động")
    assert [a.file.name for a in made.attachments.all()] == ["b.pdf"]


def test_editing_a_recognised_initiative_from_the_page_says_why_and_changes_nothing(world):
    # given
    recognised = recognised_initiative(world.org.team_1, [(world.lan, 100)])
    me = _client(world.lan_user, "en")
    url = reverse("initiatives:edit", args=[recognised.pk])
    # when
    shown = me.get(url, follow=True)
    posted = me.post(url, _form(world, title="Tên khác"))
    # then
    assert shown.redirect_chain == [(reverse("initiatives:detail", args=[recognised.pk]), 302)]
    assert "has been recognised and can no longer be changed" in shown.content.decode()
    assert posted.status_code == 302
    assert Initiative.objects.get(pk=recognised.pk).title == recognised.title
    assert _client(world.minh_user).get(url).status_code == 404


def test_the_page_shows_texts_authors_files_and_the_history_of_recognitions(world):
    # given
    recognised = recognised_initiative(
        world.org.team_1,
        [(world.lan, 70), (world.binh, 30)],
        levels=[("co_so", datetime.date(2023, 5, 4)), ("bo", datetime.date(2024, 9, 20))],
    )
    # when
    response = _client(world.minh_user).get(reverse("initiatives:detail", args=[recognised.pk]))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Phạm Thị Lan" in body and "Trần Văn Bình" in body
    assert "Lập hồ sơ rủi ro tự động." in body
    assert "1/QĐ-HQ" in body and "04/05/2023" in body and "20/09/2024" in body
    assert [r.level for r in response.context["recognition_rows"]] == ["co_so", "bo"]
    assert "initiative-actions" not in body  # not an author: no edit, submit or delete


def test_an_attachment_downloads_for_those_who_see_it_and_each_read_is_audited(world):
    # given
    made = services.create_initiative(
        acting_user=world.lan_user, data=_data(world), submit=True, uploads=[_pdf()]
    )
    attachment = made.attachments.get()
    url = reverse("initiatives:attachment", args=[made.pk, attachment.pk])
    # when
    got = _client(world.head1).get(url)
    # then
    assert got.status_code == 200
    assert b"".join(got.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="file.read", actor=world.head1).count() == 1
    assert _client(world.head2).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="file.read").count() == 1


def test_my_initiatives_filter_by_status_and_export_xlsx(world):
    # given
    draft = services.create_initiative(acting_user=world.lan_user, data=_data(world))
    services.create_initiative(
        acting_user=world.lan_user, data=_data(world, title="Hỗ trợ phân loại mã HS"), submit=True
    )
    me = _client(world.lan_user)
    # when
    drafts = me.get(reverse("initiatives:mine"), {"status": "draft"})
    found = me.get(reverse("initiatives:mine"), {"q": "phan loai ma hs"})
    exported = me.get(reverse("initiatives:mine"), {"format": "xlsx"})
    # then
    assert [i.pk for i in drafts.context["page"]] == [draft.pk]
    assert [i.title for i in found.context["page"]] == ["Hỗ trợ phân loại mã HS"]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {r[0] for r in rows[1:]} == {TITLE, "Hỗ trợ phân loại mã HS"}
    assert "Phạm Thị Lan" in rows[1][3]


def test_deleting_a_draft_from_its_page(world):
    # given
    draft = services.create_initiative(acting_user=world.lan_user, data=_data(world))
    url = reverse("initiatives:delete", args=[draft.pk])
    # when / then
    assert _client(world.minh_user).post(url).status_code == 404
    response = _client(world.lan_user).post(url)
    assert response.status_code == 302 and response["Location"] == reverse("initiatives:mine")
    assert not Initiative.objects.exists()


def test_submitting_from_the_page_without_a_council_shows_why(world):
    # given
    draft = services.create_initiative(
        acting_user=world.lan_user, data=_data(world, unit_id=world.org.region_2.pk)
    )
    # when
    response = _client(world.lan_user, "en").post(
        reverse("initiatives:submit", args=[draft.pk]), follow=True
    )
    # then
    assert "No initiative council in office covers this unit" in response.content.decode()
    assert Initiative.objects.get(pk=draft.pk).status == "draft"


#
# API
#


def _body(w: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": TITLE,
        "field": "digital",
        "problem": "Đối chiếu thủ công mất nhiều giờ.",
        "solution": "Công cụ so khớp tự động.",
        "novelty": "Lần đầu áp dụng tại chi cục.",
        "applied_from": "2025-01-15",
        "authors": [
            {"officer_code": w.lan.officer_code, "share": 60},
            {"officer_code": w.binh.officer_code, "share": 40},
        ],
        "submit": True,
    }
    body.update(overrides)
    return body


def test_the_api_writes_submits_and_reads_an_initiative(world):
    # given
    me = _client(world.lan_user, "en")
    # when
    created = me.post(
        f"{API}/initiatives", _body(world, submit=False), content_type="application/json"
    )
    # then
    assert created.status_code == 200, created.content
    item = created.json()
    assert (item["status"], item["level"], item["unit_name"]) == (
        "draft",
        None,
        world.org.team_1.name,
    )
    assert item["authors"] == [
        {"officer_code": world.lan.officer_code, "name": "Phạm Thị Lan", "share": 60.0},
        {"officer_code": world.binh.officer_code, "name": "Trần Văn Bình", "share": 40.0},
    ]
    # when
    changed = me.put(
        f"{API}/initiatives/{item['id']}",
        _body(world, submit=False, scope="Toàn ngành"),
        content_type="application/json",
    )
    submitted = me.post(f"{API}/initiatives/{item['id']}/submit")
    # then
    assert changed.json()["scope"] == "Toàn ngành"
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    detail = me.get(f"{API}/initiatives/{item['id']}").json()
    assert detail["applied_from"] == "2025-01-15"
    assert detail["recognitions"] == [] and detail["attachments"] == []


@pytest.mark.parametrize(
    ("authors", "field"),
    [
        ([("lan", 60), ("binh", 30)], "authors"),
        ([("lan", 50), ("HQ999999", 50)], "authors.1"),
        ([("binh", 100)], "authors"),
    ],
)
def test_the_api_refuses_bad_authors_with_400_and_the_field(world, authors, field):
    # given
    codes = {"lan": world.lan.officer_code, "binh": world.binh.officer_code}
    body = _body(
        world,
        authors=[{"officer_code": codes.get(c, c), "share": s} for c, s in authors],
    )
    # when
    response = _client(world.lan_user, "en").post(
        f"{API}/initiatives", body, content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert field in response.json()["details"]["fields"]
    assert not Initiative.objects.exists()


def test_the_api_refuses_changing_a_recognised_initiative_and_hides_others(world):
    # given
    recognised = recognised_initiative(world.org.team_1, [(world.lan, 100)])
    url = f"{API}/initiatives/{recognised.pk}"
    body = _body(world, authors=[{"officer_code": world.lan.officer_code, "share": 100}])
    # when
    mine = _client(world.lan_user, "en").put(url, body, content_type="application/json")
    theirs = _client(world.minh_user, "en").put(url, body, content_type="application/json")
    # then
    assert mine.status_code == 400
    assert "recognised" in mine.json()["message"]
    assert theirs.status_code == 404
    assert Initiative.objects.get(pk=recognised.pk).title == recognised.title


def test_the_api_lists_with_filters_and_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    # given: two recognised initiatives and a draft
    recognised_initiative(
        world.org.team_1,
        [(world.lan, 100)],
        levels=[("co_so", datetime.date(2023, 5, 4))],
        title="Phân tích rủi ro trong kiểm tra hồ sơ",
    )
    second = recognised_initiative(
        world.org.team_2,
        [(world.binh, 100)],
        levels=[("co_so", datetime.date(2023, 3, 1)), ("bo", datetime.date(2024, 9, 20))],
        title="Dịch vụ công trực tuyến cho doanh nghiệp",
    )
    services.create_initiative(acting_user=world.lan_user, data=_data(world))
    me = _client(world.lan_user)
    # when
    with django_assert_max_num_queries(8):
        everything = me.get(f"{API}/initiatives").json()
    by_level = me.get(f"{API}/initiatives", {"level": "bo", "year": 2024}).json()
    by_unit = me.get(f"{API}/initiatives", {"unit_id": world.org.region_2.pk}).json()
    by_words = me.get(f"{API}/initiatives", {"q": "dich vu cong"}).json()
    drafts = me.get(f"{API}/initiatives", {"mine": True, "status": "draft"}).json()
    # then
    assert everything["count"] == 3
    assert [i["id"] for i in by_level["items"]] == [second.pk]
    assert by_level["items"][0]["recognised_on"] == "2024-09-20"
    assert [i["id"] for i in by_unit["items"]] == [second.pk]
    assert [i["id"] for i in by_words["items"]] == [second.pk]
    assert [i["title"] for i in drafts["items"]] == [TITLE]


def test_the_api_answers_recognised_initiatives_of_a_person_or_unit_in_a_period(world):
    # given
    first = recognised_initiative(
        world.org.team_1,
        [(world.lan, 60), (world.binh, 40)],
        levels=[("co_so", datetime.date(2023, 5, 4)), ("bo", datetime.date(2025, 2, 10))],
    )
    recognised_initiative(
        world.org.team_2,
        [(world.binh, 100)],
        levels=[("co_so", datetime.date(2024, 6, 1))],
        title="Hỗ trợ tra cứu mã HS",
    )
    me = _client(world.minh_user)
    url = f"{API}/initiatives/recognised"
    # when
    lan_all = me.get(url, {"officer_code": world.lan.officer_code}).json()
    binh_2024 = me.get(
        url,
        {"officer_code": world.binh.officer_code, "start": "2024-01-01", "end": "2024-12-31"},
    ).json()
    region_1_bo = me.get(url, {"unit_id": world.org.region_1.pk, "level": "bo"}).json()
    nobody = me.get(url, {"officer_code": "HQ999999"}).json()
    # then
    assert [(r["initiative_id"], r["level"]) for r in lan_all["items"]] == [
        (first.pk, "co_so"),
        (first.pk, "bo"),
    ]
    assert lan_all["items"][1]["decision_date"] == "2025-02-10"
    assert lan_all["items"][0]["authors"] == [
        {"officer_code": world.lan.officer_code, "share": 60.0},
        {"officer_code": world.binh.officer_code, "share": 40.0},
    ]
    assert [r["title"] for r in binh_2024["items"]] == ["Hỗ trợ tra cứu mã HS"]
    assert [(r["initiative_id"], r["level"]) for r in region_1_bo["items"]] == [(first.pk, "bo")]
    assert nobody == {"items": [], "count": 0}


def test_the_openapi_document_describes_the_initiative_endpoints(world):
    # when
    document = _client(world.lan_user).get(f"{API}/openapi.json").json()
    # then
    paths = document["paths"]
    assert paths["/api/v1/initiatives"]["get"]["summary"] == "List initiatives"
    assert paths["/api/v1/initiatives"]["post"]["summary"] == "Write an initiative"
    assert paths["/api/v1/initiatives/recognised"]["get"]["description"]
    assert "put" in paths["/api/v1/initiatives/{initiative_id}"]
    assert "/api/v1/initiatives/{initiative_id}/submit" in paths
