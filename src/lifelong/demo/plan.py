"""Plan the synthetic customs administration: units, successions, people, as plain data.

Pure generation (standard library and `core.text` only, no database): the same seed gives the
same organisation, drawn from one `random.Random(seed)`, never the global generator. Dates are
drawn against the fixed `REFERENCE_DATE`, not today, so a seed gives the same demo whatever day
it is built. `builder.py` writes the plan through the organisation's bulk services.

The shape follows domain-vn.md §9: the Customs Department with its headquarters units and the
customs school, 20 regional sub-departments (from 01/03/2025) with 5-8 teams or border-gate
offices each, and the 35 provincial departments (with some of their own sub-units) that ended
on 28/02/2025 and passed their history to the regions.
"""

import datetime
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lifelong.core.text import fold
from lifelong.demo import names

__all__ = [
    "DEMO_ACCOUNTS",
    "FORMER_UNTIL",
    "REFERENCE_DATE",
    "REORGANISED_ON",
    "AccountSpec",
    "AssignmentSpec",
    "DisciplineSpec",
    "OrgPlan",
    "PartySpec",
    "PersonSpec",
    "SuccessionSpec",
    "UnitSpec",
    "allocate",
    "plan_organisation",
    "plan_people",
]

REORGANISED_ON = datetime.date(2025, 3, 1)
FORMER_UNTIL = REORGANISED_ON - datetime.timedelta(days=1)
REFERENCE_DATE = datetime.date(2026, 1, 1)
REORGANISATION_DECISION = "382/QĐ-BTC ngày 26/02/2025"
REORGANISATION_NOTE = "Sắp xếp tổ chức bộ máy từ 01/03/2025"
EMAIL_DOMAIN = "demo.lifelong.test"

# Shares of the officers: the Department's own office, each headquarters unit, the school;
# the regions share the rest, 20% in each region's own office and 80% in its teams.
ROOT_SHARE = 0.004
HQ_SHARE = {"CHQ-VP": 0.012, "CHQ-CNTT": 0.012, "CHQ-DTCBL": 0.012, "CHQ-GSQL": 0.01}
HQ_DEFAULT_SHARE = 0.007
SCHOOL_SHARE = 0.012
REGION_OFFICE_SHARE = 0.2
SUPPORT_SHARE = 0.08
PARTY_SHARE = 0.03
DISCIPLINE_SHARE = 0.004


#
# Plain data
#


@dataclass(frozen=True)
class UnitSpec:
    """A unit to create, with who works in it (`weight` is its share of the officers)."""

    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    head_position: str | None = None
    deputy_position: str | None = None
    staff_positions: tuple[str, ...] = ()
    weight: float = 0.0
    region: int | None = None


@dataclass(frozen=True)
class SuccessionSpec:
    """A former unit whose history passed to a current one."""

    predecessor: str
    successor: str
    kind: str
    effective_on: datetime.date
    decision: str


@dataclass(frozen=True)
class OrgPlan:
    """The unit tree (parents before children) and the 2025 successions."""

    units: tuple[UnitSpec, ...]
    successions: tuple[SuccessionSpec, ...]

    def by_code(self) -> dict[str, UnitSpec]:
        """Return the units by code."""
        return {u.code: u for u in self.units}

    def current_units(self) -> list[UnitSpec]:
        """Return the units officers work in today (those with a share of the officers)."""
        return [u for u in self.units if u.weight > 0]


@dataclass(frozen=True)
class AssignmentSpec:
    """One entry of a person's position history."""

    unit: str
    position: str | None
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    note: str = ""


@dataclass(frozen=True)
class PartySpec:
    """A synthetic Party membership (sensitive)."""

    status: str
    admitted_on: datetime.date
    full_member_on: datetime.date | None
    party_cell: str


@dataclass(frozen=True)
class DisciplineSpec:
    """A synthetic disciplinary decision (sensitive)."""

    form: str
    decided_on: datetime.date
    decision_number: str
    reason: str
    ends_on: datetime.date | None


@dataclass(frozen=True)
class PersonSpec:
    """An officer with their position history, oldest first (the last one is open)."""

    officer_code: str
    family_name: str
    middle_name: str
    given_name: str
    gender: str
    birth_date: datetime.date
    hire_date: datetime.date
    work_email: str
    unit: str
    position: str
    rank: str
    status: str
    assignments: tuple[AssignmentSpec, ...]
    party: PartySpec | None = None
    discipline: tuple[DisciplineSpec, ...] = ()

    @property
    def full_name(self) -> str:
        """Return family, middle and given name."""
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


