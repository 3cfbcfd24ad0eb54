"""What the scores of a campaign's phase are computed from: who competes, and their values.

Unscoped, for the scoring service only (it decides for the whole campaign); pages read the
results (`Standing`) through the scoped queries.

- **The field.** The units that compete are the members of the campaign's clusters. The
  officers who compete are those placed, on the reference date, in the subtree of a competing
  unit (the deepest one, if clusters nest): the people placed there now for a running phase,
  the position assignments covering the phase's last day for a past one (as the ledger does).
- **Values.** Each criterion measured from data has a raw value per unit and per officer,
  from the learning facts (`learning.queries.facts`), the recognised initiatives
  (`initiatives.queries.recognised`), the unit's KPI values and its self-assessments. A unit's
  value adds up its officers; `inputs` keeps what each value was computed from, so any score
  can be explained. A running phase is measured from its first day to the reference date.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from lifelong.emulation import rules
from lifelong.emulation.choices import AssessmentStatus, KpiAggregation, Metric, Subject
from lifelong.emulation.models import Assessment, Campaign, ClusterUnit, KpiValue, Phase
from lifelong.initiatives.queries.recognised import recognitions
from lifelong.learning.queries.facts import LearningFacts, learning_facts
from lifelong.org.choices import PersonStatus
from lifelong.org.models import Person, PositionAssignment, Unit

__all__ = [
    "COUNT_METRICS",
    "PEOPLE_METRICS",
    "Competitor",
    "CriterionDef",
    "Entrant",
    "Field",
    "Measured",
    "field_of",
    "measure",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_GONE = (PersonStatus.RETIRED, PersonStatus.LEFT)

# Counts, which may be normalised by unit size; the other metrics are already per head or %.
COUNT_METRICS = frozenset(
    {Metric.CERTIFICATES, Metric.INITIATIVES, Metric.WCO_INSTRUCTORS, Metric.KPI}
)
# What an officer can be scored on (KPIs and evidence belong to units).
PEOPLE_METRICS = frozenset(
    {
        Metric.HOURS_PER_HEAD,
        Metric.TARGET_SHARE,
        Metric.LANGUAGE_OR_DATA_SHARE,
        Metric.CERTIFICATES,
        Metric.INITIATIVES,
        Metric.WCO_INSTRUCTORS,
    }
)


@dataclass(frozen=True)
class CriterionDef:
    """A criterion as plain data: saved (`Criterion` rows) or proposed (a preview)."""

    code: str
    name: str
    content_id: int
    weight: Decimal
    metric: str
    subject: str
    rule: rules.Criterion
    kpi_id: int | None = None

    @property
    def scores_units(self) -> bool:
        """Return whether units are scored on this criterion."""
        return self.subject in (Subject.UNITS, Subject.BOTH)

    @property
    def scores_people(self) -> bool:
        """Return whether officers are scored on this criterion."""
        return self.subject in (Subject.PEOPLE, Subject.BOTH) and self.metric in PEOPLE_METRICS


@dataclass(frozen=True)
class Competitor:
    """A unit that competes, in its cluster."""

    unit_id: int
    code: str
    name: str
    path: str
    sort_key: str
    cluster_id: int
    cluster_name: str


@dataclass(frozen=True)
class Entrant:
    """An officer who competes: placed under a competing unit on the reference date."""

    person_id: int
    officer_code: str
    name: str
    sort_key: str
    unit_id: int  # the competing unit whose subtree holds the officer
    own_unit_id: int  # the unit the officer is placed in
    cluster_id: int


@dataclass
class Field:
    """Who competes in a phase, on its reference date."""

    reference: datetime.date
    competitors: dict[int, Competitor]
    entrants: dict[int, Entrant]

    def headcount(self) -> dict[int, int]:
        """Return each competing unit's number of officers."""
        counts = dict.fromkeys(self.competitors, 0)
        for entrant in self.entrants.values():
            counts[entrant.unit_id] += 1
        return counts


@dataclass
class Measured:
    """The raw values of a phase: per unit and per officer, by criterion code."""

    units: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    inputs: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    people: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    headcounts: dict[int, int] = field(default_factory=dict)


