"""The demo's plan as plain data: proportions at the default size (no database)."""

import random
from collections import Counter

from lifelong.demo import plan


def test_plan_has_realistic_proportions_when_10000_officers() -> None:
    rng = random.Random(2025)
    org = plan.plan_organisation(rng)
    people = list(plan.plan_people(rng, org, 10_000))
    by_unit = Counter(p.unit for p in people)
    regional = {u.code for u in org.units if u.region is not None and u.valid_to is None}
    assert sum(n for code, n in by_unit.items() if code in regional) > 7_000
    assert len({p.work_email for p in people}) == len({p.officer_code for p in people}) == 10_000
    assert 200 <= sum(1 for p in people if p.party) <= 500
    assert 20 <= sum(len(p.discipline) for p in people) <= 80
    genders = Counter(p.gender for p in people)
    assert 0.55 < genders["male"] / 10_000 < 0.75
    assert Counter(p.status for p in people)["active"] > 9_000
    assert Counter(p.family_name for p in people).most_common(1)[0][0] == "Nguyễn"


def test_plan_never_names_the_real_director_when_drawn() -> None:
    rng = random.Random(5)
    org = plan.plan_organisation(rng)
    assert all(p.full_name != "Nguyễn Văn Thọ" for p in plan.plan_people(rng, org, 5_000))


def test_plan_differs_when_the_seed_differs() -> None:
    def codes_and_names(seed: int) -> list[tuple[str, str, str]]:
        rng = random.Random(seed)
        org = plan.plan_organisation(rng)
        return [(p.officer_code, p.full_name, p.unit) for p in plan.plan_people(rng, org, 300)]

    assert codes_and_names(7) == codes_and_names(7)
    assert codes_and_names(7) != codes_and_names(8)
