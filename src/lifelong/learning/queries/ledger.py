"""Reads of the hours ledger and of unit compliance, every one scoped to the acting user.

An officer always sees their own ledger; a unit head, the training office and the
secretariat see the ledgers and compliance of the units where they hold SEE_LEARNING.
Missing and forbidden answer the same `NotFound` (audited, as `org.queries` does).

Everything here reads the projection's summaries (`LedgerYear`, `LedgerClaim`,
`LearningRecord`), never the statements table. The unit roll-up aggregates in SQL: one
grouped query over the officers of the subtree on the reference date, whatever its size.
"""

import datetime
import operator
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from lifelong.core.lookups import get_visible, refuse
from lifelong.core.text import search_terms
from lifelong.learning.choices import MovementContent, TrainingCategory
from lifelong.learning.models import (
    AnnualTarget,
    LearningRecord,
    LedgerClaim,
    LedgerYear,
    UnknownActor,
)
from lifelong.learning.rules import ledger
from lifelong.org import access
from lifelong.org import queries as org_queries
from lifelong.org.access import AnyUser, Capability
from lifelong.org.choices import PersonStatus, PositionGroup
from lifelong.org.models import PATH_DIGITS, Person, PositionAssignment, Unit, UnitSuccession
from lifelong.org.rules import covers

__all__ = [
    "Amount",
    "BehindOfficer",
    "Figures",
    "PersonLedger",
    "SubUnitFigures",
    "UnitCompliance",
    "access_compliance_unit",
    "access_ledger_person",
    "behind_officers",
    "compliance_years",
    "default_target_hours",
    "get_person_ledger",
    "ledger_years_of",
    "list_targets",
    "list_unknown_actors",
    "local_date",
    "own_person",
    "target_rows",
    "today",
    "unit_compliance",
    "visible_ancestors",
]

HOURS = DecimalField(max_digits=9, decimal_places=2)
HUNDREDTH = Decimal("0.01")
# Officers who have left the service or retired are not part of a unit's headcount.
_GONE = (PersonStatus.RETIRED, PersonStatus.LEFT)
# The earliest year a ledger may be asked for; before it no learning was recorded.
FIRST_YEAR = 2000


def today() -> datetime.date:
    """Return today's business date (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def local_date(moment: datetime.datetime) -> datetime.date:
    """Return the business date (Asia/Ho_Chi_Minh) of an aware moment."""
    return moment.astimezone(ledger.BUSINESS_ZONE).date()


def _period_minutes() -> int:
    return int(getattr(settings, "LIFELONG_PERIOD_MINUTES", 45))


#
# Targets
#


def target_rows() -> list[ledger.TargetRow]:
    """Return every annual target row as plain data for `rules.ledger.target_for`."""
    return [
        ledger.TargetRow(group, from_year, until_year, hours)
        for group, from_year, until_year, hours in AnnualTarget.objects.values_list(
            "position_group", "from_year", "until_year", "hours"
        )
    ]


def default_target_hours() -> Decimal:
    """Return the target that applies where no row is in force (30 hours = 40 periods)."""
    return ledger.DEFAULT_TARGET_HOURS


def list_targets() -> QuerySet[AnnualTarget]:
    """Return the annual target rows, by group and newest first (organisation policy)."""
    return AnnualTarget.objects.order_by("position_group", "-from_year")


#
# One officer's ledger
#


def own_person(user: AnyUser) -> Person | None:
    """Return the officer record linked to the user's account, if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("unit", "job_position").first()


def access_ledger_person(user: AnyUser, officer_code: str) -> Person:
    """Return the officer whose ledger the user may read; otherwise raise NotFound (audited).

    Oneself always; anyone else only inside the user's SEE_LEARNING scope.
    """
    code = officer_code[:32]
    condition = access.scope_filter(access.scope_of(user, Capability.SEE_LEARNING), "unit__path")
    if user.is_authenticated:
        condition |= Q(user=user)
    person = (
        Person.objects.filter(condition)
        .filter(officer_code=code)
        .select_related("unit", "job_position")
        .first()
    )
    if person is None:
        raise refuse(user, "learning.ledger", code)
    return person


