"""Write the synthetic customs administration into the database, fast and in one transaction.

`plan.py` decides everything from the seed; this module turns the plan into rows through the
organisation's bulk services, a batch of people at a time (memory stays flat at 100,000
officers), and records the build once: one `DemoBuild` row and one `demo.built` audit event
for the whole build, not one event per row.
"""

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import connection, transaction

from lifelong.core.audit import record_event
from lifelong.demo import emulation_builder, initiatives_builder, learning_builder, names, plan
from lifelong.demo.models import DemoBuild
from lifelong.org import services
from lifelong.org.models import (
    CivilServiceRank,
    DisciplineRecord,
    JobPosition,
    PartyMembership,
    Person,
    PositionAssignment,
    RoleGrant,
    Unit,
    UnitSuccession,
)

__all__ = [
    "BUILDER_VERSION",
    "DEFAULT_HISTORY",
    "DEFAULT_OFFICERS",
    "DEFAULT_SEED",
    "DEMO_BUILT",
    "MIN_OFFICERS",
    "DemoAccount",
    "build_demo",
    "current_build",
    "demo_accounts",
    "demo_password_hash",
    "holds_other_data",
]

BUILDER_VERSION = 4  # 4: the emulation campaign
DEFAULT_SEED = 2025
DEFAULT_OFFICERS = 10_000
DEFAULT_HISTORY = "standard"
# Below this, some units (and the accounts' holders) would stay empty.
MIN_OFFICERS = 200
PEOPLE_BATCH = 1_000
DEMO_BUILT = "demo.built"
# PBKDF2 iterations of the demo accounts' stored hashes until their first login (see below).
DEMO_HASH_ITERATIONS = 20_000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class DemoAccount:
    """A demo login as `lifelong demo` prints it."""

    username: str
    password: str
    roles: list[str]
    unit: str
    unit_name: str
    person: str


#
# The build record
#


def current_build() -> DemoBuild | None:
    """Return the latest demo build stored in this database, if any."""
    return DemoBuild.objects.order_by("-built_at", "-id").first()


def holds_other_data() -> bool:
    """Return whether the database holds an organisation that the demo did not build."""
    return current_build() is None and (Unit.objects.exists() or Person.objects.exists())


#
# Writing the plan
#


def _batches(items: Iterator[plan.PersonSpec], size: int) -> Iterator[list[plan.PersonSpec]]:
    while batch := list(islice(items, size)):
        yield batch


@dataclass
class _Counts:
    people: int = 0
    assignments: int = 0
    party_memberships: int = 0
    discipline_records: int = 0


