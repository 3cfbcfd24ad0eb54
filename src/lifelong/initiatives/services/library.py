"""Writes of the library: adoptions of initiatives and good models, and the good models.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event. Scope is checked first, outside the transaction, so that a refused
attempt stays in the audit log: a unit the user does not share practices for, or an
initiative they may not see, is NotFound, as a missing one is. The rules are in
`rules_library`.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifelong.core.audit import record_event
from lifelong.core.exceptions import ValidationFailed
from lifelong.core.lookups import refuse
from lifelong.core.notify import notify
from lifelong.core.text import nfc
from lifelong.initiatives import rules_library as rules
from lifelong.initiatives.models import Adoption, GoodModel, GoodModelContent, Initiative
from lifelong.initiatives.queries import library as queries
from lifelong.initiatives.queries.scope import visible_initiatives
from lifelong.initiatives.services.common import set_search_fields
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Unit

__all__ = [
    "PROBLEM_MESSAGES",
    "TEXT_MAX_LENGTH",
    "AdoptionInput",
    "GoodModelInput",
    "create_good_model",
    "register_adoption",
    "update_adoption",
    "update_good_model",
    "withdraw_adoption",
]

TEXT_MAX_LENGTH = 5000

PROBLEM_MESSAGES = {
    rules.Problem.NOT_RECOGNISED: gettext_lazy(
        "Only a recognised initiative can be registered as applied by another unit."
    ),
    rules.Problem.OWN_UNIT: gettext_lazy(
        "This unit is where it comes from: register it for another unit."
    ),
    rules.Problem.ADOPTED_ALREADY: gettext_lazy(
        "This unit has already registered it: edit that registration instead."
    ),
    rules.Problem.STARTED_REQUIRED: gettext_lazy("Give the date since when the unit applies it."),
    rules.Problem.STARTED_IN_FUTURE: gettext_lazy(
        "The date since when the unit applies it cannot be in the future."
    ),
    rules.Problem.STARTED_BEFORE_APPLICATION: gettext_lazy(
        "The unit cannot have applied it before the initiative was first applied or trialled."
    ),
    rules.Problem.TITLE_REQUIRED: gettext_lazy("Give the good model a title."),
    rules.Problem.SUMMARY_REQUIRED: gettext_lazy("Summarise the good model."),
    rules.Problem.CONTENT_REQUIRED: gettext_lazy(
        "Tag it with at least one of the movement's five contents."
    ),
    rules.Problem.CONTENT_UNKNOWN: gettext_lazy("Unknown content of the movement."),
    rules.Problem.UNITS_REQUIRED: gettext_lazy("Name at least one unit behind the good model."),
    rules.Problem.UNIT_NOT_YOURS: gettext_lazy(
        "You may name only the units whose practices you share."
    ),
    rules.Problem.INITIATIVE_NOT_RECOGNISED: gettext_lazy(
        "Link only recognised initiatives to a good model."
    ),
}


@dataclass(frozen=True)
class AdoptionInput:
    """What a unit reports about applying an initiative or a good model."""

    started_on: datetime.date | None
    results: str = ""
    figures: str = ""


@dataclass(frozen=True)
class GoodModelInput:
    """A good model as its curator writes it; units and initiatives by id."""

    title: str
    summary: str
    description: str = ""
    results: str = ""
    contents: Sequence[str] = ()
    unit_ids: Sequence[int] = ()
    initiative_ids: Sequence[int] = ()


#
# Helpers
#


def _refuse(problems: Sequence[tuple[str, rules.Problem]]) -> ValidationFailed:
    """Return the refusal naming each problem's field ("" = the whole) and its message."""
    fields: dict[str, list[str]] = {}
    for name, problem in problems:
        fields.setdefault(name or "__all__", []).append(str(PROBLEM_MESSAGES[problem]))
    first = next(iter(fields.values()))[0]
    return ValidationFailed(first, fields=fields)


def _text(value: str) -> str:
    return nfc(value or "").strip()[:TEXT_MAX_LENGTH]


def _user(acting_user: AnyUser) -> User | None:
    return acting_user if isinstance(acting_user, User) else None


def _adoption_snapshot(adoption: Adoption) -> dict[str, object]:
    return {
        "unit": adoption.unit_id,
        "initiative": adoption.initiative_id,
        "good_model": adoption.good_model_id,
        "started_on": adoption.started_on,
        "results": adoption.results,
        "figures": adoption.figures,
    }


