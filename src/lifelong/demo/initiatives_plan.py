"""Plan the demo's initiatives, councils, replications and good models (2021-2026), as plain data.

Pure generation (standard library and the initiatives' pure rules only, no database): the same
seed and the same organisation give the same councils, initiatives, evaluations, decisions,
adoptions and good models, drawn from one `random.Random`. `initiatives_builder.py` writes
the plan.

The story follows domain-vn.md §4 and §9:
- Councils: until 28/02/2025 each of the 35 provincial departments had its initiative council;
  from 01/03/2025 each of the 20 regional sub-departments has one; one council of the
  Department's headquarters (at the root, level cơ sở) covers the headquarters units and the
  school; the ministry's council (at the root, level cấp bộ) recognises at cấp bộ and toàn
  quốc levels. The chair of a unit's council is its head (`head1` chairs khu vực I).
- About 300 initiatives for 10,000 officers (3 per 100 officers, at least 60, at most 600),
  written by 1-4 officers of one unit (the unit they worked in at the time), most recognised
  at cơ sở level, about one in eight refused, a few returned for changes and resubmitted;
  about 40 (per 300) go on to cấp bộ and about 6 to toàn quốc. In 2026 a handful are still
  drafts, under evaluation (some not yet scored) or returned for changes.
- Every closed evaluation holds each present member's scores and the vote, and its outcome
  is what `rules.tally` decides under the policy in force: recognised evaluations pass it,
  refused ones fail it and carry the reasons.
- Recognised initiatives are applied by 0-6 other units; about 40 good models (per 300
  initiatives) tagged with the movement's five contents are adopted by other units.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from lifelong.demo.initiatives_names import (
    ADOPTERS,
    ADOPTION_OPENINGS,
    ADOPTION_TOO_RECENT,
    COMMENTS,
    EXCLUSION_COMMENT,
    GOOD_MODELS,
    MODEL_ADOPTERS,
    MODEL_UPKEEP,
    NOVELTIES,
    POSITION_THEMES,
    REFUSAL_REASONS,
    RETURN_REASONS,
    THEMES,
    Metric,
    Theme,
)
from lifelong.demo.learning_plan import HISTORY_UNTIL
from lifelong.demo.plan import FORMER_UNTIL, REORGANISED_ON, allocate
from lifelong.initiatives import rules

__all__ = [
    "FIRST_YEAR",
    "PLAN_UNTIL",
    "AdoptionSpec",
    "AuthorSpec",
    "CouncilSpec",
    "EvaluationSpec",
    "GoodModelSpec",
    "InitiativeSpec",
    "InitiativesPlan",
    "MemberSpec",
    "Officer",
    "PolicyFacts",
    "RecognitionSpec",
    "ScoreSpec",
    "Stint",
    "UnitFacts",
    "initiative_count",
    "plan_initiatives",
]

FIRST_YEAR = 2021
# "Today" of the demo: the learning history's last day. Nothing happens after it.
PLAN_UNTIL = HISTORY_UNTIL
ROOT_KINDS = frozenset({"administration"})
# Councils established before the first initiatives of 2021 (their founding decisions).
COUNCILS_FROM = (datetime.date(2020, 11, 2), datetime.date(2020, 12, 28))
# The regional councils, once the regions exist.
REGION_COUNCILS_FROM = (REORGANISED_ON + datetime.timedelta(days=4), datetime.date(2025, 3, 28))
MINISTRY = "Bộ Tài chính"

#
# Input: the organisation as the database holds it
#


@dataclass(frozen=True)
class UnitFacts:
    """A unit of the tree; `successor` is the unit its history passed to (former units)."""

    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    successor: str | None = None

    def valid_on(self, day: datetime.date) -> bool:
        """Return whether the unit existed on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Stint:
    """One entry of an officer's position history."""

    unit: str
    starts_on: datetime.date
    ends_on: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        """Return whether the officer worked in `unit` on `day`."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class Officer:
    """An officer: current unit and position, whether at work, and where they worked when."""

    code: str
    unit: str
    position: str
    active: bool
    stints: tuple[Stint, ...]

    @property
    def leader(self) -> bool:
        """Whether the officer holds a leadership post."""
        return self.position.startswith("LD-")

    def unit_on(self, day: datetime.date) -> str | None:
        """Return the unit the officer worked in on `day`, if any."""
        for stint in self.stints:
            if stint.covers(day):
                return stint.unit
        return None


@dataclass(frozen=True)
class PolicyFacts:
    """An evaluation policy row (`key` is its id) and the dates it is in force."""

    key: int
    effective_from: datetime.date
    effective_to: datetime.date | None
    policy: rules.Policy

    def in_force(self, day: datetime.date) -> bool:
        """Return whether the policy applies to an evaluation opened on `day`."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


#
# Output
#


@dataclass(frozen=True)
class MemberSpec:
    """A council member (officer code) and their role."""

    officer: str
    role: str


@dataclass(frozen=True)
class CouncilSpec:
    """An initiative council; `key` names it within the plan."""

    key: str
    name: str
    level: str
    unit: str
    established_on: datetime.date
    dissolved_on: datetime.date | None
    decision_number: str
    members: tuple[MemberSpec, ...]

    def role_of(self, officer: str) -> str | None:
        """Return the officer's role on the council, if they sit on it."""
        return next((m.role for m in self.members if m.officer == officer), None)


@dataclass(frozen=True)
class ScoreSpec:
    """A member's points on the three criteria."""

    member: str
    novelty: int
    application: int
    benefit: int
    excluded: bool
    comment: str
    scored_on: datetime.date


@dataclass(frozen=True)
class RecognitionSpec:
    """The decision recognising an initiative at a level."""

    level: str
    decision_number: str
    decision_date: datetime.date
    authority: str


@dataclass(frozen=True)
class EvaluationSpec:
    """One council's evaluation at one level and its outcome (`recognition` if recognised)."""

    council: str
    level: str
    policy: int
    status: str
    opened_on: datetime.date
    opened_by: str | None
    scores: tuple[ScoreSpec, ...]
    votes: tuple[int, int, int] | None
    voted_on: datetime.date | None
    reasons: str
    closed_on: datetime.date | None
    closed_by: str | None
    recognition: RecognitionSpec | None


@dataclass(frozen=True)
class AdoptionSpec:
    """A unit applying an initiative or a good model, and the results it reports."""

    unit: str
    started_on: datetime.date
    results: str
    figures: str