@dataclass(frozen=True)
class AccountSpec:
    """A demo login: its role over a unit, and the person it belongs to (by unit and position).

    `person_unit` names the unit the account holder works in; the builder links the account to
    the first person there (by officer code) holding one of `person_positions`, or to anyone
    there if nobody does.
    """

    username: str
    password: str
    role: str
    unit: str
    person_unit: str | None
    person_positions: tuple[str, ...] = ()


# One account per role. The training office runs courses for the whole administration, so its
# role is granted on the root while its holder works in the customs school; the pipeline
# committee is the IT & statistics department's Party cell (product.md, source 003).
DEMO_ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("admin", "demo-admin-2025", "administrator", "CHQ", "CHQ-CNTT", ("NV-CNTT",)),
    AccountSpec(
        "secretariat", "demo-secretariat-2025", "secretariat", "CHQ", "CHQ-VP", ("NV-TDKT",)
    ),
    AccountSpec(
        "training", "demo-training-2025", "training_office", "CHQ", "THQ", ("LD-PHT", "NV-GV")
    ),
    AccountSpec("head1", "demo-head1-2025", "unit_head", "KV01", "KV01", ("LD-CCT",)),
    AccountSpec("head2", "demo-head2-2025", "unit_head", "KV02", "KV02", ("LD-CCT",)),
    AccountSpec(
        "committee",
        "demo-committee-2025",
        "pipeline_committee",
        "CHQ-CNTT",
        "CHQ-CNTT",
        ("LD-PTB", "NV-CNTT"),
    ),
    AccountSpec(
        "officer",
        "demo-officer-2025",
        "officer",
        "KV01-01",
        "KV01-01",
        ("NV-TTHQ", "NV-GSHQ", "NV-KSHQ", "NV-THUE"),
    ),
)


#
# The organisation
#


def _former_name(team_name: str) -> str:
    # Before 2025 a border-gate office was a "Chi cục" of its provincial department; a team
    # ("Đội") kept its name.
    return team_name if team_name.startswith("Đội") else f"Chi cục {team_name}"


def _draw_teams(rng: random.Random) -> list[tuple[str, tuple[str, ...]]]:
    """Draw 5-8 team names for a region; numbered templates may repeat (số 1, số 2...)."""
    count = rng.randint(5, 8)
    candidates = list(names.TEAM_TEMPLATES)
    used: Counter[str] = Counter()
    teams: list[tuple[str, tuple[str, ...]]] = []
    for _ in range(count):
        template, positions = rng.choice(candidates)
        used[template] += 1
        if "{n}" not in template:
            candidates.remove((template, positions))
        teams.append((template.format(n=used[template]), positions))
    return teams