def _check_dates(
    *,
    unit: Unit,
    initiative: Initiative | None,
    good_model: GoodModel | None,
    data: AdoptionInput,
    today: datetime.date,
    already: bool,
) -> datetime.date:
    """Check an adoption with the rules; return its start date or refuse its problems."""
    if initiative is not None:
        own_unit = initiative.unit_id == unit.pk
    else:
        assert good_model is not None
        own_unit = good_model.units.filter(pk=unit.pk).exists()
    facts = rules.AdoptionFacts(
        started_on=data.started_on,
        today=today,
        recognised=initiative is None or bool(initiative.level),
        first_applied=initiative.applied_from if initiative is not None else None,
        own_unit=own_unit,
        already=already,
    )
    problems = rules.check_adoption(facts)
    if problems or data.started_on is None:
        raise _refuse(problems or [("started_on", rules.Problem.STARTED_REQUIRED)])
    return data.started_on


def _notify_authors(adoption: Adoption, initiative: Initiative) -> None:
    """Tell the initiative's authors (with an account) that another unit applies it."""
    link = reverse("initiatives:detail", args=[initiative.pk])
    message = _("{unit} applies your initiative “{title}” since {date}.").format(
        unit=adoption.unit.name,
        title=initiative.title,
        date=adoption.started_on.strftime("%d/%m/%Y"),
    )
    authors = User.objects.filter(person__initiatives__initiative=initiative).distinct()
    for user in authors.order_by("pk"):
        notify(user=user, kind="initiatives.adopted", message=message, link=link, email=False)


#
# Adoptions
#


def register_adoption(
    *,
    acting_user: AnyUser,
    unit: Unit,
    data: AdoptionInput,
    initiative: Initiative | None = None,
    good_model: GoodModel | None = None,
) -> Adoption:
    """Register that `unit` applies `initiative`, or adopts `good_model`, since a date.

    The user shares practices for the unit (else NotFound). The initiative is recognised;
    it is not the unit's own; the unit has not registered it before; the date is not in the
    future nor before the initiative was first applied. The authors are told.
    """
    if (initiative is None) == (good_model is None):
        raise ValidationFailed(_("Name either an initiative or a good model."))
    if not queries.may_share(acting_user, unit):
        raise refuse(acting_user, "org.unit", unit.pk)
    if (
        initiative is not None
        and not visible_initiatives(acting_user).filter(pk=initiative.pk).exists()
    ):
        raise refuse(acting_user, "initiatives.initiative", initiative.pk)
    today = timezone.localdate()
    if not unit.is_current(today):
        raise ValidationFailed(
            _("This unit is no longer in office."), fields={"unit": [_("No longer in office.")]}
        )
    with transaction.atomic():
        already = Adoption.objects.filter(
            unit=unit, initiative=initiative, good_model=good_model
        ).exists()
        started_on = _check_dates(
            unit=unit,
            initiative=initiative,
            good_model=good_model,
            data=data,
            today=today,
            already=already,
        )
        adoption = Adoption(
            unit=unit,
            initiative=initiative,
            good_model=good_model,
            started_on=started_on,
            results=_text(data.results),
            figures=_text(data.figures),
            reported_by=_user(acting_user),
        )
        try:
            # A savepoint: two registrations racing past the check meet the unique constraint.
            with transaction.atomic():
                adoption.save()
        except IntegrityError:
            raise _refuse([("unit", rules.Problem.ADOPTED_ALREADY)]) from None
        record_event(
            "adoption.recorded",
            actor=acting_user,
            target=adoption,
            after=_adoption_snapshot(adoption),
        )
        if initiative is not None:
            _notify_authors(adoption, initiative)
    return adoption


def update_adoption(*, acting_user: AnyUser, adoption: Adoption, data: AdoptionInput) -> Adoption:
    """Change the start date and the reported results of an adoption (its unit's sharer)."""
    if not queries.may_share(acting_user, adoption.unit):
        raise refuse(acting_user, "initiatives.adoption", adoption.pk)
    with transaction.atomic():
        adoption = (
            # Only the adoption's row is locked: its initiative and good model are nullable.
            Adoption.objects.select_for_update(of=("self",))
            .select_related("unit", "initiative", "good_model")
            .get(pk=adoption.pk)
        )
        before = _adoption_snapshot(adoption)
        adoption.started_on = _check_dates(
            unit=adoption.unit,
            initiative=adoption.initiative,
            good_model=adoption.good_model,
            data=data,
            today=timezone.localdate(),
            already=False,
        )
        adoption.results = _text(data.results)
        adoption.figures = _text(data.figures)
        adoption.reported_by = _user(acting_user)
        adoption.save()
        record_event(
            "adoption.updated",
            actor=acting_user,
            target=adoption,
            before=before,
            after=_adoption_snapshot(adoption),
        )
    return adoption