@dataclass(frozen=True)
class Amount:
    """Hours under one stable code (a training category or a movement content)."""

    code: str
    label: str
    hours: Decimal


@dataclass
class PersonLedger:
    """One officer's year: totals against the target, and the records behind them."""

    person: Person
    year: int
    reference: datetime.date
    hours_total: Decimal
    target_hours: Decimal
    standing: ledger.Compliance
    by_category: list[Amount]
    by_content: list[Amount]
    records: list[LearningRecord] = field(default_factory=list)
    no_hours: list[LearningRecord] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """Return the share of the target reached, in whole percent (at most 100)."""
        if self.target_hours <= 0:
            return 100
        return min(100, int(self.hours_total * 100 / self.target_hours))

    @property
    def periods_total(self) -> Decimal:
        """Return the total in periods (tiết)."""
        return ledger.hours_to_periods(self.hours_total, _period_minutes())

    @property
    def target_periods(self) -> Decimal:
        """Return the target in periods (tiết)."""
        return ledger.hours_to_periods(self.target_hours, _period_minutes())

    @property
    def missing_hours(self) -> Decimal:
        """Return the hours still needed to meet the target (0 when met)."""
        return max(Decimal(0), self.target_hours - self.hours_total)


def _amounts(values: dict[str, Any], choices: Any) -> list[Amount]:
    return [
        Amount(code, str(label), Decimal(str(values.get(code, 0))).quantize(HUNDREDTH))
        for code, label in choices.choices
    ]


def _position_group(person: Person) -> str:
    return person.job_position.group if person.job_position else ""


def get_person_ledger(
    person: Person, year: int, *, on: datetime.date | None = None, with_records: bool = True
) -> PersonLedger:
    """Return `person`'s ledger for `year` (the caller obtained `person` through access).

    The totals come from `LedgerYear`; the records are the year's learning records, each
    marked `counts` when it holds the claim that counts (the largest, never a voided one).
    """
    reference = ledger.reference_date(year, on or today())
    row = LedgerYear.objects.filter(person=person, year=year).first()
    hours_total = row.hours_total if row else Decimal(0)
    target = ledger.target_for(target_rows(), _position_group(person), year)
    result = PersonLedger(
        person=person,
        year=year,
        reference=reference,
        hours_total=hours_total,
        target_hours=target,
        standing=ledger.compliance(hours_total, target, year, reference),
        by_category=_amounts(row.by_category if row else {}, TrainingCategory),
        by_content=_amounts(row.by_content if row else {}, MovementContent),
    )
    if with_records:
        counting = set(
            LedgerClaim.objects.filter(person=person, year=year).values_list("record_id", flat=True)
        )
        records = list(
            LearningRecord.objects.filter(person=person, year=year).order_by("-occurred_at", "-seq")
        )
        for record in records:
            record.counts = record.pk in counting  # type: ignore[attr-defined]  # for display
        result.records = records
        result.no_hours = [r for r in records if r.pk in counting and r.hours is None]
    return result


def ledger_years_of(person: Person, *, on: datetime.date | None = None) -> list[int]:
    """Return the years worth offering for `person`: those with learning, and this year."""
    years = set(LedgerYear.objects.filter(person=person).values_list("year", flat=True))
    years.add((on or today()).year)
    return sorted(years, reverse=True)


#
# Unit compliance
#


def access_compliance_unit(user: AnyUser, unit_id: object) -> Unit:
    """Return the unit whose compliance the user may see; otherwise raise NotFound (audited)."""
    roots = access.scope_of(user, Capability.SEE_LEARNING)
    units = Unit.objects.filter(access.scope_filter(roots))
    return get_visible(user, units, "learning.compliance", unit_id)