def plan_organisation(rng: random.Random) -> OrgPlan:
    """Plan the unit tree and the 2025 successions (parents come before their children)."""
    root_code, root_name = names.ROOT
    units: list[UnitSpec] = [
        UnitSpec(
            root_code,
            root_name,
            "administration",
            None,
            head_position="LD-CT",
            deputy_position="LD-PCT",
            staff_positions=names.ROOT_OFFICE_POSITIONS,
            weight=ROOT_SHARE,
        )
    ]
    for code, name, head, deputy, staff in names.HQ_DEPARTMENTS:
        units.append(
            UnitSpec(
                code,
                name,
                "hq_department",
                root_code,
                head_position=head,
                deputy_position=deputy,
                staff_positions=staff,
                weight=HQ_SHARE.get(code, HQ_DEFAULT_SHARE),
            )
        )
    school_code, school_name = names.SCHOOL
    units.append(
        UnitSpec(
            school_code,
            school_name,
            "training",
            root_code,
            head_position="LD-HT",
            deputy_position="LD-PHT",
            staff_positions=names.SCHOOL_POSITIONS,
            weight=SCHOOL_SHARE,
        )
    )
    regions_share = 1.0 - sum(u.weight for u in units)
    total_region_weight = sum(names.REGION_WEIGHTS)

    teams_by_region: list[list[UnitSpec]] = []
    for index, numeral in enumerate(names.ROMAN):
        region_code = f"KV{index + 1:02d}"
        region_share = regions_share * names.REGION_WEIGHTS[index] / total_region_weight
        units.append(
            UnitSpec(
                region_code,
                f"Chi cục Hải quan khu vực {numeral}",
                "regional",
                root_code,
                valid_from=REORGANISED_ON,
                head_position="LD-CCT",
                deputy_position="LD-PCCT",
                staff_positions=names.REGION_OFFICE_POSITIONS,
                weight=region_share * REGION_OFFICE_SHARE,
                region=index,
            )
        )
        drawn = _draw_teams(rng)
        team_weights = [rng.uniform(0.6, 1.4) for _ in drawn]
        teams: list[UnitSpec] = []
        for number, ((team_name, staff), w) in enumerate(zip(drawn, team_weights, strict=True)):
            teams.append(
                UnitSpec(
                    f"{region_code}-{number + 1:02d}",
                    team_name,
                    "team",
                    region_code,
                    valid_from=REORGANISED_ON,
                    head_position="LD-DT",
                    deputy_position="LD-PDT",
                    staff_positions=staff,
                    region=index,
                    weight=region_share * (1 - REGION_OFFICE_SHARE) * w / sum(team_weights),
                )
            )
        units.extend(teams)
        teams_by_region.append(teams)

    successions: list[SuccessionSpec] = []
    sub_units: list[UnitSpec] = []
    next_team = Counter[int]()
    inflow: Counter[str] = Counter()
    pending: list[tuple[str, str]] = []
    for region, suffix, name in names.FORMER_DEPARTMENTS:
        dept_code = f"CUC-{suffix}"
        units.append(
            UnitSpec(
                dept_code,
                name,
                "provincial_department",
                root_code,
                valid_to=FORMER_UNTIL,
                region=region,
            )
        )
        successions.append(
            SuccessionSpec(
                dept_code, f"KV{region + 1:02d}", "merge", REORGANISED_ON, REORGANISATION_DECISION
            )
        )
        teams = teams_by_region[region]
        for number in range(rng.randint(2, 3)):
            team = teams[next_team[region] % len(teams)]
            next_team[region] += 1
            code = f"{dept_code}-{number + 1:02d}"
            sub_units.append(
                UnitSpec(
                    code,
                    _former_name(team.name),
                    "team",
                    dept_code,
                    valid_to=FORMER_UNTIL,
                    region=region,
                )
            )
            inflow[team.code] += 1
            pending.append((code, team.code))
    units.extend(sub_units)
    for former, team_code in pending:
        # Several offices folded into one team are a merge; a single one was reorganised.
        kind = "merge" if inflow[team_code] > 1 else "rename"
        successions.append(
            SuccessionSpec(former, team_code, kind, REORGANISED_ON, REORGANISATION_DECISION)
        )
    return OrgPlan(units=tuple(units), successions=tuple(successions))


#
# People
#