class _Writer:
    """Turns the plan into rows, keeping the ids of what it wrote."""

    def __init__(self) -> None:
        self.ranks: dict[str, int] = {}
        self.positions: dict[str, int] = {}
        self.units: dict[str, Unit] = {}
        self.counts = _Counts()

    def positions_and_ranks(self) -> None:
        """Write the civil-service ranks and the job positions."""
        ranks = {
            code: CivilServiceRank(code=code, name=name, level=level)
            for code, name, level in names.RANKS
        }
        positions = [
            JobPosition(code=code, name=name, group=group, rank=ranks[rank])
            for code, name, group, rank in names.POSITIONS
        ]
        services.create_positions_bulk(
            acting_user=None, ranks=list(ranks.values()), positions=positions, audit=False
        )
        self.ranks = {code: rank.pk for code, rank in ranks.items()}
        self.positions = {p.code: p.pk for p in positions}

    def organisation(self, org: plan.OrgPlan) -> None:
        """Write the unit tree, then the 2025 successions (which close the former units)."""
        units: dict[str, Unit] = {}
        for spec in org.units:
            units[spec.code] = Unit(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=units[spec.parent] if spec.parent else None,
                valid_from=spec.valid_from,
                valid_to=spec.valid_to,
            )
        services.create_units_bulk(acting_user=None, units=list(units.values()), audit=False)
        self.units = units
        successions = [
            UnitSuccession(
                predecessor=units[s.predecessor],
                successor=units[s.successor],
                kind=s.kind,
                effective_on=s.effective_on,
                decision=s.decision,
            )
            for s in org.successions
        ]
        services.record_successions_bulk(acting_user=None, successions=successions, audit=False)

    def people(self, specs: list[plan.PersonSpec]) -> None:
        """Write a batch of people with their histories and sensitive records."""
        people: list[Person] = []
        histories: list[list[PositionAssignment]] = []
        for spec in specs:
            people.append(
                Person(
                    officer_code=spec.officer_code,
                    family_name=spec.family_name,
                    middle_name=spec.middle_name,
                    given_name=spec.given_name,
                    gender=spec.gender,
                    birth_date=spec.birth_date,
                    work_email=spec.work_email,
                    unit_id=self.units[spec.unit].pk,
                    job_position_id=self.positions[spec.position],
                    rank_id=self.ranks[spec.rank],
                    hire_date=spec.hire_date,
                    status=spec.status,
                )
            )
            histories.append(
                [
                    PositionAssignment(
                        unit_id=self.units[a.unit].pk,
                        job_position_id=self.positions[a.position] if a.position else None,
                        starts_on=a.starts_on,
                        ends_on=a.ends_on,
                        note=a.note,
                    )
                    for a in spec.assignments
                ]
            )
        services.create_people_bulk(
            acting_user=None, people=people, histories=histories, audit=False
        )
        party: list[PartyMembership] = []
        discipline: list[DisciplineRecord] = []
        for spec, person in zip(specs, people, strict=True):
            if spec.party is not None:
                party.append(
                    PartyMembership(
                        person_id=person.pk,
                        status=spec.party.status,
                        admitted_on=spec.party.admitted_on,
                        full_member_on=spec.party.full_member_on,
                        party_cell=spec.party.party_cell,
                    )
                )
            discipline.extend(
                DisciplineRecord(
                    person_id=person.pk,
                    form=d.form,
                    decided_on=d.decided_on,
                    decision_number=d.decision_number,
                    reason=d.reason,
                    ends_on=d.ends_on,
                )
                for d in spec.discipline
            )
        services.add_sensitive_records_bulk(
            acting_user=None, party_memberships=party, discipline_records=discipline, audit=False
        )
        self.counts.people += len(people)
        self.counts.assignments += sum(len(h) for h in histories)
        self.counts.party_memberships += len(party)
        self.counts.discipline_records += len(discipline)

    def accounts(self) -> None:
        """Write one account per role, each linked to a person of its unit."""
        accounts: list[services.NewAccount] = []
        taken: set[int] = set()
        for spec in plan.DEMO_ACCOUNTS:
            holder = _holder(spec, taken)
            if holder is not None:
                taken.add(holder.pk)
            accounts.append(
                services.NewAccount(
                    username=spec.username,
                    encoded_password=demo_password_hash(spec.password),
                    person=holder,
                    roles=((spec.role, self.units[spec.unit]),),
                )
            )
        services.create_accounts_bulk(acting_user=None, accounts=accounts, audit=False)


def _holder(spec: plan.AccountSpec, taken: set[int]) -> Person | None:
    """Return the person a demo account belongs to: the first one holding a preferred post.

    Nobody in `taken` (already given another demo account) is chosen again.
    """
    if spec.person_unit is None:
        return None
    candidates = (
        Person.objects.filter(unit__code=spec.person_unit, status="active")
        .exclude(pk__in=taken)
        .order_by("officer_code")
    )
    for position in spec.person_positions:
        person = candidates.filter(job_position__code=position).first()
        if person is not None:
            return person
    return candidates.first()


def demo_password_hash(password: str) -> str:
    """Hash a demo password with a light work factor; Django re-hashes it on first login.

    The demo's passwords are printed on every start, so a slow hash protects nothing, and
    seven at Django's full PBKDF2 work factor would cost as much CPU as building 10,000
    officers. Django upgrades a hash whose iteration count differs from the current one at
    the first successful login ("password upgrading"), so a used account ends up with a
    full-strength hash all the same.
    """
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return str(hasher.encode(password, hasher.salt(), iterations=DEMO_HASH_ITERATIONS))
    return make_password(password)


# The page cache of the demo build's SQLite connection (KiB): the history's indexes stay in
# memory instead of being read back from the file as they grow.
BUILD_CACHE_KIB = int(os.environ.get("LIFELONG_DEMO_BUILD_CACHE_KIB", str(256 * 1024)))