def visible_ancestors(user: AnyUser, unit: Unit) -> list[Unit]:
    """Return the unit's ancestors whose compliance the user may also see, root first."""
    roots = access.scope_of(user, Capability.SEE_LEARNING)
    return [a for a in org_queries.ancestors(unit) if covers(roots, a.path)]


def compliance_years(*, on: datetime.date | None = None) -> list[int]:
    """Return the years with learning in the ledger, and this year, newest first."""
    years = set(LedgerYear.objects.values_list("year", flat=True).distinct())
    years.add((on or today()).year)
    return sorted(years, reverse=True)


@dataclass
class Figures:
    """Counts of officers on track and compliant, and their hours."""

    headcount: int = 0
    on_track: int = 0
    compliant: int = 0
    hours_total: Decimal = Decimal(0)

    def add(self, other: "Figures") -> None:
        """Add `other`'s counts and hours to these."""
        self.headcount += other.headcount
        self.on_track += other.on_track
        self.compliant += other.compliant
        self.hours_total += other.hours_total

    @property
    def on_track_share(self) -> float:
        """Return the share of officers on track, 0-1 (0 without officers)."""
        return round(self.on_track / self.headcount, 4) if self.headcount else 0.0

    @property
    def compliant_share(self) -> float:
        """Return the share of compliant officers, 0-1 (0 without officers)."""
        return round(self.compliant / self.headcount, 4) if self.headcount else 0.0

    @property
    def hours_per_head(self) -> float:
        """Return the clock hours per officer (0 without officers)."""
        if not self.headcount:
            return 0.0
        return float((self.hours_total / self.headcount).quantize(HUNDREDTH, ROUND_HALF_UP))

    @property
    def on_track_percent(self) -> int:
        """Return the on-track share in whole percent."""
        return round(self.on_track_share * 100)

    @property
    def compliant_percent(self) -> int:
        """Return the compliant share in whole percent."""
        return round(self.compliant_share * 100)


@dataclass
class SubUnitFigures:
    """A direct sub-unit's figures (unit None: officers placed in the unit itself)."""

    unit: Unit | None
    figures: Figures


@dataclass
class UnitCompliance:
    """A unit's whole subtree against the annual targets on the reference date."""

    unit: Unit
    year: int
    reference: datetime.date
    figures: Figures
    sub_units: list[SubUnitFigures]
    targets: dict[str, Decimal]

    @property
    def general_target(self) -> Decimal:
        """Return the target of officers without a job-position group of their own."""
        return self.targets[""]


@dataclass(frozen=True)
class _Population:
    """Who counts for a unit and year: a queryset of people or of dated assignments."""

    rows: QuerySet[Any]
    person: str  # the prefix of the person's fields ("" or "person__")
    roots: list[str]  # subtree roots: the unit, and for a past year its predecessors
    successors: dict[str, str]  # a predecessor's path -> its successor's path


def _predecessors(unit: Unit) -> dict[str, str]:
    """Return predecessor path -> successor path for the former units of `unit`'s subtree.

    Transitive (a former unit of a former unit counts); units already inside are left out.
    """
    edges: dict[int, list[int]] = defaultdict(list)
    pairs = list(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    if not pairs:
        return {}
    for pred, succ in pairs:
        edges[succ].append(pred)
    ids = {i for pair in pairs for i in pair}
    paths = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "path"))
    low, high = Unit.subtree_range(unit.path)
    inside = [uid for uid in edges if low <= paths[uid] < high]
    result: dict[str, str] = {}
    stack = list(inside)
    seen: set[int] = set()
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        for pred in edges.get(uid, ()):
            if not low <= paths[pred] < high:
                result.setdefault(paths[pred], paths[uid])
            stack.append(pred)
    return result