def field_of(campaign: Campaign, phase: Phase, *, today: datetime.date | None = None) -> Field:
    """Return the competing units and officers of `phase` (see the module's notes)."""
    today = today or datetime.date.today()
    past = phase.ends_on < today
    reference = phase.ends_on if past else today
    members = (
        ClusterUnit.objects.filter(campaign=campaign)
        .select_related("unit", "cluster")
        .order_by("unit__path")
    )
    competitors = {
        m.unit_id: Competitor(
            unit_id=m.unit_id,
            code=m.unit.code,
            name=m.unit.name,
            path=m.unit.path,
            sort_key=m.unit.sort_key,
            cluster_id=m.cluster_id,
            cluster_name=m.cluster.name,
        )
        for m in members
    }
    by_path = {c.path: c for c in competitors.values()}
    lengths = sorted({len(path) for path in by_path}, reverse=True)

    def competitor_of(path: str) -> Competitor | None:
        for length in lengths:  # the deepest competing unit above the officer's unit
            found = by_path.get(path[:length])
            if found is not None:
                return found
        return None

    if past:
        rows: Iterable[tuple[Any, ...]] = (
            PositionAssignment.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=reference), starts_on__lte=reference
            )
            .order_by("person_id", "-starts_on")
            .values_list(
                "person_id",
                "person__officer_code",
                "person__family_name",
                "person__middle_name",
                "person__given_name",
                "person__sort_key",
                "unit_id",
                "unit__path",
            )
        )
    else:
        rows = (
            Person.objects.exclude(status__in=_GONE)
            .filter(unit__isnull=False)
            .order_by("pk")
            .values_list(
                "pk",
                "officer_code",
                "family_name",
                "middle_name",
                "given_name",
                "sort_key",
                "unit_id",
                "unit__path",
            )
        )
    entrants: dict[int, Entrant] = {}
    for person_id, code, family, middle, given, key, unit_id, path in rows:
        if person_id in entrants:
            continue
        competitor = competitor_of(path)
        if competitor is None:
            continue
        entrants[person_id] = Entrant(
            person_id=person_id,
            officer_code=code,
            name=" ".join(part for part in (family, middle, given) if part),
            sort_key=key,
            unit_id=competitor.unit_id,
            own_unit_id=unit_id,
            cluster_id=competitor.cluster_id,
        )
    return Field(reference=reference, competitors=competitors, entrants=entrants)


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return None if not whole else Decimal(part) * HUNDRED / Decimal(whole)


def _person_value(metric: str, facts: LearningFacts | None, initiatives: int) -> Decimal | None:
    if facts is None:
        return None
    years = facts.years or 1
    match metric:
        case Metric.HOURS_PER_HEAD:
            return facts.hours / years
        case Metric.TARGET_SHARE:
            return _share(facts.years_meeting_target, years)
        case Metric.LANGUAGE_OR_DATA_SHARE:
            return HUNDRED if facts.language_b1_or_data else ZERO
        case Metric.CERTIFICATES:
            return Decimal(facts.certificates)
        case Metric.INITIATIVES:
            return Decimal(initiatives)
        case Metric.WCO_INSTRUCTORS:
            return Decimal(1 if facts.wco_instructor else 0)
    return None


@dataclass
class _UnitTally:
    """A competing unit's officers added up."""

    headcount: int = 0
    hours: Decimal = ZERO
    officer_years: int = 0
    years_meeting_target: int = 0
    language_or_data: int = 0
    certificates: int = 0
    wco_instructors: int = 0


def _unit_learning(metric: str, tally: _UnitTally) -> tuple[Decimal | None, dict[str, Any]]:
    match metric:
        case Metric.HOURS_PER_HEAD:
            value = tally.hours / tally.officer_years if tally.officer_years else None
            return value, {
                "hours": str(tally.hours),
                "headcount": tally.headcount,
                "officer_years": tally.officer_years,
            }
        case Metric.TARGET_SHARE:
            return _share(tally.years_meeting_target, tally.officer_years), {
                "officer_years_meeting_target": tally.years_meeting_target,
                "officer_years": tally.officer_years,
                "headcount": tally.headcount,
            }
        case Metric.LANGUAGE_OR_DATA_SHARE:
            return _share(tally.language_or_data, tally.headcount), {
                "with_language_or_data": tally.language_or_data,
                "headcount": tally.headcount,
            }
        case Metric.CERTIFICATES:
            return Decimal(tally.certificates), {
                "certificates": tally.certificates,
                "headcount": tally.headcount,
            }
        case Metric.WCO_INSTRUCTORS:
            return Decimal(tally.wco_instructors), {
                "wco_instructors": tally.wco_instructors,
                "headcount": tally.headcount,
            }
    raise ValueError(metric)


