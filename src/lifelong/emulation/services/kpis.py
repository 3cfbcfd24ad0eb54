"""Writes of unit KPIs: indicators (the secretariat) and the values units report.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event. A value is for one period of the indicator's kind (a month, a
quarter, a half-year or a calendar year: `rules.period_number`), already ended, with its
source; reporting a period again corrects the value, and the audit event keeps the old one.
The background recompute notices new values (`KpiValue.reported_at` is in its digest).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.text import nfc
from lifelong.emulation import rules
from lifelong.emulation.choices import KpiAggregation, PeriodKind
from lifelong.emulation.models import KpiIndicator, KpiValue
from lifelong.emulation.queries.scope import may_take_part
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit

__all__ = ["report_value", "save_indicator"]


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
    if not access.has_capability(acting_user, Capability.MANAGE_EMULATION):
        raise NotFound(_("Not found."))
    if period_kind not in PeriodKind.values:
        raise ValidationFailed(
            _("Choose the length of a period."), period_kind=[_("Not a choice.")]
        )
    if aggregation not in KpiAggregation.values:
        raise ValidationFailed(_("Choose how a phase adds up."), aggregation=[_("Not a choice.")])
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
        "emulation.kpi_saved" if indicator else "emulation.kpi_created",
        actor=acting_user,
        target=row,
    )
    return row


@transaction.atomic
def report_value(
    *,
    acting_user: User,
    indicator: KpiIndicator,
    unit: Unit,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Decimal,
    source: str,
    today: datetime.date | None = None,
) -> KpiValue:
    """Report (or correct) the unit's value of `indicator` for one ended period."""
    if not may_take_part(acting_user, unit):
        raise NotFound(_("Not found."))
    today = today or timezone.localdate()
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
    source = nfc(source).strip()
    if not source:
        raise ValidationFailed(_("Say where the figure comes from."), source=[_("Required.")])
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
    row.source = source[:300]
    row.reported_by = acting_user
    row.save()
    record_event(
        "emulation.kpi_corrected" if before else "emulation.kpi_reported",
        actor=acting_user,
        target=row,
        before=before,
        after={"value": float(value), "source": row.source},
    )
    return row