def _population(unit: Unit, year: int, reference: datetime.date, *, current: bool) -> _Population:
    """Return the officers of `unit`'s subtree on `reference`, with their hours of `year`.

    This year: the people now in the subtree (not retired or gone). A past year: the
    position assignments covering 31 December in the subtree or in a former unit whose
    history passed into it, so a merged department's learning rolls up to its successor.
    """
    if current:
        rows: QuerySet[Any] = Person.objects.exclude(status__in=_GONE)
        prefix = ""
        successors: dict[str, str] = {}
    else:
        rows = PositionAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=reference), starts_on__lte=reference
        )
        prefix = "person__"
        successors = _predecessors(unit)
    roots = [unit.path, *successors]
    rows = rows.filter(access.scope_filter(roots, "unit__path")).annotate(
        year_row=FilteredRelation(
            f"{prefix}ledger_years", condition=Q(**{f"{prefix}ledger_years__year": year})
        ),
        hours=Coalesce(F("year_row__hours_total"), Value(Decimal(0)), output_field=HOURS),
    )
    return _Population(rows, prefix, roots, successors)


def _targets(year: int, reference: datetime.date) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Return the target and the hours due by `reference` for each group ("" = none)."""
    rows = target_rows()
    targets: dict[str, Decimal] = {}
    expected: dict[str, Decimal] = {}
    for group in ["", *PositionGroup.values]:
        targets[group] = ledger.target_for(rows, group, year)
        # The rule decides what is due by the reference date; 0 hours only asks for it.
        expected[group] = ledger.compliance(
            Decimal(0), targets[group], year, reference
        ).expected_hours
    return targets, expected


def _meets(by_group: dict[str, Decimal]) -> Q:
    """Return the condition "hours reach the group's threshold", one branch per threshold.

    Groups sharing a threshold share a branch, so the usual single organisation-wide target
    is one comparison in SQL; officers without a job position take the "" threshold.
    """
    group_field = "job_position__group"
    groups_by_threshold: dict[Decimal, list[str]] = defaultdict(list)
    for group, threshold in by_group.items():
        groups_by_threshold[threshold].append(group)
    if len(groups_by_threshold) == 1:
        return Q(hours__gte=next(iter(groups_by_threshold)))
    branches = []
    for threshold, groups in groups_by_threshold.items():
        who = Q(**{f"{group_field}__in": groups})
        if "" in groups:
            who |= Q(**{f"{group_field}__isnull": True})
        branches.append(who & Q(hours__gte=threshold))
    return reduce(operator.or_, branches)


def _attribute(path: str, unit: Unit, successors: dict[str, str]) -> str:
    """Return the path of the direct sub-unit (or `unit` itself) that `path` rolls up to."""
    for _step in range(32):  # successions never cycle (org refuses it); bound it anyway
        if path.startswith(unit.path):
            return path[: len(unit.path) + PATH_DIGITS]
        former = next((p for p in successors if path.startswith(p)), None)
        if former is None:
            break
        path = successors[former]
    return unit.path


def unit_compliance(unit: Unit, year: int, *, on: datetime.date | None = None) -> UnitCompliance:
    """Return the compliance of `unit`'s whole subtree for `year` (caller checked access).

    Officers in the subtree on the reference date (today, or 31 December of a past year),
    with all their hours of that year: counts on track and compliant, shares, hours per
    head, and the same per direct sub-unit. One grouped query counts everyone.
    """
    on = on or today()
    reference = ledger.reference_date(year, on)
    population = _population(unit, year, reference, current=reference == on)
    targets, expected = _targets(year, reference)
    # One row per officer (a person, or their one assignment covering the reference date),
    # so plain counts: DISTINCT would cost a sort per count on SQLite.
    grouped = population.rows.values("unit__path").annotate(
        n=Count("pk"),
        on_track=Count("pk", filter=_meets(expected)),
        compliant=Count("pk", filter=_meets(targets)),
        hours_sum=Sum("hours"),
    )
    by_path: dict[str, Figures] = defaultdict(Figures)
    for row in grouped:
        figures = Figures(
            row["n"], row["on_track"], row["compliant"], Decimal(row["hours_sum"] or 0)
        )
        by_path[_attribute(row["unit__path"], unit, population.successors)].add(figures)
    total = Figures()
    for figures in by_path.values():
        total.add(figures)
    children = [
        child
        for child in Unit.objects.filter(parent=unit).order_by("sort_key", "code")
        if child.is_current(reference) or child.path in by_path
    ]
    sub_units = [SubUnitFigures(child, by_path.get(child.path, Figures())) for child in children]
    if unit.path in by_path:
        sub_units.insert(0, SubUnitFigures(None, by_path[unit.path]))
    return UnitCompliance(unit, year, reference, total, sub_units, targets)


@dataclass(frozen=True)
class BehindOfficer:
    """An officer not on track: who, where, their hours and what was due by now."""

    officer_code: str
    full_name: str
    unit_name: str
    hours: Decimal
    target_hours: Decimal
    expected_hours: Decimal


def behind_officers(
    unit: Unit,
    year: int,
    *,
    on: datetime.date | None = None,
    query: str = "",
    known_count: int | None = None,
) -> "BehindList":
    """Return the officers of `unit`'s subtree not on track for `year`, in name order.

    The same population and thresholds as `unit_compliance`; `query` narrows by name or
    officer code without diacritics. The result is lazy: page it, or iterate all of it.
    `known_count` (headcount - on track, from `unit_compliance`) spares the COUNT query.
    """
    on = on or today()
    reference = ledger.reference_date(year, on)
    population = _population(unit, year, reference, current=reference == on)
    targets, expected = _targets(year, reference)
    p = population.person
    rows = population.rows.exclude(_meets(expected))
    for term in search_terms(query)[:8]:
        rows = rows.filter(**{f"{p}search_text__contains": term})
    values = rows.order_by(f"{p}sort_key", f"{p}officer_code").values_list(
        f"{p}officer_code",
        f"{p}family_name",
        f"{p}middle_name",
        f"{p}given_name",
        "unit__name",
        "job_position__group",
        "hours",
    )
    return BehindList(values, targets, expected, count=None if query else known_count)


class BehindList(Sequence[BehindOfficer]):
    """A lazy, sliceable list of officers behind (Django's Paginator pages it)."""

    def __init__(
        self,
        rows: QuerySet[Any],
        targets: dict[str, Decimal],
        expected: dict[str, Decimal],
        *,
        count: int | None = None,
    ) -> None:
        self._rows = rows
        self._targets = targets
        self._expected = expected
        self._count = count

    def _officer(self, row: tuple[Any, ...]) -> BehindOfficer:
        code, family, middle, given, unit_name, group, hours = row
        group = group or ""
        return BehindOfficer(
            officer_code=code,
            full_name=" ".join(x for x in (family, middle, given) if x),
            unit_name=unit_name,
            hours=Decimal(hours or 0).quantize(HUNDREDTH),
            target_hours=self._targets.get(group, self._targets[""]),
            expected_hours=self._expected.get(group, self._expected[""]),
        )

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._rows.count()
        return self._count

    def count(self, value: object = None) -> int:  # type: ignore[override]  # Paginator's count()
        """Return how many officers are behind (one COUNT query)."""
        return len(self)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._officer(row) for row in self._rows[index]]
        return self._officer(self._rows[index])

    def __iter__(self) -> Iterator[BehindOfficer]:
        for row in self._rows.iterator(chunk_size=2000):
            yield self._officer(row)


#
# Unknown actors
#


def list_unknown_actors(*, matched: bool = False, query: str = "") -> QuerySet[UnknownActor]:
    """Return the xAPI actors that matched no officer (or, `matched`, those already matched).

    The caller is an administrator (checked by the view or the service).
    """
    actors = UnknownActor.objects.filter(person__isnull=not matched).select_related("person")
    for term in search_terms(query)[:8]:
        actors = actors.filter(Q(name__icontains=term) | Q(ifi__icontains=term))
    return actors.order_by("-first_seen", "pk")
