"""Writes of unit KPIs: indicators (the secretariat) and the values units report.

Every function takes keyword-only arguments with `acting_user` and runs in one transaction.
A value is for one period of the indicator's kind (a month, a quarter, a half-year or a
calendar year: `rules.period_number`), already ended, with its source; reporting a period
again corrects the value, and the audit event keeps the old one (one event per value, also
in a bulk entry). The background recompute notices new values (`KpiValue.reported_at` is in
its digest).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.text import nfc
from lifelong.emulation import rules
from lifelong.emulation.choices import KpiAggregation, PeriodKind
from lifelong.emulation.models import Criterion, KpiIndicator, KpiValue
from lifelong.emulation.queries.scope import may_take_part
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit

__all__ = ["Entry", "delete_indicator", "report_value", "report_values", "save_indicator"]

# A value has at most 14 digits before the point and 2 after (KpiValue.value).
LARGEST = Decimal("99999999999999.99")
CENT = Decimal("0.01")


def _indicator_data(row: KpiIndicator) -> dict[str, object]:
    return {
        "code": row.code,
        "name": row.name,
        "measure": row.measure,
        "period_kind": row.period_kind,
        "aggregation": row.aggregation,
        "lower_is_better": row.lower_is_better,
        "description": row.description,
    }


def _manages(acting_user: User) -> None:
    if not access.has_capability(acting_user, Capability.MANAGE_EMULATION):
        raise NotFound(_("Not found."))


@transaction.atomic
def save_indicator(
    *,
    acting_user: User,
    code: str,
    name: str,
    measure: str,
    period_kind: str,
    aggregation: str,
    description: str = "",
    lower_is_better: bool = False,
    indicator: KpiIndicator | None = None,
) -> KpiIndicator:
    """Create an indicator, or change `indicator` (the secretariat)."""
    _manages(acting_user)
    if period_kind not in PeriodKind.values:
        raise ValidationFailed(
            _("Choose the length of a period."), period_kind=[_("Not a choice.")]
        )
    if aggregation not in KpiAggregation.values:
        raise ValidationFailed(_("Choose how a phase adds up."), aggregation=[_("Not a choice.")])
    if indicator is not None:
        indicator = KpiIndicator.objects.select_for_update().get(pk=indicator.pk)
        if (
            indicator.period_kind != period_kind
            and KpiValue.objects.filter(indicator=indicator).exists()
        ):
            raise ValidationFailed(
                _("Units have already reported {name} by {kind}: its period cannot change.").format(
                    name=indicator.name, kind=PeriodKind(indicator.period_kind).label.lower()
                ),
                period_kind=[_("Values are already reported.")],
            )
    before = _indicator_data(indicator) if indicator is not None else None
    row = indicator or KpiIndicator()
    row.code = code.strip()
    row.name = nfc(name).strip()
    row.measure = nfc(measure).strip()
    row.period_kind = period_kind
    row.aggregation = aggregation
    row.description = nfc(description).strip()
    row.lower_is_better = lower_is_better
    if not row.code or not row.name or not row.measure:
        raise ValidationFailed(_("An indicator needs a code, a name and a unit of measure."))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationFailed(
            _("Another indicator has the code {code}.").format(code=row.code),
            code=[_("Already used.")],
        ) from None
    record_event(
        "emulation.kpi_saved" if before else "emulation.kpi_created",
        actor=acting_user,
        target=row,
        before=before,
        after=_indicator_data(row),
    )
    return row


@transaction.atomic
def delete_indicator(*, acting_user: User, indicator: KpiIndicator) -> None:
    """Delete an indicator no criterion uses and no unit has reported (the secretariat)."""
    _manages(acting_user)
    used = (
        Criterion.objects.filter(kpi=indicator)
        .select_related("version__phase__campaign")
        .order_by("version__phase__campaign__name")
        .first()
    )
    if used is not None:
        raise ValidationFailed(
            _(
                "{name} is used by the criterion “{criterion}” of the campaign {campaign}: "
                "it cannot be deleted."
            ).format(
                name=indicator.name,
                criterion=used.name,
                campaign=used.version.phase.campaign.name,
            )
        )
    reported = KpiValue.objects.filter(indicator=indicator).count()
    if reported:
        raise ValidationFailed(
            _("Units have reported {count} values of {name}: it cannot be deleted.").format(
                count=reported, name=indicator.name
            )
        )
    data = _indicator_data(indicator)
    target_id = indicator.pk
    try:
        with transaction.atomic():
            indicator.delete()
    except ProtectedError:
        raise ValidationFailed(
            _("{name} is in use: it cannot be deleted.").format(name=indicator.name)
        ) from None
    record_event(
        "emulation.kpi_deleted",
        actor=acting_user,
        target_type="emulation.kpiindicator",
        target_id=str(target_id),
        target_label=indicator.name,
        before=data,
    )


def _check_value(value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed(_("The value must be a number."), value=[_("Not a number.")])
    if abs(number) > LARGEST:
        raise ValidationFailed(
            _("The value is too large (at most 14 digits before the decimal point)."),
            value=[_("Too large.")],
        )
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_period(
    indicator: KpiIndicator,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date,
) -> None:
    if rules.period_number(indicator.period_kind, period_start, period_end) is None:
        raise ValidationFailed(
            _("{name} is reported by {kind}: the dates must be exactly one such period.").format(
                name=indicator.name, kind=PeriodKind(indicator.period_kind).label.lower()
            ),
            period_start=[_("Not a period of this indicator.")],
        )
    if period_end >= today:
        raise ValidationFailed(
            _("A period is reported once it has ended."), period_end=[_("Not ended yet.")]
        )


def _write(
    *,
    acting_user: User,
    indicator: KpiIndicator,
    unit: Unit,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal,
    source: str,
) -> KpiValue:
    row = (
        KpiValue.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period_start=period_start)
        .first()
    )
    before = {"value": float(row.value), "source": row.source} if row is not None else None
    if row is None:
        row = KpiValue(indicator=indicator, unit=unit, period_start=period_start)
    row.period_end = period_end
    row.value = value
    row.source = source
    row.reported_by = acting_user
    row.save()
    record_event(
        "emulation.kpi_corrected" if before else "emulation.kpi_reported",
        actor=acting_user,
        target=row,
        before=before,
        after={"value": float(value), "source": row.source},
        data={
            "indicator": indicator.code,
            "unit": unit.code,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
        },
    )
    return row


def _source(source: str) -> str:
    text = nfc(source or "").strip()
    if not text:
        raise ValidationFailed(_("Say where the figure comes from."), source=[_("Required.")])
    if len(text) > 300:
        raise ValidationFailed(
            _("The source is too long (at most 300 characters)."), source=[_("Too long.")]
        )
    return text


@transaction.atomic
def report_value(
    *,
    acting_user: User,
    indicator: KpiIndicator,
    unit: Unit,
    period_start: datetime.date,
    period_end: datetime.date,
    value: object,
    source: str,
    today: datetime.date | None = None,
) -> KpiValue:
    """Report (or correct) the unit's value of `indicator` for one ended period."""
    if not may_take_part(acting_user, unit):
        raise NotFound(_("Not found."))
    _check_period(indicator, period_start, period_end, today or timezone.localdate())
    return _write(
        acting_user=acting_user,
        indicator=indicator,
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        value=_check_value(value),
        source=_source(source),
    )


