"""Access and structure rules, without a database."""

import pytest

from lifelong.org.rules import (
    ROLE_CAPABILITIES,
    Capability,
    Grant,
    covers,
    scope_roots,
    succession_would_cycle,
    tree_move_would_cycle,
)

ROOT = "00000001"
REGION_1 = ROOT + "00000002"
TEAM_1 = REGION_1 + "00000003"
REGION_2 = ROOT + "00000004"


def test_scope_roots_drop_roots_inside_other_roots():
    grants = [
        Grant("unit_head", TEAM_1),
        Grant("unit_head", REGION_1),
        Grant("unit_head", REGION_2),
    ]
    assert scope_roots(grants, Capability.SEE_PEOPLE) == [REGION_1, REGION_2]


def test_scope_roots_ignore_roles_without_the_capability():
    grants = [Grant("officer", ROOT), Grant("unit_head", REGION_1)]
    assert scope_roots(grants, Capability.SEE_PEOPLE) == [REGION_1]
    assert scope_roots(grants, Capability.SEE_UNITS) == [ROOT]


def test_unknown_role_grants_nothing():
    assert scope_roots([Grant("superhero", ROOT)], Capability.SEE_PEOPLE) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [(REGION_1, True), (TEAM_1, True), (REGION_2, False), (ROOT, False)],
)
def test_covers_own_unit_and_sub_units_only(path, expected):
    assert covers([REGION_1], path) is expected


def test_covers_does_not_confuse_ids_sharing_a_prefix():
    # 00000001 must not cover 00000010..., which merely starts with the same digits.
    assert not covers(["00000001"], "00000010")


@pytest.mark.parametrize(
    ("role", "capability", "expected"),
    [
        ("pipeline_committee", Capability.READ_PARTY, True),
        ("administrator", Capability.READ_PARTY, False),
        ("unit_head", Capability.READ_PARTY, False),
        ("unit_head", Capability.READ_DISCIPLINE, True),
        ("secretariat", Capability.READ_DISCIPLINE, True),
        ("administrator", Capability.READ_DISCIPLINE, False),
        ("officer", Capability.SEE_PEOPLE, False),
        ("administrator", Capability.ADMINISTER, True),
        ("unit_head", Capability.ADMINISTER, False),
    ],
)
def test_sensitive_data_is_need_to_know(role, capability, expected):
    assert (capability in ROLE_CAPABILITIES[role]) is expected


def test_every_role_code_has_capabilities():
    assert set(ROLE_CAPABILITIES) == {
        "officer",
        "unit_head",
        "training_office",
        "secretariat",
        "pipeline_committee",
        "administrator",
    }


def test_tree_move_under_own_subtree_would_cycle():
    assert tree_move_would_cycle(REGION_1, TEAM_1)
    assert tree_move_would_cycle(REGION_1, REGION_1)
    assert not tree_move_would_cycle(TEAM_1, REGION_2)


def test_succession_cycle_is_detected_through_a_chain():
    # given: 1 -> 2 -> 3
    edges = {1: [2], 2: [3]}
    # when / then
    assert succession_would_cycle(edges, 3, 1)
    assert succession_would_cycle(edges, 2, 2)
    assert not succession_would_cycle(edges, 1, 3)
    assert not succession_would_cycle(edges, 4, 1)