def allocate(weights: Sequence[float], total: int, *, floor: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder).

    Each share gets at least `floor` when `total` allows it for all of them.
    """
    if not weights:
        return []
    base = floor if total >= floor * len(weights) else 0
    rest = total - base * len(weights)
    scale = sum(weights)
    exact = [rest * w / scale for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: rest - sum(counts)]:
        counts[i] += 1
    return [base + c for c in counts]


def _years(years: float) -> datetime.timedelta:
    return datetime.timedelta(days=round(years * 365.25))


def _random_date(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    return low + datetime.timedelta(days=rng.randint(0, max(0, (high - low).days)))


class _Weighted:
    """Weighted draws from a fixed table (cumulative weights computed once)."""

    def __init__(self, table: Sequence[tuple[str, float]]) -> None:
        self.values = [value for value, _w in table]
        self.cumulative: list[float] = []
        running = 0.0
        for _value, weight in table:
            running += weight
            self.cumulative.append(running)

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_FAMILY = _Weighted(names.FAMILY_NAMES)
_MIDDLE = {
    "male": _Weighted(names.MALE_MIDDLE_NAMES),
    "female": _Weighted(names.FEMALE_MIDDLE_NAMES),
}
_GIVEN = {"male": names.MALE_GIVEN_NAMES, "female": names.FEMALE_GIVEN_NAMES}
_POSITION_RANK = {code: rank for code, _name, _group, rank in names.POSITIONS}
_POSITION_GROUP = {code: group for code, _name, group, _rank in names.POSITIONS}
# The oldest a woman and a man may still be in service on the reference date (retirement ages
# rise step by step: about 56 and 61 in 2026).
_MAX_AGE = {"female": 56.0, "male": 60.9}


def _deputies(unit: UnitSpec, headcount: int) -> int:
    """Return how many deputies a unit of `headcount` people has."""
    if unit.kind == "administration":
        return min(3, headcount - 1)
    if unit.kind == "team":
        return min(2, headcount // 15)
    return min(3, headcount // 12)


def _rank_for(rng: random.Random, position: str, service_years: float) -> str:
    """Return a rank consistent with the position and the years in service."""
    group = _POSITION_GROUP[position]
    usual = _POSITION_RANK[position]
    if group == "leadership":
        if usual == "08.051" and service_years > 15:
            return "08.050"
        if usual == "08.050" and service_years > 22 and rng.random() < 0.4:
            return "08.049"
        return usual
    if group == "support":
        return "08.053" if rng.random() < 0.2 else usual
    roll = rng.random()
    if service_years < 2:
        return "08.053" if roll < 0.1 else "08.052" if roll < 0.7 else "08.051"
    if service_years < 15:
        return "08.052" if roll < 0.15 else "08.051" if roll < 0.95 else "08.050"
    return "08.050" if roll < 0.45 else "08.051"


def _status(rng: random.Random, leader: bool, age: float) -> str:
    if leader:
        return "active"
    roll = rng.random()
    if roll < 0.02:
        return "on_leave"
    if roll < 0.035:
        return "seconded"
    if roll < 0.04:
        return "retired" if age > 55 else "left"
    return "active"


def _name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    while True:
        family = _FAMILY.draw(rng)
        middle = _MIDDLE[gender].draw(rng)
        given = rng.choice(_GIVEN[gender])
        if f"{family} {middle} {given}" not in names.BLOCKED_FULL_NAMES:
            return family, middle, given


@dataclass(frozen=True)
class _Context:
    """What the people generator needs to know about the organisation."""

    units: list[UnitSpec]
    by_code: dict[str, UnitSpec]
    # Current unit -> the former units (2025) whose history it took over.
    former_of: dict[str, list[str]]
    former_departments: list[str]
    hq_departments: list[str]


def _context(org: OrgPlan) -> _Context:
    by_code = org.by_code()
    former_of: dict[str, list[str]] = {}
    for s in org.successions:
        former_of.setdefault(s.successor, []).append(s.predecessor)
    return _Context(
        units=org.current_units(),
        by_code=by_code,
        former_of=former_of,
        former_departments=[u.code for u in org.units if u.kind == "provincial_department"],
        hq_departments=[u.code for u in org.units if u.kind == "hq_department"],
    )


def _history(
    rng: random.Random, ctx: _Context, unit: UnitSpec, position: str, hire: datetime.date
) -> tuple[AssignmentSpec, ...]:
    """Return a dated position history ending in `unit`, oldest first.

    Everyone in a region hired before 01/03/2025 worked until 28/02/2025 in one of the former
    units that passed their history to it; some long-serving officers had an earlier rotation
    (luân chuyển) from another former department or headquarters unit.
    """
    staff_position = position
    if _POSITION_GROUP[position] == "leadership" and unit.staff_positions:
        # Before their appointment, leaders held a professional post.
        staff_position = rng.choice(unit.staff_positions)
    day = datetime.timedelta(days=1)
    history: list[AssignmentSpec] = []
    if unit.region is not None and hire < REORGANISED_ON:
        former = ctx.former_of.get(unit.code)
        if not former or rng.random() < 0.15:
            # A team without a predecessor office, or a move within the region.
            former = ctx.former_of[f"KV{unit.region + 1:02d}"]
        former_unit = rng.choice(former)
        rotation_end = REORGANISED_ON - _years(1)
        former_from, former_note = hire, ""
        if hire + _years(2) < rotation_end and rng.random() < 0.3:
            former_from = _random_date(rng, hire + _years(2), rotation_end)
            pool = ctx.hq_departments if rng.random() < 0.3 else ctx.former_departments
            elsewhere = rng.choice([c for c in pool if c != former_unit])
            history.append(AssignmentSpec(elsewhere, staff_position, hire, former_from - day))
            former_note = "Luân chuyển"
        history.append(
            AssignmentSpec(former_unit, staff_position, former_from, FORMER_UNTIL, former_note)
        )
        history.append(
            AssignmentSpec(unit.code, position, REORGANISED_ON, None, REORGANISATION_NOTE)
        )
        return tuple(history)
    starts_on, note = hire, ""
    from_former = rng.random() < 0.7
    rotation_end = (REORGANISED_ON if from_former else REFERENCE_DATE) - _years(1)
    if hire + _years(2) < rotation_end and rng.random() < 0.2:
        starts_on = _random_date(rng, hire + _years(2), rotation_end)
        pool = ctx.former_departments if from_former else ctx.hq_departments
        elsewhere = rng.choice([c for c in pool if c != unit.code])
        history.append(AssignmentSpec(elsewhere, staff_position, hire, starts_on - day))
        note = "Luân chuyển"
    history.append(AssignmentSpec(unit.code, position, starts_on, None, note))
    return tuple(history)


def _party(rng: random.Random, unit: UnitSpec, hire: datetime.date) -> PartySpec:
    admitted = _random_date(rng, hire + _years(1), REFERENCE_DATE - datetime.timedelta(days=30))
    if admitted > REFERENCE_DATE - datetime.timedelta(days=365):
        return PartySpec("probationary", admitted, None, f"Chi bộ {unit.name}")
    return PartySpec("full", admitted, admitted + _years(1), f"Chi bộ {unit.name}")


def _discipline(rng: random.Random, hire: datetime.date) -> DisciplineSpec:
    form = rng.choices(["reprimand", "warning", "demotion", "removal"], weights=[60, 30, 6, 4])[0]
    low = max(hire + _years(1), datetime.date(2019, 1, 1))
    decided = _random_date(rng, low, REFERENCE_DATE - datetime.timedelta(days=10))
    months = 12 if form in {"reprimand", "warning"} else 18
    return DisciplineSpec(
        form=form,
        decided_on=decided,
        decision_number=f"{rng.randint(100, 2999)}/QĐ-HQ",
        reason=rng.choice(names.DISCIPLINE_REASONS),
        ends_on=decided + datetime.timedelta(days=round(months * 30.44)),
    )


def plan_people(rng: random.Random, org: OrgPlan, officers: int) -> Iterator[PersonSpec]:
    """Yield `officers` people spread over the current units, one at a time (flat memory).

    Every current unit gets someone when there are enough officers; the first person drawn for
    a unit is its head, the next few its deputies. Officer codes run HQ000001, HQ000002...
    """
    ctx = _context(org)
    counts = allocate([u.weight for u in ctx.units], officers, floor=1)
    slots = [i for i, n in enumerate(counts) for _ in range(n)]
    rng.shuffle(slots)
    seen = [0] * len(ctx.units)
    for number, slot in enumerate(slots, start=1):
        unit = ctx.units[slot]
        order = seen[slot]
        seen[slot] += 1
        head = order == 0 and unit.head_position is not None
        deputy = not head and order <= _deputies(unit, counts[slot])
        if head:
            position = unit.head_position or ""
        elif deputy and unit.deputy_position:
            position = unit.deputy_position
        elif rng.random() < SUPPORT_SHARE or not unit.staff_positions:
            position = rng.choice(names.SUPPORT_POSITIONS)
        else:
            position = rng.choice(unit.staff_positions)
        leader = head or deputy
        gender = "male" if rng.random() < (0.75 if leader else 0.62) else "female"
        low_age = 45.0 if head else 36.0 if deputy else 23.0
        age = rng.triangular(low_age, _MAX_AGE[gender], max(low_age, 38.0))
        birth = REFERENCE_DATE - _years(age)
        hire_age = min(22.0 + 0.05 + rng.expovariate(1 / 3.0), age - 0.02)
        hire = birth + _years(hire_age)
        family, middle, given = _name(rng, gender)
        email_name = f"{fold(given)}.{fold(family)}".replace(" ", "")
        service_years = (REFERENCE_DATE - hire).days / 365.25
        party = _party(rng, unit, hire) if rng.random() < PARTY_SHARE else None
        discipline = (
            (_discipline(rng, hire),)
            if not leader and rng.random() < DISCIPLINE_SHARE and service_years > 1.5
            else ()
        )
        yield PersonSpec(
            officer_code=f"HQ{number:06d}",
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            birth_date=birth,
            hire_date=hire,
            work_email=f"{email_name}.{number:04d}@{EMAIL_DOMAIN}",
            unit=unit.code,
            position=position,
            rank=_rank_for(rng, position, service_years),
            status=_status(rng, leader, age),
            assignments=_history(rng, ctx, unit, position, hire),
            party=party,
            discipline=discipline,
        )