@dataclass(frozen=True)
class Entry:
    """One row of a bulk entry: an indicator's value and source (a blank value is skipped)."""

    indicator: KpiIndicator
    value: object
    source: str


@transaction.atomic
def report_values(
    *,
    acting_user: User,
    unit: Unit,
    kind: str,
    year: int,
    number: int,
    entries: Sequence[Entry],
    today: datetime.date | None = None,
) -> list[KpiValue]:
    """Report (or correct) several indicators of `kind` for period `number` of `year`.

    All or nothing: a refused row refuses the whole entry, its message naming the indicator.
    A row whose value and source are unchanged is not written again.
    """
    if not may_take_part(acting_user, unit):
        raise NotFound(_("Not found."))
    if kind not in PeriodKind.values:
        raise ValidationFailed(_("Choose the length of a period."), kind=[_("Not a choice.")])
    try:
        start, end = rules.period_bounds(kind, year, number)
    except ValueError:
        raise ValidationFailed(
            _("A year has no such period."), number=[_("Out of range.")]
        ) from None
    today = today or timezone.localdate()
    if end >= today:
        raise ValidationFailed(
            _("A period is reported once it has ended."), number=[_("Not ended yet.")]
        )
    checked = []
    for entry in entries:
        if entry.value is None or str(entry.value).strip() == "":
            continue
        if entry.indicator.period_kind != kind:
            raise ValidationFailed(
                _("{name} is not reported by {kind}.").format(
                    name=entry.indicator.name, kind=PeriodKind(kind).label.lower()
                )
            )
        try:
            _check_period(entry.indicator, start, end, today)
            checked.append((entry.indicator, _check_value(entry.value), _source(entry.source)))
        except ValidationFailed as refusal:
            raise ValidationFailed(
                f"{entry.indicator.name}: {refusal.message}",
                **{f"{name}_{entry.indicator.pk}": errs for name, errs in refusal.details.items()},
            ) from None
    if not checked:
        raise ValidationFailed(_("Enter at least one value."))
    existing = {
        row.indicator_id: row
        for row in KpiValue.objects.filter(
            unit=unit, period_start=start, indicator__in=[c[0] for c in checked]
        )
    }
    saved = []
    for indicator, value, source in checked:
        old = existing.get(indicator.pk)
        if old is not None and (old.value, old.source, old.period_end) == (value, source, end):
            saved.append(old)
            continue
        saved.append(
            _write(
                acting_user=acting_user,
                indicator=indicator,
                unit=unit,
                period_start=start,
                period_end=end,
                value=value,
                source=source,
            )
        )
    return saved
