"""Access and structure rules as pure functions over plain data (no database, no HTTP)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ROLE_CAPABILITIES",
    "Capability",
    "Grant",
    "covers",
    "scope_roots",
    "succession_would_cycle",
    "tree_move_would_cycle",
]


class Capability(StrEnum):
    """What a role allows over its unit subtree."""

    SEE_UNITS = "see_units"  # the unit tree: names, kinds, sub-units
    SEE_PEOPLE = "see_people"  # the people of those units and their basic records
    READ_PARTY = "read_party"  # Party membership (sensitive)
    READ_DISCIPLINE = "read_discipline"  # discipline records (sensitive)
    ADMINISTER = "administer"  # accounts, roles, imports, the audit log
    SEE_LEARNING = "see_learning"  # the learning records, ledgers and compliance of people
    APPROVE_LEARNING = "approve_learning"  # self-study, learning plans, enrolling one's officers
    MANAGE_TRAINING = "manage_training"  # catalogue, classes, instructors, certificates, rules
    SEE_INITIATIVES = "see_initiatives"  # initiatives submitted by those units (not drafts)
    SHARE_PRACTICES = "share_practices"  # adoptions and good models of those units
    MANAGE_INITIATIVES = "manage_initiatives"  # councils, proposals to higher levels, library
    SEE_EMULATION = "see_emulation"  # campaigns' scores, ranks and evidence of those units
    TAKE_PART_EMULATION = "take_part_emulation"  # register, self-assess, report KPIs for them
    REVIEW_EMULATION = "review_emulation"  # approve registrations, review self-assessments below
    MANAGE_EMULATION = "manage_emulation"  # campaigns, criteria, clusters, KPIs, reviews


# Need-to-know (domain-vn.md §6): Party membership is for the pipeline committee only;
# discipline for the unit head and the emulation secretariat, who weigh it for titles.
# An administrator runs the system but reads no sensitive record.
ROLE_CAPABILITIES: Mapping[str, frozenset[Capability]] = {
    "officer": frozenset({Capability.SEE_UNITS}),
    "unit_head": frozenset(
        {
            Capability.SEE_UNITS,
            Capability.SEE_PEOPLE,
            Capability.READ_DISCIPLINE,
            Capability.SEE_LEARNING,
            Capability.APPROVE_LEARNING,
            Capability.SEE_INITIATIVES,
            Capability.SHARE_PRACTICES,
            Capability.SEE_EMULATION,
            Capability.TAKE_PART_EMULATION,
            Capability.REVIEW_EMULATION,
        }
    ),
    "training_office": frozenset(
        {
            Capability.SEE_UNITS,
            Capability.SEE_PEOPLE,
            Capability.SEE_LEARNING,
            Capability.MANAGE_TRAINING,
        }
    ),
    "secretariat": frozenset(
        {
            Capability.SEE_UNITS,
            Capability.SEE_PEOPLE,
            Capability.READ_DISCIPLINE,
            Capability.SEE_LEARNING,
            Capability.SEE_INITIATIVES,
            Capability.SHARE_PRACTICES,
            Capability.MANAGE_INITIATIVES,
            Capability.SEE_EMULATION,
            Capability.TAKE_PART_EMULATION,
            Capability.REVIEW_EMULATION,
            Capability.MANAGE_EMULATION,
        }
    ),
    "pipeline_committee": frozenset(
        {Capability.SEE_UNITS, Capability.SEE_PEOPLE, Capability.READ_PARTY}
    ),
    "administrator": frozenset(
        {Capability.SEE_UNITS, Capability.SEE_PEOPLE, Capability.ADMINISTER}
    ),
}


@dataclass(frozen=True)
class Grant:
    """A role held over the unit whose tree path is `unit_path`."""

    role: str
    unit_path: str


def scope_roots(grants: Iterable[Grant], capability: Capability) -> list[str]:
    """Return the minimal set of subtree roots (paths) where `capability` is held.

    A root inside another root's subtree is dropped, so callers filter with as few ranges as
    possible.
    """
    paths = sorted(
        {g.unit_path for g in grants if capability in ROLE_CAPABILITIES.get(g.role, frozenset())}
    )
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def covers(roots: Iterable[str], path: str) -> bool:
    """Return whether the unit at `path` lies in the subtree of one of `roots`."""
    return any(path.startswith(root) for root in roots)


def tree_move_would_cycle(unit_path: str, new_parent_path: str) -> bool:
    """Return whether putting a unit under `new_parent_path` would make it its own ancestor."""
    return new_parent_path.startswith(unit_path)


def succession_would_cycle(
    edges: Mapping[int, Iterable[int]], predecessor: int, successor: int
) -> bool:
    """Return whether adding `predecessor → successor` closes a cycle of successions.

    `edges` maps each unit id to the ids of its recorded successors. A cycle would make a
    unit inherit its own history (A merged into B, B merged into A).
    """
    if predecessor == successor:
        return True
    seen: set[int] = set()
    stack = [successor]
    while stack:
        node = stack.pop()
        if node == predecessor:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return False
