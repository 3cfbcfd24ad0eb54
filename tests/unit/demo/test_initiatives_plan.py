"""The demo's initiatives plan: pure, deterministic per seed, consistent with the rules."""

import datetime
import random
import unicodedata
from collections import Counter
from decimal import Decimal

import pytest

from lifelong.demo import initiatives_names as names
from lifelong.demo import initiatives_plan as ip
from lifelong.demo import plan
from lifelong.initiatives import rules

CONTENTS = {"law_policy", "digital_data", "job_position", "international", "self_study"}
POLICY = rules.Policy(
    rules.Criteria(30, 30, 40), pass_score=50, quorum_pct=50, vote_threshold_pct=50
)
POLICIES = [ip.PolicyFacts(7, datetime.date(2012, 3, 2), None, POLICY)]


def _organisation(
    officers: int, seed: int = 2025
) -> tuple[list[ip.UnitFacts], list[ip.Officer], dict[str, str]]:
    """The demo's own organisation plan as the builder reads it back, with the demo accounts."""
    rng = random.Random(seed)
    org = plan.plan_organisation(rng)
    people = list(plan.plan_people(rng, org, officers))
    successors = {s.predecessor: s.successor for s in org.successions}
    units = [
        ip.UnitFacts(
            u.code, u.name, u.kind, u.parent, u.valid_from, u.valid_to, successors.get(u.code)
        )
        for u in org.units
    ]
    facts = [
        ip.Officer(
            p.officer_code,
            p.unit,
            p.position,
            p.status == "active",
            tuple(ip.Stint(a.unit, a.starts_on, a.ends_on) for a in p.assignments),
        )
        for p in people
    ]
    # The builder links each demo account to the first active officer of its unit holding one
    # of its positions (builder._holder).
    holders: dict[str, str] = {}
    for spec in plan.DEMO_ACCOUNTS:
        candidates = sorted(
            (
                p
                for p in people
                if p.unit == spec.person_unit
                and p.status == "active"
                and p.officer_code not in holders.values()
            ),
            key=lambda p: p.officer_code,
        )
        preferred = [p for pos in spec.person_positions for p in candidates if p.position == pos]
        chosen = (preferred or candidates)[:1]
        if chosen:
            holders[spec.username] = chosen[0].officer_code
    return units, facts, holders


@pytest.fixture(scope="module")
def organisation() -> tuple[list[ip.UnitFacts], list[ip.Officer], dict[str, str]]:
    return _organisation(10_000)


@pytest.fixture(scope="module")
def planned(organisation) -> ip.InitiativesPlan:
    units, officers, holders = organisation
    return ip.plan_initiatives(random.Random(5), units, officers, POLICIES, holders)


def _ancestors(units: list[ip.UnitFacts], code: str) -> list[str]:
    by_code = {u.code: u for u in units}
    chain: list[str] = []
    current: str | None = code
    while current is not None:
        chain.append(current)
        current = by_code[current].parent
    return chain


def test_plan_is_the_same_when_the_seed_is_the_same(organisation, planned):
    # given
    units, officers, holders = organisation
    # when
    again = ip.plan_initiatives(random.Random(5), units, officers, POLICIES, holders)
    other = ip.plan_initiatives(random.Random(6), units, officers, POLICIES, holders)
    # then
    assert again == planned
    assert other != planned


def test_about_300_initiatives_fall_in_2021_to_2026_for_10000_officers(planned):
    # when
    initiatives = planned.initiatives
    # then
    assert len(initiatives) == ip.initiative_count(10_000) == 300
    assert {i.created_on.year for i in initiatives} == set(range(2021, 2027))
    last = max(
        [i.updated_on for i in initiatives]
        + [a.started_on for i in initiatives for a in i.adoptions]
        + [a.started_on for g in planned.good_models for a in g.adoptions]
    )
    assert last < ip.PLAN_UNTIL
    assert len({i.key for i in initiatives}) == len(initiatives)


