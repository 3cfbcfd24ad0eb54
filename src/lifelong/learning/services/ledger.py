"""Writes of the hours ledger's settings: annual targets, and matching unknown xAPI actors.

The ledger itself is never written here: it is the projection of the xAPI store.
"""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.learning import projection
from lifelong.learning.models import AnnualTarget, UnknownActor
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.choices import PositionGroup
from lifelong.org.models import Person

__all__ = ["MAX_TARGET_HOURS", "add_annual_target", "match_unknown_actor"]

# A yearly target above this many clock hours is a typing error, not a policy.
MAX_TARGET_HOURS = Decimal(2000)
FIRST_YEAR = 2000
LAST_YEAR = 2100


def _refuse() -> NotFound:
    return NotFound(_("Not found."))


@transaction.atomic
def add_annual_target(
    *,
    acting_user: User | AnonymousUser,
    position_group: str,
    from_year: int,
    until_year: int | None,
    hours: Decimal | str,
    source: str = "",
) -> AnnualTarget:
    """Add an annual target row (the training office's policy); audited.

    A row applies to one job-position group ("" = all) from `from_year` until `until_year`
    (open-ended when None). Hours are clock hours, more than 0 and at most 2,000; one row per
    group and starting year.
    """
    if not access.has_capability(acting_user, Capability.MANAGE_TRAINING):
        raise _refuse()
    errors: dict[str, str] = {}
    if position_group not in {"", *PositionGroup.values}:
        errors["position_group"] = _("Choose a job-position group from the list.")
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.01"))
    except InvalidOperation:
        amount = Decimal(0)
        errors["hours"] = _("Enter the hours as a number.")
    if "hours" not in errors and not (0 < amount <= MAX_TARGET_HOURS):
        errors["hours"] = _("The target must be more than 0 and at most {n} hours.").format(
            n=MAX_TARGET_HOURS
        )
    if not FIRST_YEAR <= from_year <= LAST_YEAR:
        errors["from_year"] = _("Enter a year between {a} and {b}.").format(
            a=FIRST_YEAR, b=LAST_YEAR
        )
    if until_year is not None and until_year < from_year:
        errors["until_year"] = _("The last year cannot come before the first.")
    if (
        "from_year" not in errors
        and AnnualTarget.objects.filter(position_group=position_group, from_year=from_year).exists()
    ):
        errors["from_year"] = _("A target for this group already starts in this year.")
    if errors:
        raise ValidationFailed(" ".join(errors.values()), fields=errors)
    target = AnnualTarget.objects.create(
        position_group=position_group,
        from_year=from_year,
        until_year=until_year,
        hours=amount,
        source=source.strip()[:300],
    )
    record_event(
        "learning_target.created",
        actor=acting_user,
        target=target,
        after={
            "position_group": position_group,
            "from_year": from_year,
            "until_year": until_year,
            "hours": amount,
            "source": target.source,
        },
    )
    return target


def match_unknown_actor(
    *, acting_user: User | AnonymousUser, unknown_id: int, officer_code: str
) -> UnknownActor:
    """Match an unknown xAPI actor to the officer with `officer_code` (administrators only).

    From then on its statements, past and future, count in that officer's ledger. The
    projection's `match_actor` writes the link, recomputes the claims and audits it, in one
    transaction; the unknown actor's row is locked so two administrators cannot both match it.
    """
    if not isinstance(acting_user, User) or not access.has_capability(
        acting_user, Capability.ADMINISTER
    ):
        raise _refuse()
    code = officer_code.strip()[:32]
    with transaction.atomic():
        unknown = UnknownActor.objects.select_for_update().filter(pk=unknown_id).first()
        if unknown is None:
            raise _refuse()
        roots = access.scope_of(acting_user, Capability.ADMINISTER)
        person = (
            Person.objects.filter(access.scope_filter(roots, "unit__path"))
            .filter(officer_code=code)
            .first()
        )
        if person is None:
            raise ValidationFailed(
                _("No officer has the code {code}.").format(code=code),
                fields={"officer_code": _("No officer has this code.")},
            )
        return projection.match_actor(acting_user=acting_user, unknown=unknown, person=person)