def _kpi_value(aggregation: str, values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    if aggregation == KpiAggregation.LATEST:
        return values[-1]
    if aggregation == KpiAggregation.MEAN:
        return sum(values, ZERO) / len(values)
    return sum(values, ZERO)


def measure(criteria: Sequence[CriterionDef], phase: Phase, where: Field) -> Measured:
    """Return every raw value of `criteria` for the units and officers of `where`."""
    metrics = {c.metric for c in criteria}
    measured = Measured(headcounts=where.headcount())
    # A running phase is measured up to its reference date (today): hours per head per year
    # and the share of years meeting the target count the years so far, not the years to come.
    until = min(phase.ends_on, where.reference)
    wanted_people = [c for c in criteria if c.scores_people]
    learning_metrics = {
        Metric.HOURS_PER_HEAD,
        Metric.TARGET_SHARE,
        Metric.LANGUAGE_OR_DATA_SHARE,
        Metric.CERTIFICATES,
        Metric.WCO_INSTRUCTORS,
    }
    facts: dict[int, LearningFacts] = {}
    if metrics & learning_metrics:
        facts = learning_facts(phase.starts_on, until)
    tallies = {unit_id: _UnitTally() for unit_id in where.competitors}
    years = until.year - phase.starts_on.year + 1
    for entrant in where.entrants.values():
        tally = tallies[entrant.unit_id]
        tally.headcount += 1
        tally.officer_years += years
        found = facts.get(entrant.person_id)
        if found is not None:
            tally.hours += found.hours
            tally.years_meeting_target += found.years_meeting_target
            tally.language_or_data += int(found.language_b1_or_data)
            tally.certificates += found.certificates
            tally.wco_instructors += int(found.wco_instructor)

    # Initiatives recognised in the phase: by the unit that submitted them, and by author.
    unit_initiatives: dict[int, list[dict[str, Any]]] = defaultdict(list)
    person_initiatives: dict[int, set[int]] = defaultdict(set)
    if Metric.INITIATIVES in metrics:
        found_rows = recognitions(start=phase.starts_on, end=phase.ends_on)
        paths = dict(
            Unit.objects.filter(pk__in={r.unit_id for r in found_rows}).values_list("pk", "path")
        )
        by_path = {c.path: c.unit_id for c in where.competitors.values()}
        lengths = sorted({len(p) for p in by_path}, reverse=True)
        seen: set[tuple[int, int]] = set()
        for row in found_rows:
            path = paths.get(row.unit_id, "")
            holder = next((by_path[path[:n]] for n in lengths if path[:n] in by_path), None)
            if holder is not None and (holder, row.initiative_id) not in seen:
                seen.add((holder, row.initiative_id))
                unit_initiatives[holder].append(
                    {
                        "id": row.initiative_id,
                        "title": row.title,
                        "level": row.level,
                        "decision_number": row.decision_number,
                        "decision_date": row.decision_date.isoformat(),
                    }
                )
            for author in row.authors:
                person_initiatives[author.person_id].add(row.initiative_id)

    # KPI values reported by the competing units for periods inside the phase.
    kpi_rows: dict[tuple[int, int], list[KpiValue]] = defaultdict(list)
    kpi_ids = {c.kpi_id for c in criteria if c.metric == Metric.KPI and c.kpi_id}
    if kpi_ids:
        for kpi_row in (
            KpiValue.objects.filter(
                indicator_id__in=kpi_ids,
                unit_id__in=list(where.competitors),
                period_start__gte=phase.starts_on,
                period_end__lte=phase.ends_on,
            )
            .select_related("indicator")
            .order_by("period_start")
        ):
            kpi_rows[(kpi_row.indicator_id, kpi_row.unit_id)].append(kpi_row)

    # Self-assessments on evidence criteria: the reviewed points, else the unit's own.
    assessed: dict[tuple[str, int], Assessment] = {}
    evidence_codes = [c.code for c in criteria if c.metric == Metric.EVIDENCE]
    if evidence_codes:
        for assessment in Assessment.objects.filter(
            phase=phase, criterion_code__in=evidence_codes
        ).exclude(status=AssessmentStatus.DRAFT):
            assessed[(assessment.criterion_code, assessment.unit_id)] = assessment

    for unit_id in where.competitors:
        tally = tallies[unit_id]
        values: dict[str, Decimal | None] = {}
        inputs: dict[str, dict[str, Any]] = {}
        for criterion in criteria:
            if not criterion.scores_units:
                continue
            code = criterion.code
            if criterion.metric in learning_metrics:
                values[code], inputs[code] = _unit_learning(criterion.metric, tally)
            elif criterion.metric == Metric.INITIATIVES:
                listed = unit_initiatives.get(unit_id, [])
                values[code] = Decimal(len(listed))
                inputs[code] = {"initiatives": listed, "headcount": tally.headcount}
            elif criterion.metric == Metric.KPI:
                rows = kpi_rows.get((criterion.kpi_id or 0, unit_id), [])
                aggregation = rows[0].indicator.aggregation if rows else KpiAggregation.SUM
                values[code] = _kpi_value(aggregation, [r.value for r in rows])
                inputs[code] = {
                    "aggregation": aggregation,
                    "values": [
                        {
                            "period_start": r.period_start.isoformat(),
                            "period_end": r.period_end.isoformat(),
                            "value": str(r.value),
                            "source": r.source,
                        }
                        for r in rows
                    ],
                    "headcount": tally.headcount,
                }
            else:  # evidence
                own = assessed.get((code, unit_id))
                if own is None:
                    values[code] = None
                    inputs[code] = {"assessment": None}
                else:
                    reviewed = own.reviewed_points
                    values[code] = reviewed if reviewed is not None else own.self_points
                    inputs[code] = {
                        "assessment": own.pk,
                        "status": own.status,
                        "self_points": str(own.self_points),
                        "reviewed_points": None if reviewed is None else str(reviewed),
                        "review_reason": own.review_reason,
                        "link": own.link,
                    }
        measured.units[unit_id] = values
        measured.inputs[unit_id] = inputs

    if wanted_people:
        for person_id in where.entrants:
            found = facts.get(person_id)
            if found is None and metrics & learning_metrics:
                found = LearningFacts(person_id, ZERO, years, 0, False, 0, False)
            count = len(person_initiatives.get(person_id, ()))
            measured.people[person_id] = {
                c.code: _person_value(c.metric, found, count)
                if c.metric != Metric.INITIATIVES
                else Decimal(count)
                for c in wanted_people
            }
    return measured
