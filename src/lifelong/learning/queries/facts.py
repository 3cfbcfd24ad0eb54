"""Each officer's learning facts over a period, for the emulation criteria measured from data.

One pass of a few SQL aggregates for the whole organisation (or the officers asked for): the
hours counted in the period's years, in how many of those years the officer met their annual
target, whether they hold a language certificate at B1 or above or a data-skills certificate
by the period's end, how many certificates they earned in it, and whether they are an
instructor with a WCO accreditation in force at its end. Emulation turns these into unit and
individual values; nothing here is scoped, so only services deciding for the whole
organisation call it (scoring), never a page directly.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from lifelong.learning.choices import CefrLevel, CertificateField, WcoStatus
from lifelong.learning.models import Certificate, LedgerYear, WcoAccreditation
from lifelong.learning.queries.ledger import target_rows
from lifelong.learning.rules import ledger
from lifelong.org.models import Person

__all__ = ["LANGUAGE_LEVELS", "LearningFacts", "learning_facts"]

# CEFR levels "at or above B1".
LANGUAGE_LEVELS = (CefrLevel.B1, CefrLevel.B2, CefrLevel.C1, CefrLevel.C2)
ZERO = Decimal(0)


@dataclass(frozen=True)
class LearningFacts:
    """One officer's learning over a period."""

    person_id: int
    hours: Decimal
    years: int  # calendar years in the period
    years_meeting_target: int
    language_b1_or_data: bool
    certificates: int
    wco_instructor: bool


def learning_facts(
    start: datetime.date, end: datetime.date, *, person_ids: Iterable[int] | None = None
) -> dict[int, LearningFacts]:
    """Return the learning facts of every officer (or of `person_ids`) for [start, end].

    Hours and targets go by calendar year (the ledger's unit): every year the period
    touches counts whole.
    """
    years = list(range(start.year, end.year + 1))
    people = Person.objects.all()
    ledger_rows = LedgerYear.objects.filter(year__in=years)
    certificates = Certificate.objects.filter(revoked_at__isnull=True)
    accreditations = WcoAccreditation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=end),
        status=WcoStatus.ACCREDITED,
        valid_from__lte=end,
        instructor__person__isnull=False,
    )
    if person_ids is not None:
        wanted = list(person_ids)
        people = people.filter(pk__in=wanted)
        ledger_rows = ledger_rows.filter(person_id__in=wanted)
        certificates = certificates.filter(person_id__in=wanted)
        accreditations = accreditations.filter(instructor__person_id__in=wanted)
    groups = dict(people.values_list("pk", "job_position__group"))
    rows = target_rows()
    targets = {
        (group or "", year): ledger.target_for(rows, group or "", year)
        for group in set(groups.values())
        for year in years
    }
    hours: dict[int, Decimal] = {}
    met: dict[int, int] = {}
    for person_id, year, total in ledger_rows.values_list("person_id", "year", "hours_total"):
        hours[person_id] = hours.get(person_id, ZERO) + total
        if total >= targets[(groups.get(person_id) or "", year)]:
            met[person_id] = met.get(person_id, 0) + 1
    skilled = set(
        certificates.filter(
            Q(field=CertificateField.LANGUAGE, level__in=LANGUAGE_LEVELS)
            | Q(field=CertificateField.DATA),
            issued_on__lte=end,
        ).values_list("person_id", flat=True)
    )
    earned = dict(
        certificates.filter(issued_on__gte=start, issued_on__lte=end)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    instructors = set(accreditations.values_list("instructor__person_id", flat=True))
    return {
        person_id: LearningFacts(
            person_id=person_id,
            hours=hours.get(person_id, ZERO),
            years=len(years),
            years_meeting_target=met.get(person_id, 0),
            language_b1_or_data=person_id in skilled,
            certificates=earned.get(person_id, 0),
            wco_instructor=person_id in instructors,
        )
        for person_id in groups
    }