@contextmanager
def relaxed_sqlite_build(*, enabled: bool = True) -> Iterator[bool]:
    """Run the demo build on SQLite without durability, then restore the connection.

    The demo database is built once from the seed and rebuilt (`--rebuild`) rather than
    repaired, so while it builds it needs no crash safety: no journal on disk
    (journal_mode=MEMORY instead of WAL: the one large transaction is not written twice), no
    fsync (synchronous=OFF), a large page cache, temporary tables in memory, and foreign
    keys checked once at the end (`check_relaxed_build`, before the commit) rather than row
    by row. Afterwards the
    connection gets back WAL and its settings' pragmas (`settings.DATABASES`), so `serve`
    never runs this way. Does nothing on PostgreSQL, inside a transaction (tests) or when
    not `enabled`; yields whether it relaxed anything.
    """
    if not enabled or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield False
        return
    with connection.cursor() as cursor:
        saved = {}
        for pragma in ("journal_mode", "synchronous", "cache_size", "temp_store", "foreign_keys"):
            cursor.execute(f"PRAGMA {pragma}")
            saved[pragma] = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA foreign_keys=OFF")
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            for pragma, value in saved.items():
                cursor.execute(f"PRAGMA {pragma}={value}")


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    officers: int = DEFAULT_OFFICERS,
    history: str = DEFAULT_HISTORY,
    progress: Progress | None = None,
    learning_progress: learning_builder.Progress | None = None,
    relaxed_sqlite: bool = False,
    parallel: bool = False,
) -> DemoBuild:
    """Build the synthetic administration into an empty organisation, in one transaction.

    The same seed and size give the same units, people, codes and names, and the same
    learning catalogue and 2024-2026 history (`history`: "standard", "full" or "none"; see
    `learning_builder`), and the same 2021-2026 initiatives, councils and good models
    (`initiatives_builder`, whatever the history), and the 2024-2030 emulation campaign
    scored with phase 1's interim review frozen (`emulation_builder`). `progress` is called
    with the number of officers written after each batch, `learning_progress` as the history
    is written.
    `relaxed_sqlite` (the `demo` command only) trades durability for speed on SQLite while
    the build runs (`relaxed_sqlite_build`); `parallel` (also the command's) prepares the
    learning history's statements in a second process (`learning_builder.build_learning`).
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    writer = _Writer()
    with relaxed_sqlite_build(enabled=relaxed_sqlite) as relaxed, transaction.atomic():
        writer.positions_and_ranks()
        org = plan.plan_organisation(rng)
        writer.organisation(org)
        for batch in _batches(plan.plan_people(rng, org, officers), PEOPLE_BATCH):
            writer.people(batch)
            if progress is not None:
                progress(len(batch))
        writer.accounts()
        learning = learning_builder.build_learning(
            seed=seed, history=history, progress=learning_progress, parallel=parallel
        )
        initiatives = initiatives_builder.build_initiatives(seed=seed)
        emulation = emulation_builder.build_emulation(seed=seed)
        build = DemoBuild.objects.create(
            seed=seed,
            officers=officers,
            version=BUILDER_VERSION,
            seconds=round(time.perf_counter() - started, 3),
        )
        record_event(
            DEMO_BUILT,
            actor=None,
            target=build,
            data={
                "seed": seed,
                "units": len(org.units),
                "successions": len(org.successions),
                "people": writer.counts.people,
                "assignments": writer.counts.assignments,
                "party_memberships": writer.counts.party_memberships,
                "discipline_records": writer.counts.discipline_records,
                "accounts": [a.username for a in plan.DEMO_ACCOUNTS],
                "history": history,
                "learning": {
                    "courses": learning.courses,
                    "instructors": learning.instructors,
                    "classes": learning.classes,
                    "enrolments": learning.enrolments,
                    "self_study": learning.self_study,
                    "certificates": learning.certificates,
                    "statements": learning.statements,
                    "seconds": learning.seconds,
                },
                "initiatives": initiatives.as_data(),
                "emulation": emulation.as_data(),
            },
        )
        if relaxed:
            # The relaxed build wrote without row-by-row foreign key checks: every reference
            # is checked here, and a dangling one rolls the whole build back.
            connection.check_constraints()
    return build


#
# The accounts as printed
#


def demo_accounts() -> list[DemoAccount]:
    """Return the demo accounts as stored: roles and units from their grants, fixed passwords."""
    grants = RoleGrant.objects.filter(
        user__username__in=[a.username for a in plan.DEMO_ACCOUNTS]
    ).select_related("user", "unit", "user__person")
    by_user: dict[str, list[RoleGrant]] = {}
    for grant in grants.order_by("role", "unit__path"):
        by_user.setdefault(grant.user.get_username(), []).append(grant)
    accounts: list[DemoAccount] = []
    for spec in plan.DEMO_ACCOUNTS:
        held = by_user.get(spec.username)
        if not held:
            continue  # removed by someone using the demo: nothing to offer
        person = getattr(held[0].user, "person", None)
        accounts.append(
            DemoAccount(
                username=spec.username,
                password=spec.password,
                roles=sorted({g.role for g in held}),
                unit=held[0].unit.code,
                unit_name=held[0].unit.name,
                person=person.full_name if person is not None else "",
            )
        )
    return accounts