def test_titles_are_distinct_natural_vietnamese_in_nfc(planned):
    # when
    titles = [i.title for i in planned.initiatives]
    # then
    assert len(set(titles)) == len(titles)
    for initiative in planned.initiatives:
        for text in (initiative.title, initiative.problem, initiative.solution, initiative.effect):
            assert unicodedata.normalize("NFC", text) == text
            assert "{" not in text and "  " not in text
    assert all(len(t) <= 300 for t in titles)


def test_all_three_levels_are_recognised_most_at_grassroots_about_40_at_ministry(planned):
    # when
    recognitions = Counter(r.level for i in planned.initiatives for r in i.recognitions)
    statuses = Counter(i.status for i in planned.initiatives)
    decided = statuses["recognised"] + statuses["refused"]
    # then
    assert recognitions["co_so"] > 200
    assert 35 <= recognitions["bo"] <= 45
    assert 5 <= recognitions["toan_quoc"] <= 8
    assert 0.10 <= statuses["refused"] / decided <= 0.16
    # a few still in progress in 2026
    for status in ("draft", "submitted", "returned"):
        assert 1 <= statuses[status] <= 12
    # some were returned once and resubmitted, then decided
    resubmitted = [
        i
        for i in planned.initiatives
        if i.status != "returned" and any(e.status == "returned" for e in i.evaluations)
    ]
    assert len(resubmitted) >= 4


def test_levels_follow_in_order_and_the_initiative_holds_its_highest(planned):
    for initiative in planned.initiatives:
        # given
        levels = [r.level for r in initiative.recognitions]
        # then: cơ sở, then cấp bộ, then toàn quốc, none skipped or repeated
        assert levels == list(rules.LEVELS[: len(levels)])
        if levels:
            assert initiative.level == levels[-1]
            assert initiative.recognised_on == initiative.recognitions[-1].decision_date
            assert initiative.status == "recognised"
        else:
            assert initiative.level == "" and initiative.recognised_on is None
            assert initiative.status != "recognised"
        assert sum(e.status == "open" for e in initiative.evaluations) <= 1
        if initiative.status == "draft":
            assert initiative.evaluations == () and initiative.submitted_on is None
            continue
        # submitting (again) opens the evaluation at cơ sở level, by its writer
        grassroots = [e for e in initiative.evaluations if e.level == "co_so"]
        assert grassroots[-1].opened_on == initiative.submitted_on
        assert grassroots[-1].opened_by == initiative.writer == initiative.authors[0].officer


def test_authors_share_100_percent_and_worked_in_the_unit_at_the_time(organisation, planned):
    # given
    _units, officers, _holders = organisation
    by_code = {o.code: o for o in officers}
    # then
    for initiative in planned.initiatives:
        assert 1 <= len(initiative.authors) <= 4
        assert sum((a.share for a in initiative.authors), Decimal(0)) == 100
        assert rules.check_shares([(a.officer, a.share) for a in initiative.authors]) == []
        start, end = initiative.created_on, initiative.submitted_on or initiative.created_on
        for author in initiative.authors:
            officer = by_code[author.officer]
            assert officer.active
            assert any(
                s.unit == initiative.unit
                and s.starts_on <= end
                and (s.ends_on is None or s.ends_on >= start)
                for s in officer.stints
            ), (initiative.key, author)


def test_each_evaluation_is_by_a_council_in_office_over_the_unit(organisation, planned):
    # given
    units, _officers, _holders = organisation
    councils = {c.key: c for c in planned.councils}
    # then
    for initiative in planned.initiatives:
        path = "/".join(reversed(_ancestors(units, initiative.unit))) + "/"
        for evaluation in initiative.evaluations:
            council = councils[evaluation.council]
            council_path = "/".join(reversed(_ancestors(units, council.unit))) + "/"
            for day in (evaluation.opened_on, evaluation.closed_on or evaluation.opened_on):
                problem = rules.check_council(
                    council_level=council.level,
                    council_unit_path=council_path,
                    established_on=council.established_on,
                    dissolved_on=council.dissolved_on,
                    initiative_unit_path=path,
                    target_level=evaluation.level,
                    on=day,
                )
                assert problem is None, (initiative.key, evaluation)
            assert {s.member for s in evaluation.scores} <= {m.officer for m in council.members}