def withdraw_adoption(*, acting_user: AnyUser, adoption: Adoption) -> None:
    """Withdraw a registration made in error (its unit's sharer); the audit log keeps it."""
    if not queries.may_share(acting_user, adoption.unit):
        raise refuse(acting_user, "initiatives.adoption", adoption.pk)
    with transaction.atomic():
        record_event(
            "adoption.withdrawn",
            actor=acting_user,
            target=adoption,
            before=_adoption_snapshot(adoption),
        )
        Adoption.objects.filter(pk=adoption.pk).delete()


#
# Good models
#


def _good_model_snapshot(good_model: GoodModel) -> dict[str, object]:
    return {
        "title": good_model.title,
        "summary": good_model.summary,
        "description": good_model.description,
        "results": good_model.results,
        "contents": sorted(good_model.contents.values_list("content", flat=True)),
        "units": sorted(good_model.units.values_list("pk", flat=True)),
        "initiatives": sorted(good_model.initiatives.values_list("pk", flat=True)),
    }


def _resolve(
    acting_user: AnyUser, data: GoodModelInput
) -> tuple[list[Unit], list[Initiative], list[str]]:
    """Look up the units and initiatives named, and check the whole model; refuse problems."""
    contents = list(dict.fromkeys(data.contents))
    unit_ids = set(data.unit_ids)
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("sort_key", "pk"))
    initiative_ids = set(data.initiative_ids)
    initiatives = list(
        visible_initiatives(acting_user).filter(pk__in=initiative_ids).exclude(level="")
    )
    problems = rules.check_good_model(
        title=data.title,
        summary=data.summary,
        contents=contents,
        unit_count=len(units),
        unrecognised_initiatives=len(initiative_ids) - len(initiatives),
    )
    if len(units) != len(unit_ids) or not rules.may_curate(
        unit_paths=[u.path for u in units],
        manage_roots=access.scope_of(acting_user, Capability.MANAGE_INITIATIVES),
        share_roots=access.scope_of(acting_user, Capability.SHARE_PRACTICES),
    ):
        problems.append(("units", rules.Problem.UNIT_NOT_YOURS))
    if problems:
        raise _refuse(problems)
    return units, initiatives, contents


def _save_good_model(
    good_model: GoodModel,
    data: GoodModelInput,
    units: list[Unit],
    initiatives: list[Initiative],
    contents: list[str],
) -> None:
    good_model.title = _text(data.title)[:300]
    good_model.summary = _text(data.summary)
    good_model.description = _text(data.description)
    good_model.results = _text(data.results)
    set_search_fields(
        good_model,
        [good_model.summary, good_model.description, *(u.name for u in units)],
    )
    good_model.save()
    good_model.units.set(units)
    good_model.initiatives.set(initiatives)
    GoodModelContent.objects.filter(good_model=good_model).exclude(content__in=contents).delete()
    held = set(good_model.contents.values_list("content", flat=True))
    GoodModelContent.objects.bulk_create(
        [GoodModelContent(good_model=good_model, content=c) for c in contents if c not in held]
    )


def create_good_model(*, acting_user: AnyUser, data: GoodModelInput) -> GoodModel:
    """Add a good model to the library, tagged with its contents, units and initiatives.

    The user manages initiatives over, or shares practices for, every unit named; linked
    initiatives are recognised ones the user may see.
    """
    if not queries.may_curate_anything(acting_user):
        raise refuse(acting_user, "initiatives.goodmodel", "new")
    units, initiatives, contents = _resolve(acting_user, data)
    with transaction.atomic():
        good_model = GoodModel(created_by=_user(acting_user))
        _save_good_model(good_model, data, units, initiatives, contents)
        record_event(
            "good_model.created",
            actor=acting_user,
            target=good_model,
            after=_good_model_snapshot(good_model),
        )
    return good_model


def update_good_model(
    *, acting_user: AnyUser, good_model: GoodModel, data: GoodModelInput
) -> GoodModel:
    """Edit a good model; the user must be allowed over the units behind it, before and after."""
    if not queries.may_curate(acting_user, good_model):
        raise refuse(acting_user, "initiatives.goodmodel", good_model.pk)
    units, initiatives, contents = _resolve(acting_user, data)
    with transaction.atomic():
        good_model = GoodModel.objects.select_for_update().get(pk=good_model.pk)
        before = _good_model_snapshot(good_model)
        _save_good_model(good_model, data, units, initiatives, contents)
        record_event(
            "good_model.updated",
            actor=acting_user,
            target=good_model,
            before=before,
            after=_good_model_snapshot(good_model),
        )
    return good_model