@dataclass(frozen=True)
class AuthorSpec:
    """An author (officer code) and their share (%)."""

    officer: str
    share: Decimal


@dataclass(frozen=True)
class InitiativeSpec:
    """An initiative with its authors, evaluations (oldest first) and adoptions."""

    key: str
    title: str
    unit: str
    field: str
    content: str
    problem: str
    solution: str
    novelty: str
    application_kind: str
    applied_from: datetime.date | None
    effect: str
    figures: str
    scope: str
    status: str
    level: str
    recognised_on: datetime.date | None
    return_reason: str
    created_on: datetime.date
    submitted_on: datetime.date | None
    updated_on: datetime.date
    writer: str
    authors: tuple[AuthorSpec, ...]
    evaluations: tuple[EvaluationSpec, ...]
    adoptions: tuple[AdoptionSpec, ...]

    @property
    def recognitions(self) -> list[RecognitionSpec]:
        """Return the initiative's history of levels, lowest first."""
        return [e.recognition for e in self.evaluations if e.recognition is not None]


@dataclass(frozen=True)
class GoodModelSpec:
    """A good model of the library: tags, units and initiatives behind it, adopters."""

    title: str
    summary: str
    description: str
    results: str
    contents: tuple[str, ...]
    units: tuple[str, ...]
    initiatives: tuple[str, ...]
    created_on: datetime.date
    adoptions: tuple[AdoptionSpec, ...]


@dataclass(frozen=True)
class InitiativesPlan:
    """Everything the initiatives builder writes."""

    councils: tuple[CouncilSpec, ...]
    initiatives: tuple[InitiativeSpec, ...]
    good_models: tuple[GoodModelSpec, ...]


_THEMES = {t.key: t for t in THEMES}

#
# Small helpers
#


def _thousands(number: int) -> str:
    """Return an integer with Vietnamese thousands separators (1.200)."""
    return f"{number:,}".replace(",", ".")


def _money(tenths: int) -> str:
    """Return tenths of a billion đồng as Vietnamese text ("4,6 tỷ đồng")."""
    whole, part = divmod(tenths, 10)
    return f"{whole} tỷ đồng" if not part else f"{whole},{part} tỷ đồng"


def _metric(metric: Metric, value: int) -> str:
    template = metric[0]
    if "{money}" in template:
        return template.format(money=_money(value))
    return template.format(n=_thousands(value))


def _draw_metric(rng: random.Random, metric: Metric) -> tuple[str, int]:
    value = rng.randint(metric[1], metric[2])
    return _metric(metric, value), value


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _month(day: datetime.date) -> str:
    return f"tháng {day.month}/{day.year}"