def test_recognised_evaluations_pass_the_tally_and_refused_ones_fail_with_reasons(planned):
    # given
    councils = {c.key: c for c in planned.councils}
    outcomes: Counter[str] = Counter()
    for initiative in planned.initiatives:
        for evaluation in initiative.evaluations:
            members = len(councils[evaluation.council].members)
            scores = [
                rules.MemberScore(s.novelty, s.application, s.benefit, s.excluded)
                for s in evaluation.scores
            ]
            for score in scores:
                assert rules.check_score(POLICY.criteria, score) == []
            votes = rules.Votes(*evaluation.votes) if evaluation.votes else None
            if votes is not None:
                assert rules.check_votes(votes, members) is None
            # when
            tally = rules.tally(POLICY, scores, votes, members)
            # then
            outcomes[evaluation.status] += 1
            if evaluation.status == "recognised":
                assert tally.reasons == []
                assert evaluation.recognition is not None
                assert evaluation.recognition.level == evaluation.level
                assert evaluation.recognition.decision_date >= evaluation.voted_on
            elif evaluation.status == "refused":
                assert tally.reasons and evaluation.reasons
                assert evaluation.recognition is None
            elif evaluation.status == "returned":
                assert evaluation.reasons and evaluation.votes is None
            else:  # open: some members have scored, the vote is to come
                assert evaluation.votes is None and evaluation.closed_on is None
                assert len(evaluation.scores) < members or members == 1
    assert set(outcomes) == {"recognised", "refused", "returned", "open"}


def test_decisions_are_numbered_per_issuer_and_year_like_real_ones(planned):
    # when
    decisions = [
        (r.decision_number, r.decision_date.year)
        for i in planned.initiatives
        for r in i.recognitions
    ]
    numbers = [number for number, _year in decisions]
    # then: "125/QĐ-HQKV01" for a region, "…/QĐ-BTC" for the ministry; numbering restarts
    # each year, so a number is never given twice in one year
    assert len(set(decisions)) == len(decisions)
    assert any(n.endswith("/QĐ-BTC") for n in numbers)
    assert any("/QĐ-HQKV" in n for n in numbers)
    assert any(n.split("/")[1].startswith("QĐ-HQ") and "KV" not in n for n in numbers)
    for initiative in planned.initiatives:
        for recognition in initiative.recognitions:
            if recognition.level != "co_so":
                assert recognition.authority == "Bộ trưởng Bộ Tài chính"


def test_councils_have_a_chair_a_secretary_and_five_to_nine_members(organisation, planned):
    # given
    units, _officers, _holders = organisation
    regions = [u.code for u in units if u.kind == "regional"]
    former = [u.code for u in units if u.kind == "provincial_department"]
    # when
    councils = {c.key: c for c in planned.councils}
    # then: every region and former department, the headquarters and the ministry
    assert set(councils) == {
        *(f"{code}:co_so" for code in regions + former),
        "CHQ:co_so",
        "CHQ:bo",
    }
    for council in planned.councils:
        roles = Counter(m.role for m in council.members)
        assert roles["chair"] == 1 and roles["secretary"] == 1
        assert 5 <= len(council.members) <= 9
        assert len({m.officer for m in council.members}) == len(council.members)


def test_recognised_initiatives_are_applied_by_other_units_after_recognition(planned):
    # when
    counts = Counter(len(i.adoptions) for i in planned.initiatives if i.level)
    # then
    assert set(counts) <= set(range(7)) and counts[0] and len(counts) >= 5
    for initiative in planned.initiatives:
        if not initiative.level:
            assert initiative.adoptions == ()
            continue
        units = [a.unit for a in initiative.adoptions]
        assert len(set(units)) == len(units) and initiative.unit not in units
        first = initiative.recognitions[0].decision_date
        assert all(first < a.started_on < ip.PLAN_UNTIL for a in initiative.adoptions)


def test_about_40_good_models_carry_movement_contents_units_and_adopters(planned):
    # when
    models = planned.good_models
    keys = {i.key: i for i in planned.initiatives}
    # then
    assert 38 <= len(models) <= 42
    assert len({m.title for m in models}) == len(models)
    assert set().union(*(set(m.contents) for m in models)) == CONTENTS
    for model in models:
        assert model.contents and set(model.contents) <= CONTENTS
        assert model.units and model.summary and model.results
        assert {a.unit for a in model.adoptions}.isdisjoint(model.units)
        for key in model.initiatives:
            assert keys[key].level
    assert sum(bool(m.initiatives) for m in models) >= 8
    assert sum(bool(m.adoptions) for m in models) >= 25


def test_demo_accounts_meet_their_own_initiatives_and_queue(organisation, planned):
    # given
    _units, _officers, holders = organisation
    officer, head1 = holders["officer"], holders["head1"]
    # when
    written = [i for i in planned.initiatives if officer in {a.officer for a in i.authors}]
    kv01 = next(c for c in planned.councils if c.key == "KV01:co_so")
    waiting = [
        e
        for i in planned.initiatives
        for e in i.evaluations
        if e.council == kv01.key and e.status == "open"
    ]
    # then: the officer wrote one recognised initiative and one draft
    assert sorted(i.status for i in written) == ["draft", "recognised"]
    assert all(i.unit == "KV01-01" for i in written)
    # head1 chairs khu vực I's council, with an evaluation waiting for their scores
    assert kv01.role_of(head1) == "chair"
    assert any(head1 not in {s.member for s in e.scores} for e in waiting)
    # the secretariat has 2026 cơ sở recognitions to propose to the ministry
    proposable = [
        i
        for i in planned.initiatives
        if i.level == "co_so"
        and i.recognised_on is not None
        and i.recognised_on.year == 2026
        and not any(e.status == "open" for e in i.evaluations)
    ]
    assert proposable
    # no other demo account sits on a council
    others = {holders[u] for u in ("admin", "secretariat", "training", "committee", "officer")}
    assert others.isdisjoint(m.officer for c in planned.councils for m in c.members)


def test_a_small_organisation_still_gets_every_level():
    # given
    units, officers, holders = _organisation(300, seed=11)
    # when
    small = ip.plan_initiatives(random.Random(11), units, officers, POLICIES, holders)
    # then
    assert len(small.initiatives) == ip.initiative_count(300) == 60
    levels = {r.level for i in small.initiatives for r in i.recognitions}
    assert levels == set(rules.LEVELS)
    assert {"draft", "submitted", "returned", "refused", "recognised"} <= {
        i.status for i in small.initiatives
    }
    assert small.good_models


def test_no_policy_in_force_is_refused_by_name(organisation):
    # given
    units, officers, holders = organisation
    late = [ip.PolicyFacts(1, datetime.date(2024, 1, 1), None, POLICY)]
    # when / then
    with pytest.raises(ValueError, match="no evaluation policy"):
        ip.plan_initiatives(random.Random(5), units, officers, late, holders)


def test_every_head_of_every_theme_has_a_problem_and_a_solution_that_fit():
    # given: the codes of choices.Field
    fields = {
        "procedures",
        "risk",
        "classification",
        "enforcement",
        "post_clearance",
        "revenue",
        "digital",
        "public_service",
        "organisation",
        "other",
    }
    values = {"head": "H", "object": "O", "k": 3, "big": "150", "years": 2, "unit": "U"}
    for theme in names.THEMES:
        # then
        assert theme.field in fields and set(theme.contents) <= CONTENTS
        assert len(theme.fits) == len(theme.solutions)
        assert not theme.problem_fits or len(theme.problem_fits) == len(theme.problems)
        assert len(theme.metrics) >= 2 and all(low < high for _t, low, high, _s in theme.metrics)
        for head in range(len(theme.heads)):
            assert theme.solutions_for(head) and theme.problems_for(head)
        for template in (*theme.problems, *theme.solutions, *names.NOVELTIES):
            text = template.format(**values)
            assert "{" not in text and unicodedata.normalize("NFC", text) == text