def _day(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    """Return a day between `low` and `high` (both included; `low` when the range is empty)."""
    return low + datetime.timedelta(days=rng.randint(0, max(0, (high - low).days)))


def _after(rng: random.Random, day: datetime.date, low: int, high: int) -> datetime.date:
    return day + datetime.timedelta(days=rng.randint(low, high))


def _scaled(count: int, per_300: float, least: int = 0) -> int:
    return max(least, round(per_300 * count / 300))


def initiative_count(officers: int) -> int:
    """Return how many initiatives the demo plans for `officers` officers."""
    return min(600, max(60, officers * 3 // 100))


SHARES: Mapping[int, tuple[tuple[int, ...], ...]] = {
    1: ((100,),),
    2: ((50, 50), (60, 40), (70, 30)),
    3: ((40, 30, 30), (50, 30, 20), (34, 33, 33)),
    4: ((25, 25, 25, 25), (40, 20, 20, 20), (30, 30, 20, 20)),
}
AUTHOR_COUNTS = ((1, 2, 3, 4), (30, 36, 22, 12))

#
# The organisation as the plan sees it
#


class _Org:
    """Units, officers and where they worked, with the lookups the plan needs."""

    def __init__(
        self, units: Sequence[UnitFacts], officers: Sequence[Officer], holders: Mapping[str, str]
    ) -> None:
        self.units = {u.code: u for u in units}
        self.children: dict[str, list[str]] = defaultdict(list)
        for unit in units:
            if unit.parent is not None:
                self.children[unit.parent].append(unit.code)
        self.root = next((u.code for u in units if u.parent is None), None)
        self.officers = {o.code: o for o in officers}
        self.holders = dict(holders)
        self.regions: dict[str, str | None] = {}
        self.by_unit: dict[str, list[tuple[Officer, Stint]]] = defaultdict(list)
        for officer in officers:
            for stint in officer.stints:
                self.by_unit[stint.unit].append((officer, stint))

    def ancestors(self, code: str) -> list[str]:
        """Return the unit and the units above it, nearest first."""
        chain: list[str] = []
        current: str | None = code
        while current is not None and current in self.units:
            chain.append(current)
            current = self.units[current].parent
        return chain

    def subtree(self, code: str) -> list[str]:
        """Return the unit and every unit below it."""
        found, stack = [], [code]
        while stack:
            unit = stack.pop()
            found.append(unit)
            stack.extend(self.children.get(unit, ()))
        return found

    def region_of(self, code: str) -> str | None:
        """Return the regional sub-department a unit is in, or whose history it passed to."""
        if code not in self.regions:
            found = None
            for unit in self.ancestors(code):
                facts = self.units[unit]
                if facts.kind == "regional":
                    found = unit
                    break
                if facts.successor is not None:
                    found = self.region_of(facts.successor)
                    break
            self.regions[code] = found
        return self.regions[code]

    def label(self, code: str) -> str:
        """Return a unit's name, with its parent's for a team or office (names repeat)."""
        unit = self.units[code]
        parent = self.units.get(unit.parent or "")
        if unit.kind == "team" and parent is not None:
            return f"{unit.name} thuộc {parent.name}"
        return unit.name

    def at(self, unit: str, day: datetime.date) -> list[Officer]:
        """Return the active officers who worked in `unit` on `day`."""
        return [o for o, s in self.by_unit.get(unit, ()) if o.active and s.covers(day)]


#
# Councils
#


def _issuer(council: CouncilSpec, org: _Org, on: datetime.date) -> tuple[str, str]:
    """Return who decides for a council on a date: the decision suffix and the authority."""
    if council.level == "bo":
        return "BTC", f"Bộ trưởng {MINISTRY}"
    unit = org.units[council.unit]
    if unit.kind in ROOT_KINDS:
        if on < REORGANISED_ON:
            return "TCHQ", "Tổng cục trưởng Tổng cục Hải quan"
        return "CHQ", f"Cục trưởng {unit.name}"
    if unit.kind == "regional":
        return f"HQ{unit.code}", f"Chi cục trưởng {unit.name}"
    suffix = unit.code.removeprefix("CUC-").replace("-", "")
    return f"HQ{suffix}", f"Cục trưởng {unit.name}"


def _pick_members(
    rng: random.Random,
    candidates: list[Officer],
    *,
    chair: Officer | None,
    secretary_positions: Sequence[str],
    preferred: Sequence[str],
    taken: set[str],
) -> tuple[MemberSpec, ...]:
    """Choose a council: the chair, a secretary, then members (leaders of `preferred` first)."""
    pool = [o for o in candidates if o.code not in taken]
    size = min(rng.randint(5, 9), max(1, len(pool) // 3))
    if chair is None:
        leaders = sorted((o for o in pool if o.leader), key=lambda o: (o.position, o.code))
        chair = leaders[0] if leaders else (pool[0] if pool else None)
    if chair is None:
        return ()
    chosen = [MemberSpec(chair.code, "chair")]
    rest = [o for o in pool if o.code != chair.code]
    rng.shuffle(rest)
    secretaries = sorted(
        (o for o in rest if o.position in secretary_positions),
        key=lambda o: secretary_positions.index(o.position),
    )
    secretary = secretaries[0] if secretaries else next((o for o in rest if not o.leader), None)
    if secretary is not None and size > 1:
        chosen.append(MemberSpec(secretary.code, "secretary"))
        rest.remove(secretary)
    rest.sort(key=lambda o: (o.position not in preferred, not o.leader))
    chosen.extend(MemberSpec(o.code, "member") for o in rest[: max(0, size - len(chosen))])
    taken.update(m.officer for m in chosen)
    return tuple(chosen)


def _plan_councils(rng: random.Random, org: _Org) -> list[CouncilSpec]:
    """One council per former provincial department, per region, for the HQ, and the ministry's."""
    councils: list[CouncilSpec] = []
    # Demo account holders stay off councils (they meet the data through their own roles),
    # except the unit heads, who chair their region's council.
    taken = {code for user, code in org.holders.items() if user not in {"head1", "head2"}}
    head1 = org.officers.get(org.holders.get("head1", ""))
    active = [o for o in org.officers.values() if o.active]
    numbers: dict[tuple[str, int], int] = {}

    def number(suffix: str, on: datetime.date) -> str:
        key = (suffix, on.year)
        numbers[key] = numbers.get(key, rng.randint(20, 180)) + rng.randint(1, 12)
        return f"{numbers[key]}/QĐ-{suffix}"

    def add(
        unit: UnitFacts,
        level: str,
        name: str,
        members: tuple[MemberSpec, ...],
        established: datetime.date,
    ) -> None:
        if not members:
            return
        spec = CouncilSpec(
            key=f"{unit.code}:{level}",
            name=name,
            level=level,
            unit=unit.code,
            established_on=established,
            dissolved_on=unit.valid_to,
            decision_number="",
            members=members,
        )
        suffix, _authority = _issuer(spec, org, established)
        councils.append(replace(spec, decision_number=number(suffix, established)))

    root = org.units.get(org.root or "")
    if root is not None:
        headquarters = {
            u
            for child in org.children.get(root.code, ())
            if org.units[child].kind in {"hq_department", "training"}
            for u in org.subtree(child)
        } | {root.code}
        hq_people = [o for o in active if o.unit in headquarters]
        ministry = _pick_members(
            rng,
            hq_people,
            chair=next((o for o in hq_people if o.position == "LD-CT"), None),
            secretary_positions=("NV-TDKT", "NV-TCCB"),
            preferred=("LD-PCT", "LD-TB", "LD-CVP", "LD-CCT", "LD-HT"),
            taken=taken,
        )
        add(
            root,
            "bo",
            f"Hội đồng sáng kiến cấp Bộ - {MINISTRY} (lĩnh vực hải quan)",
            ministry,
            _day(rng, *COUNCILS_FROM),
        )
        hq = _pick_members(
            rng,
            hq_people,
            chair=next(
                (o for o in hq_people if o.position == "LD-PCT" and o.code not in taken), None
            ),
            secretary_positions=("NV-TDKT", "NV-TCCB"),
            preferred=("LD-TB", "LD-CVP", "LD-CCT", "LD-HT", "LD-PTB"),
            taken=taken,
        )
        add(root, "co_so", f"Hội đồng sáng kiến cơ quan {root.name}", hq, _day(rng, *COUNCILS_FROM))
    for unit in sorted(org.units.values(), key=lambda u: u.code):
        if unit.kind == "provincial_department":
            subtree = set(org.subtree(unit.code))
            people = sorted(
                {
                    o.code: o
                    for u in subtree
                    for o, s in org.by_unit.get(u, ())
                    if o.active and s.ends_on is not None and s.ends_on >= FORMER_UNTIL
                }.values(),
                key=lambda o: o.code,
            )
            members = _pick_members(
                rng,
                people,
                chair=None,
                secretary_positions=("NV-TDKT", "NV-TCCB"),
                preferred=(),
                taken=taken,
            )
            add(
                unit, "co_so", f"Hội đồng sáng kiến {unit.name}", members, _day(rng, *COUNCILS_FROM)
            )
        elif unit.kind == "regional":
            subtree = set(org.subtree(unit.code))
            people = [o for o in active if o.unit in subtree]
            chair = next(
                (o for o in people if o.unit == unit.code and o.position == "LD-CCT"), None
            )
            if unit.code == "KV01" and head1 is not None:
                chair = head1
            if chair is not None:
                # A region's head chairs its council, even after sitting on a former one.
                taken.discard(chair.code)
            members = _pick_members(
                rng,
                people,
                chair=chair,
                secretary_positions=("NV-TDKT", "NV-TCCB"),
                preferred=("LD-PCCT", "LD-DT", "NV-QLRR", "NV-THUE", "NV-KTSTQ"),
                taken=taken,
            )
            add(
                unit,
                "co_so",
                f"Hội đồng sáng kiến {unit.name}",
                members,
                _day(rng, *REGION_COUNCILS_FROM),
            )
    return councils


class _Councils:
    """Which council evaluates a unit's initiatives at a level on a day."""

    def __init__(self, org: _Org, councils: list[CouncilSpec]) -> None:
        self.org = org
        self.by_key = {c.key: c for c in councils}
        self.members = {m.officer for c in councils for m in c.members}

    def in_force(self, council: CouncilSpec, day: datetime.date) -> bool:
        return council.established_on <= day and (
            council.dissolved_on is None or day <= council.dissolved_on
        )

    def covering(self, unit: str, level: str, day: datetime.date) -> CouncilSpec | None:
        """Return the nearest council of `level` above `unit` in office on `day`."""
        kind = "co_so" if level == "co_so" else "bo"
        for ancestor in self.org.ancestors(unit):
            council = self.by_key.get(f"{ancestor}:{kind}")
            if council is not None and self.in_force(council, day):
                return council
        return None


#
# Initiatives
#


@dataclass
class _Eval:
    council: CouncilSpec
    level: str
    status: str
    opened_on: datetime.date
    opened_by: str | None = None
    scores: list[ScoreSpec] = field(default_factory=list)
    votes: tuple[int, int, int] | None = None
    voted_on: datetime.date | None = None
    reasons: str = ""
    closed_on: datetime.date | None = None
    closed_by: str | None = None
    decision_date: datetime.date | None = None


@dataclass
class _Case:
    """An initiative while it is planned."""

    kind: str  # closed, draft, open, returned
    day: datetime.date  # submission (or, for a draft, creation)
    unit: str = ""
    theme: Theme = THEMES[0]
    title: str = ""
    authors: list[AuthorSpec] = field(default_factory=list)
    merit: float = 0.5
    applied_from: datetime.date | None = None
    application_kind: str = "applied"
    texts: dict[str, str] = field(default_factory=dict)
    metric_values: list[tuple[Metric, int]] = field(default_factory=list)
    evaluations: list[_Eval] = field(default_factory=list)
    adoptions: list[AdoptionSpec] = field(default_factory=list)
    outcome: str = "recognise"  # recognise, score, vote, excluded (refusals), resubmit
    final: str = "recognise"  # after a resubmission
    demo: str = ""
    key: str = ""
    created_on: datetime.date | None = None
    resubmitted_on: datetime.date | None = None

    def recognised(self) -> list[_Eval]:
        return [e for e in self.evaluations if e.status == "recognised"]

    def level(self) -> str:
        done = self.recognised()
        return done[-1].level if done else ""

    def last_recognition(self) -> datetime.date | None:
        done = self.recognised()
        return done[-1].decision_date if done else None


# When closed initiatives were submitted, per year (2026's latest months are left to the
# ones still in progress); the regions exist from 01/03/2025, their councils soon after.
YEAR_WEIGHTS = (14, 15, 16, 18, 19, 14)
YEAR_RANGES: Mapping[int, tuple[datetime.date, datetime.date]] = {
    2021: (datetime.date(2021, 1, 15), datetime.date(2021, 12, 15)),
    2022: (datetime.date(2022, 1, 15), datetime.date(2022, 12, 15)),
    2023: (datetime.date(2023, 1, 15), datetime.date(2023, 12, 15)),
    2024: (datetime.date(2024, 1, 15), datetime.date(2024, 12, 10)),
    2025: (datetime.date(2025, 4, 1), datetime.date(2025, 12, 20)),
    2026: (datetime.date(2026, 1, 10), PLAN_UNTIL - datetime.timedelta(days=80)),
}
_DAYS = datetime.timedelta


def _pending_range(kind: str) -> tuple[datetime.date, datetime.date]:
    """When the initiatives still in progress were written or submitted."""
    spans = {"draft": (40, 2), "open": (45, 1), "returned": (70, 40)}
    early, late = spans[kind]
    return PLAN_UNTIL - _DAYS(days=early), PLAN_UNTIL - _DAYS(days=late)


class _Planner:
    """Draws the initiatives, their evaluations and what became of them."""

    def __init__(
        self,
        rng: random.Random,
        org: _Org,
        councils: _Councils,
        policies: Sequence[PolicyFacts],
    ) -> None:
        self.rng = rng
        self.org = org
        self.councils = councils
        self.policies = sorted(policies, key=lambda p: p.effective_from)
        self.titles: set[str] = set()
        holders = set(org.holders.values())
        self.eligible = [
            o
            for o in sorted(org.officers.values(), key=lambda o: o.code)
            if o.active and o.code not in councils.members and o.code not in holders
        ]
        self.eligible_codes = {o.code for o in self.eligible}
        self.current_units = sorted(
            (
                u
                for u in org.units.values()
                if u.valid_on(PLAN_UNTIL)
                and u.kind in {"team", "regional", "hq_department", "training"}
            ),
            key=lambda u: u.code,
        )
        self.former_units = sorted(
            (
                u
                for u in org.units.values()
                if u.valid_on(REORGANISED_ON - _DAYS(days=1))
                and u.kind in {"team", "provincial_department", "hq_department", "training"}
            ),
            key=lambda u: u.code,
        )

    # Who writes it, about what

    def policy_on(self, day: datetime.date) -> PolicyFacts:
        for facts in reversed(self.policies):
            if facts.in_force(day):
                return facts
        raise ValueError(f"no evaluation policy is in force on {day:%d/%m/%Y}")

    def lead_and_unit(
        self, day: datetime.date, within: set[str] | None = None
    ) -> tuple[Officer, str] | None:
        """Draw an officer and the unit they worked in on `day` (a council must cover it)."""
        pool = self.eligible
        if within is not None:
            pool = [o for o in pool if o.unit_on(day) in within]
        for _ in range(400 if pool else 0):
            officer = self.rng.choice(pool)
            unit = officer.unit_on(day)
            if unit is None or unit not in self.org.units or not self.org.units[unit].valid_on(day):
                continue
            if self.councils.covering(unit, "co_so", day) is None:
                continue
            return officer, unit
        return None

    def theme_for(self, officer: Officer) -> Theme:
        weights = POSITION_THEMES.get(officer.position)
        if not weights:
            return self.rng.choice(THEMES)
        keys = list(weights)
        return _THEMES[self.rng.choices(keys, weights=[weights[k] for k in keys])[0]]

    def title_for(self, theme: Theme) -> tuple[Theme, str, int, str]:
        """Return a title not used yet, with its theme, head (index) and object."""
        for candidate in (theme, *(t for t in THEMES if t is not theme)):
            for _ in range(60):
                head = self.rng.randrange(len(candidate.heads))
                obj = self.rng.choice(candidate.objects)
                purpose = self.rng.choice(candidate.purposes)
                title = " ".join(p for p in (candidate.heads[head], obj, purpose) if p)
                if title not in self.titles:
                    self.titles.add(title)
                    return candidate, title, head, obj
        raise ValueError("the vocabulary has run out of distinct titles")

    def authors_for(
        self, lead: Officer, unit: str, day: datetime.date, wanted: int
    ) -> list[AuthorSpec]:
        colleagues = {
            o.code: o
            for o in self.org.at(unit, day)
            if o.code != lead.code and o.code in self.eligible_codes
        }
        pool = [colleagues[code] for code in sorted(colleagues)]
        others = self.rng.sample(pool, min(len(pool), wanted - 1))
        shares = self.rng.choice(SHARES[1 + len(others)])
        return [
            AuthorSpec(o.code, Decimal(share))
            for o, share in zip([lead, *others], shares, strict=True)
        ]

    def write(self, case: _Case, lead: Officer, unit: str, *, authors: int | None = None) -> None:
        """Fill in the case: unit, authors, title and texts."""
        rng = self.rng
        case.unit = unit
        wanted = authors if authors is not None else rng.choices(*AUTHOR_COUNTS)[0]
        case.authors = self.authors_for(lead, unit, case.day, wanted)
        theme, title, head, obj = self.title_for(self.theme_for(lead))
        case.theme, case.title = theme, title
        case.merit = rng.random()
        unit_facts = self.org.units[unit]
        applied = _after(rng, case.day, -300, -45)
        if unit_facts.valid_from is not None and applied < unit_facts.valid_from:
            applied = _after(rng, unit_facts.valid_from, 0, 20)
        case.applied_from = min(applied, case.day)
        case.application_kind = "trialled" if rng.random() < 0.15 else "applied"
        months = max(1, (case.day - case.applied_from).days // 30)
        first, second = rng.sample(theme.metrics, 2)
        text1, value1 = _draw_metric(rng, first)
        text2, value2 = _draw_metric(rng, second)
        case.metric_values = [(first, value1), (second, value2)]
        values = {
            "head": theme.heads[head],
            "object": obj,
            "k": rng.randint(3, 12),
            "big": _thousands(rng.randint(15, 90) * 10),
            "years": rng.randint(2, 5),
            "unit": unit_facts.name,
        }
        verb = "áp dụng thử" if case.application_kind == "trialled" else "áp dụng"
        case.texts = {
            "problem": rng.choice(theme.problems_for(head)).format(**values),
            "solution": rng.choice(theme.solutions_for(head)).format(**values),
            "novelty": rng.choice(NOVELTIES).format(**values),
            "effect": f"Sau {months} tháng {verb} tại {unit_facts.name}: {text1}; {text2}.",
            "figures": f"{_capital(text1)}; {text2}.",
            "scope": rng.choice(theme.scopes),
        }
        case.created_on = max(_after(rng, case.day, -25, -3), datetime.date(FIRST_YEAR, 1, 2))
        if case.kind == "draft":
            # A draft is being written: the title, the problem, the solution; the rest later.
            case.created_on = case.day
            case.texts["effect"] = case.texts["figures"] = case.texts["scope"] = ""
            if rng.random() < 0.5:
                case.texts["novelty"] = ""

    # The council's work

    def limit(self, council: CouncilSpec) -> datetime.date:
        """The last day a council can act (its dissolution, or the day before the plan's end)."""
        last = PLAN_UNTIL - _DAYS(days=1)
        return min(last, council.dissolved_on) if council.dissolved_on else last

    def open(self, case: _Case, level: str, opened_on: datetime.date) -> _Eval:
        """Open an evaluation by the council in office over the unit.

        At cơ sở level the authors' submission opens it; at a higher level, the secretariat's
        proposal.
        """
        council = self.councils.covering(case.unit, level, opened_on)
        if council is None:
            raise ValueError(f"no council covers {case.unit} at {level} on {opened_on}")
        by = case.authors[0].officer if level == "co_so" else self.org.holders.get("secretariat")
        evaluation = _Eval(
            council=council, level=level, status="open", opened_on=opened_on, opened_by=by
        )
        case.evaluations.append(evaluation)
        return evaluation

    def officer_of(self, council: CouncilSpec, *roles: str) -> str:
        for role in roles:
            for member in council.members:
                if member.role == role:
                    return member.officer
        return council.members[0].officer

    def score(
        self, member: MemberSpec, policy: rules.Policy, base: float, day: datetime.date
    ) -> ScoreSpec:
        rng = self.rng
        criteria = policy.criteria

        def points(most: int) -> int:
            quality = min(1.0, max(0.05, base + rng.uniform(-0.09, 0.09)))
            return min(most, max(0, round(most * quality)))

        novelty = points(criteria.novelty)
        application = points(criteria.application)
        benefit = points(criteria.benefit)
        share = (novelty + application + benefit) / criteria.total
        band = "good" if share >= 0.7 else "fair" if share >= 0.5 else "poor"
        comment = rng.choice(COMMENTS[band]) if rng.random() < 0.45 else ""
        return ScoreSpec(member.officer, novelty, application, benefit, False, comment, day)

    def decide(self, case: _Case, evaluation: _Eval, outcome: str) -> None:
        """Score, vote and close an evaluation so that `rules.tally` agrees with `outcome`.

        `outcome` is "recognise", or the refusal's cause: "score" (average below the pass
        score), "vote" (too few in favour) or "excluded" (a member found it excluded).
        """
        rng = self.rng
        council = evaluation.council
        members = list(council.members)
        facts = self.policy_on(evaluation.opened_on)
        policy = facts.policy
        last = self.limit(council)
        voted = min(_after(rng, evaluation.opened_on, 15, 45), last)
        needed = policy.vote_threshold_pct * len(members) // 100 + 1
        for _attempt in range(60):
            present = members[:]
            optional = [m for m in members if m.role == "member"]
            if len(members) >= 5 and optional and rng.random() < 0.2:
                present.remove(rng.choice(optional))
            base = {
                "recognise": 0.58 + 0.36 * case.merit,
                "score": 0.26 + 0.18 * rng.random(),
                "vote": 0.53 + 0.1 * rng.random(),
                "excluded": 0.55 + 0.2 * rng.random(),
            }[outcome]
            scores = [
                self.score(m, policy, base, _day(rng, evaluation.opened_on, voted)) for m in present
            ]
            if outcome == "excluded":
                index = rng.randrange(len(scores))
                scores[index] = replace(scores[index], excluded=True, comment=EXCLUSION_COMMENT)
            if outcome == "recognise":
                in_favour = rng.randint(min(needed, len(present)), len(present))
            elif outcome == "vote":
                in_favour = min(len(present), needed - 1)
            else:
                in_favour = rng.randint(0, min(len(present), needed - 1))
            against = rng.randint(0, len(present) - in_favour)
            votes = (in_favour, against, len(present) - in_favour - against)
            tally = rules.tally(
                policy,
                [
                    rules.MemberScore(s.novelty, s.application, s.benefit, s.excluded)
                    for s in scores
                ],
                rules.Votes(*votes),
                len(members),
            )
            if tally.recognisable == (outcome == "recognise"):
                break
        else:  # pragma: no cover - the draws above converge in a few attempts
            raise ValueError(f"could not plan a {outcome} evaluation for {case.title}")
        evaluation.scores = scores
        evaluation.votes = votes
        evaluation.voted_on = voted
        evaluation.closed_by = self.officer_of(council, "chair", "secretary")
        if outcome == "recognise":
            evaluation.status = "recognised"
            evaluation.decision_date = min(_after(rng, voted, 2, 12), last)
            evaluation.closed_on = evaluation.decision_date
        else:
            evaluation.status = "refused"
            evaluation.reasons = rng.choice(REFUSAL_REASONS[outcome])
            evaluation.closed_on = min(_after(rng, voted, 2, 10), last)

    def give_back(self, evaluation: _Eval) -> None:
        """Return the initiative for changes, before anyone scores it."""
        rng = self.rng
        evaluation.status = "returned"
        evaluation.reasons = rng.choice(RETURN_REASONS)
        evaluation.closed_on = min(
            _after(rng, evaluation.opened_on, 5, 15), self.limit(evaluation.council)
        )
        evaluation.closed_by = self.officer_of(evaluation.council, "secretary", "chair")

    def partly_scored(self, case: _Case, evaluation: _Eval, *, chair_waits: bool = False) -> None:
        """Some members have scored an open evaluation; the rest (and the vote) are to come."""
        rng = self.rng
        policy = self.policy_on(evaluation.opened_on).policy
        members = [m for m in evaluation.council.members if not (chair_waits and m.role == "chair")]
        # The one waiting for head1 already has some scores: the chair sees the council at work.
        least = 1 if chair_waits else 0
        count = rng.randint(least, len(members) - 1) if len(members) > 1 else 0
        base = 0.5 + 0.4 * case.merit
        evaluation.scores = [
            self.score(m, policy, base, _day(rng, evaluation.opened_on, PLAN_UNTIL - _DAYS(days=1)))
            for m in sorted(rng.sample(members, count), key=members.index)
        ]

    # The initiatives

    def cases(self, total: int) -> list[_Case]:
        """Plan `total` initiatives: their authors, texts and cơ sở evaluations."""
        rng = self.rng
        pending = {
            "draft": _scaled(total, 5, 1),
            "open": _scaled(total, 6, 1),
            "returned": _scaled(total, 2, 1),
        }
        closed = allocate(list(YEAR_WEIGHTS), total - sum(pending.values()))
        slots: list[_Case] = []
        for year, count in zip(YEAR_RANGES, closed, strict=True):
            low, high = YEAR_RANGES[year]
            slots.extend(_Case("closed", _day(rng, low, high)) for _ in range(count))
        for kind, count in pending.items():
            slots.extend(_Case(kind, _day(rng, *_pending_range(kind))) for _ in range(count))
        demo = self.demo_cases()
        for case in demo:
            # A demo initiative takes the place of a drawn one of its kind.
            same = [s for s in slots if s.kind == case.kind and not s.demo]
            if same:
                slots.remove(same[-1])
        cases: list[_Case] = list(demo)
        for case in slots:
            drawn = self.lead_and_unit(case.day)
            if drawn is None:
                continue
            self.write(case, *drawn)
            cases.append(case)
        self.outcomes([c for c in cases if c.kind == "closed" and not c.demo], total)
        for case in sorted(cases, key=lambda c: (c.day, c.title)):
            self.evaluate(case)
        return cases

    def demo_cases(self) -> list[_Case]:
        """The initiatives the demo accounts meet: the officer's two, head1's open evaluation."""
        rng = self.rng
        cases: list[_Case] = []
        officer = self.org.officers.get(self.org.holders.get("officer", ""))
        if officer is not None:
            recognised = _Case(
                "closed", _day(rng, datetime.date(2025, 8, 1), datetime.date(2025, 9, 30))
            )
            recognised.demo = "officer"
            draft = _Case(
                "draft", _day(rng, PLAN_UNTIL - _DAYS(days=10), PLAN_UNTIL - _DAYS(days=3))
            )
            draft.demo = "officer"
            for case, authors in ((recognised, 2), (draft, 1)):
                unit = officer.unit_on(case.day)
                if unit is not None and self.councils.covering(unit, "co_so", case.day):
                    self.write(case, officer, unit, authors=authors)
                    cases.append(case)
            if recognised in cases:
                recognised.merit = max(recognised.merit, 0.6)
        head1 = self.org.officers.get(self.org.holders.get("head1", ""))
        region = self.org.units.get(head1.unit) if head1 is not None else None
        if region is not None and region.kind == "regional":
            queued = _Case("open", _day(rng, *_pending_range("open")))
            queued.demo = "head1"
            drawn = self.lead_and_unit(queued.day, set(self.org.subtree(region.code)))
            if drawn is not None:
                self.write(queued, *drawn)
                cases.append(queued)
        return cases

    def outcomes(self, closed: list[_Case], total: int) -> None:
        """Decide which closed initiatives were returned once, refused or recognised."""
        rng = self.rng
        resubmit = _scaled(total, 8, 1)
        room = []
        for case in closed:
            # Returned, changed and decided again before the council's last day.
            council = self.councils.covering(case.unit, "co_so", case.day)
            if council is not None and case.day <= self.limit(council) - _DAYS(days=140):
                room.append(case)
        for case in rng.sample(room, min(resubmit, len(room))):
            case.outcome = "resubmit"
            case.final = "score" if rng.random() < 0.25 else "recognise"
        rest = [c for c in closed if c.outcome != "resubmit"]
        rest.sort(key=lambda c: c.merit + rng.uniform(0, 0.3))
        for case in rest[: round(0.13 * len(closed))]:
            case.outcome = rng.choices(("score", "vote", "excluded"), weights=(70, 24, 6))[0]

    def evaluate(self, case: _Case) -> None:
        """Run the cơ sở evaluation of a case as its kind and outcome say."""
        rng = self.rng
        if case.kind == "draft":
            return
        # Submitting opens the evaluation by the council in office over the unit.
        evaluation = self.open(case, "co_so", case.day)
        if case.kind == "open":
            self.partly_scored(case, evaluation, chair_waits=case.demo == "head1")
            return
        if case.kind == "returned" or case.outcome == "resubmit":
            self.give_back(evaluation)
            if case.kind == "returned":
                return
            assert evaluation.closed_on is not None
            case.resubmitted_on = _after(rng, evaluation.closed_on, 15, 40)
            evaluation = self.open(case, "co_so", case.resubmitted_on)
            self.decide(case, evaluation, case.final)
            return
        self.decide(case, evaluation, case.outcome)

    def higher_levels(self, cases: list[_Case], total: int) -> None:
        """Propose the best cơ sở initiatives to cấp bộ, and the best of those to toàn quốc."""
        rng = self.rng
        if not any(c.level == "bo" for c in self.councils.by_key.values()):
            return
        for level, below, counts in (
            ("bo", "co_so", (_scaled(total, 40, 2), _scaled(total, 6, 1), _scaled(total, 2, 1))),
            ("toan_quoc", "bo", (_scaled(total, 6, 1), _scaled(total, 2), _scaled(total, 1, 1))),
        ):
            recognise, refuse, still_open = counts
            held = [
                c
                for c in cases
                if c.level() == below
                and not c.demo
                and not any(e.status == "open" for e in c.evaluations)
            ]
            ready = [
                c
                for c in held
                if (c.last_recognition() or PLAN_UNTIL) <= PLAN_UNTIL - _DAYS(days=150)
            ]
            ready.sort(key=lambda c: c.merit + rng.uniform(0, 0.25), reverse=True)
            for number, case in enumerate(ready[: recognise + refuse]):
                since = case.last_recognition()
                assert since is not None
                latest = min(since + _DAYS(days=400), PLAN_UNTIL - _DAYS(days=60))
                evaluation = self.open(case, level, _day(rng, since + _DAYS(days=60), latest))
                outcome = "recognise" if number < recognise else rng.choice(("score", "vote"))
                self.decide(case, evaluation, outcome)
            recent = [
                c
                for c in held
                if c not in ready[: recognise + refuse]
                and (c.last_recognition() or PLAN_UNTIL) <= PLAN_UNTIL - _DAYS(days=45)
            ]
            recent.sort(key=lambda c: c.last_recognition() or PLAN_UNTIL, reverse=True)
            for case in recent[:still_open]:
                since = case.last_recognition()
                assert since is not None
                opened = _day(
                    rng,
                    max(since + _DAYS(days=30), PLAN_UNTIL - _DAYS(days=40)),
                    PLAN_UNTIL - _DAYS(days=3),
                )
                self.partly_scored(case, self.open(case, level, opened))

    # Replication and the library

    def adopter_units(self, day: datetime.date, exclude: set[str]) -> list[UnitFacts]:
        pool = self.current_units if day >= REORGANISED_ON else self.former_units
        return [u for u in pool if u.code not in exclude and u.valid_on(day)]

    def report(
        self, metrics: Sequence[tuple[Metric, int]], started: datetime.date
    ) -> tuple[str, str]:
        """Return what an adopting unit reports: results in words and in figures."""
        rng = self.rng
        if started > PLAN_UNTIL - _DAYS(days=60):
            return ADOPTION_TOO_RECENT.format(month=_month(started)), ""
        scalable = [(m, v) for m, v in metrics if m[3]]
        if not scalable:
            text = "hiệu quả tương đương đơn vị đề xuất"
        else:
            metric, value = rng.choice(scalable)
            text = _metric(metric, max(1, round(value * rng.uniform(0.35, 0.85))))
        opening = rng.choice(ADOPTION_OPENINGS)
        return opening.format(month=_month(started), result=text), _capital(text) + "."

    def adopters(
        self,
        count: int,
        home: Sequence[str],
        since: datetime.date,
        metrics: Sequence[tuple[Metric, int]],
    ) -> list[AdoptionSpec]:
        rng = self.rng
        regions = {self.org.region_of(u) for u in home}
        adoptions: list[AdoptionSpec] = []
        taken = set(home)
        for _ in range(count):
            latest = min(since + _DAYS(days=420), PLAN_UNTIL - _DAYS(days=5))
            if latest < since + _DAYS(days=20):
                break
            started = _day(rng, since + _DAYS(days=20), latest)
            pool = self.adopter_units(started, taken)
            near = [u for u in pool if self.org.region_of(u.code) in regions]
            choice_pool = near if near and rng.random() < 0.6 else pool
            if not choice_pool:
                break
            unit = rng.choice(choice_pool)
            taken.add(unit.code)
            results, figures = self.report(metrics, started)
            adoptions.append(AdoptionSpec(unit.code, started, results, figures))
        return sorted(adoptions, key=lambda a: (a.started_on, a.unit))

    def replications(self, cases: list[_Case]) -> None:
        for case in cases:
            level = case.level()
            first = case.recognised()[0].decision_date if level else None
            if not level or first is None:
                continue
            values, weights = ADOPTERS[level]
            count = self.rng.choices(values, weights=weights)[0]
            case.adoptions = self.adopters(count, [case.unit], first, case.metric_values)

    def good_models(self, cases: list[_Case], total: int) -> list[GoodModelSpec]:
        rng = self.rng
        count = min(len(GOOD_MODELS), _scaled(total, 40, 5))
        kinds = ("team", "regional", "hq_department", "training")
        by_kind = {k: [u for u in self.current_units if u.kind == k] for k in kinds}
        weights = [w if by_kind[k] else 0 for k, w in zip(kinds, (50, 30, 15, 5), strict=True)]
        if not any(weights):
            return []
        models: list[GoodModelSpec] = []
        for title, contents, summary, how, metric in rng.sample(GOOD_MODELS, count):
            kind = rng.choices(kinds, weights=weights)[0]
            unit = rng.choice(by_kind[kind])
            created = _day(rng, datetime.date(2025, 4, 1), PLAN_UNTIL - _DAYS(days=60))
            since = _after(rng, created, -400, -60)
            region = self.org.region_of(unit.code)
            units = [unit.code]
            partners = [
                u
                for u in self.current_units
                if u.code != unit.code
                and region is not None
                and self.org.region_of(u.code) == region
            ]
            if partners and rng.random() < 0.2:
                units.append(rng.choice(partners).code)
            behind: list[str] = []
            if rng.random() < 0.4:
                related = [
                    c
                    for c in cases
                    if c.level()
                    and self.org.region_of(c.unit) == region
                    and (c.recognised()[0].decision_date or PLAN_UNTIL) <= created
                ]
                behind = sorted(
                    c.key for c in rng.sample(related, min(len(related), rng.randint(1, 2)))
                )
            result, value = _draw_metric(rng, metric)
            months = max(1, (created - since).days // 30)
            adopters = rng.choices(*MODEL_ADOPTERS)[0]
            models.append(
                GoodModelSpec(
                    title=title,
                    summary=f"{summary} Cách làm của {self.org.label(unit.code)}, duy trì từ "
                    f"{_month(since)}.",
                    description=f"{how} {rng.choice(MODEL_UPKEEP)}",
                    results=f"Sau {months} tháng: {result}.",
                    contents=tuple(sorted(contents)),
                    units=tuple(units),
                    initiatives=tuple(behind),
                    created_on=created,
                    adoptions=tuple(self.adopters(adopters, units, created, [(metric, value)])),
                )
            )
        return sorted(models, key=lambda m: (m.created_on, m.title))


#
# Freezing the plan
#


def _number_decisions(
    rng: random.Random, org: _Org, cases: list[_Case]
) -> dict[int, RecognitionSpec]:
    """Number each recognition decision per issuer and year, in date order."""
    decided = [
        e for c in cases for e in c.evaluations if e.status == "recognised" and e.decision_date
    ]
    decided.sort(key=lambda e: (e.decision_date or PLAN_UNTIL, e.council.key, e.level))
    numbers: dict[tuple[str, int], int] = {}
    out: dict[int, RecognitionSpec] = {}
    for evaluation in decided:
        day = evaluation.decision_date
        assert day is not None
        suffix, authority = _issuer(evaluation.council, org, day)
        key = (suffix, day.year)
        numbers[key] = numbers.get(key, rng.randint(15, 160)) + rng.randint(1, 9)
        out[id(evaluation)] = RecognitionSpec(
            evaluation.level, f"{numbers[key]}/QĐ-{suffix}", day, authority
        )
    return out


def _freeze_evaluation(
    evaluation: _Eval, planner: _Planner, decisions: Mapping[int, RecognitionSpec]
) -> EvaluationSpec:
    council = evaluation.council
    return EvaluationSpec(
        council=council.key,
        level=evaluation.level,
        policy=planner.policy_on(evaluation.opened_on).key,
        status=evaluation.status,
        opened_on=evaluation.opened_on,
        opened_by=evaluation.opened_by,
        scores=tuple(evaluation.scores),
        votes=evaluation.votes,
        voted_on=evaluation.voted_on,
        reasons=evaluation.reasons,
        closed_on=evaluation.closed_on,
        closed_by=evaluation.closed_by,
        recognition=decisions.get(id(evaluation)),
    )


def _status(case: _Case) -> str:
    if case.kind == "draft":
        return "draft"
    if case.kind == "returned":
        return "returned"
    if case.level():
        return "recognised"
    if any(e.status == "refused" for e in case.evaluations):
        return "refused"
    return "submitted"


def _freeze(
    case: _Case, planner: _Planner, decisions: Mapping[int, RecognitionSpec]
) -> InitiativeSpec:
    evaluations = tuple(_freeze_evaluation(e, planner, decisions) for e in case.evaluations)
    submitted = None if case.kind == "draft" else case.resubmitted_on or case.day
    events = [case.created_on or case.day, case.day]
    for evaluation in evaluations:
        events += [evaluation.opened_on, *(s.scored_on for s in evaluation.scores)]
        events += [d for d in (evaluation.voted_on, evaluation.closed_on) if d is not None]
    if case.resubmitted_on is not None:
        events.append(case.resubmitted_on)
    status = _status(case)
    return InitiativeSpec(
        key=case.key,
        title=case.title,
        unit=case.unit,
        field=case.theme.field,
        content=case.theme.contents[0],
        problem=case.texts["problem"],
        solution=case.texts["solution"],
        novelty=case.texts["novelty"],
        application_kind=case.application_kind,
        applied_from=case.applied_from,
        effect=case.texts["effect"],
        figures=case.texts["figures"],
        scope=case.texts["scope"],
        status=status,
        level=case.level(),
        recognised_on=case.last_recognition(),
        return_reason=case.evaluations[-1].reasons if status == "returned" else "",
        created_on=case.created_on or case.day,
        submitted_on=submitted,
        updated_on=max(events),
        writer=case.authors[0].officer,
        authors=tuple(case.authors),
        evaluations=evaluations,
        adoptions=tuple(case.adoptions),
    )


def plan_initiatives(
    rng: random.Random,
    units: Sequence[UnitFacts],
    officers: Sequence[Officer],
    policies: Sequence[PolicyFacts],
    accounts: Mapping[str, str] | None = None,
    *,
    count: int | None = None,
) -> InitiativesPlan:
    """Plan the councils, initiatives (about `initiative_count(len(officers))`) and good models.

    `accounts` maps demo usernames to their holders' officer codes: `officer` writes two
    initiatives (one recognised, one draft), `head1` chairs khu vực I's council with an
    evaluation waiting for their scores. `policies` are the evaluation policies by id; each
    evaluation follows the one in force on the day it opens.
    """
    org = _Org(units, sorted(officers, key=lambda o: o.code), accounts or {})
    councils = _plan_councils(rng, org)
    index = _Councils(org, councils)
    planner = _Planner(rng, org, index, policies)
    total = count if count is not None else initiative_count(len(officers))
    cases = planner.cases(total)
    planner.higher_levels(cases, total)
    planner.replications(cases)
    cases.sort(key=lambda c: (c.day, c.title))
    per_year: dict[int, int] = defaultdict(int)
    for case in cases:
        per_year[case.day.year] += 1
        case.key = f"SK-{case.day.year}-{per_year[case.day.year]:03d}"
    models = planner.good_models(cases, total)
    decisions = _number_decisions(rng, org, cases)
    return InitiativesPlan(
        councils=tuple(councils),
        initiatives=tuple(_freeze(c, planner, decisions) for c in cases),
        good_models=tuple(models),
    )
