"""Replication and the good-model library (issue 5): pure rules, standard library only.

- A unit registers that it applies an initiative only once the initiative is recognised (at
  any level): replication spreads what a council found new and beneficial (Law 06/2022
  Art. 3(4), domain-vn.md §1.1 and §4). The initiative's own unit applies it already, and a
  unit behind a good model already works that way: neither registers it as an adoption.
- A unit adopts the same initiative, or the same good model, once.
- The date since when a unit applies it is not in the future, and not before the initiative
  was first applied or trialled by its authors' unit.
- A good model has a title, a summary, at least one of the movement's five contents, and at
  least one unit behind it; the initiatives linked to it are recognised ones.
- Who curates a good model: the secretariat (MANAGE_INITIATIVES) over the units it covers,
  or whoever shares practices (SHARE_PRACTICES) over every unit named behind the model.

Problems are stable codes; `services.library` turns them into translated messages.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MOVEMENT_CONTENTS",
    "AdoptionFacts",
    "Problem",
    "check_adoption",
    "check_good_model",
    "may_curate",
]

# The movement's five contents (the codes of `learning.choices.MovementContent`).
MOVEMENT_CONTENTS: tuple[str, ...] = (
    "law_policy",
    "digital_data",
    "job_position",
    "international",
    "self_study",
)


class Problem(StrEnum):
    """Why an adoption or a good model is refused; paired with the field it concerns."""

    NOT_RECOGNISED = "not_recognised"
    OWN_UNIT = "own_unit"
    ADOPTED_ALREADY = "adopted_already"
    STARTED_REQUIRED = "started_required"
    STARTED_IN_FUTURE = "started_in_future"
    STARTED_BEFORE_APPLICATION = "started_before_application"
    TITLE_REQUIRED = "title_required"
    SUMMARY_REQUIRED = "summary_required"
    CONTENT_REQUIRED = "content_required"
    CONTENT_UNKNOWN = "content_unknown"
    UNITS_REQUIRED = "units_required"
    UNIT_NOT_YOURS = "unit_not_yours"
    INITIATIVE_NOT_RECOGNISED = "initiative_not_recognised"


#
# Adoptions
#


@dataclass(frozen=True)
class AdoptionFacts:
    """What decides whether a unit may register an adoption, as plain data.

    `recognised` is always true for a good model; `first_applied` is the date since when the
    initiative has been applied or trialled (None for a good model, or when not recorded).
    """

    started_on: datetime.date | None
    today: datetime.date
    recognised: bool = True
    first_applied: datetime.date | None = None
    own_unit: bool = False
    already: bool = False


def check_adoption(facts: AdoptionFacts) -> list[tuple[str, Problem]]:
    """Check a unit's adoption of an initiative or a good model; return the problems."""
    problems: list[tuple[str, Problem]] = []
    if not facts.recognised:
        problems.append(("", Problem.NOT_RECOGNISED))
    if facts.own_unit:
        problems.append(("unit", Problem.OWN_UNIT))
    if facts.already:
        problems.append(("unit", Problem.ADOPTED_ALREADY))
    if facts.started_on is None:
        problems.append(("started_on", Problem.STARTED_REQUIRED))
    elif facts.started_on > facts.today:
        problems.append(("started_on", Problem.STARTED_IN_FUTURE))
    elif facts.first_applied is not None and facts.started_on < facts.first_applied:
        problems.append(("started_on", Problem.STARTED_BEFORE_APPLICATION))
    return problems


#
# Good models
#


def check_good_model(
    *,
    title: str,
    summary: str,
    contents: Sequence[str],
    unit_count: int,
    unrecognised_initiatives: int = 0,
) -> list[tuple[str, Problem]]:
    """Check a good model's texts, content tags, units and linked initiatives."""
    problems: list[tuple[str, Problem]] = []
    if not title.strip():
        problems.append(("title", Problem.TITLE_REQUIRED))
    if not summary.strip():
        problems.append(("summary", Problem.SUMMARY_REQUIRED))
    if not contents:
        problems.append(("contents", Problem.CONTENT_REQUIRED))
    elif any(code not in MOVEMENT_CONTENTS for code in contents):
        problems.append(("contents", Problem.CONTENT_UNKNOWN))
    if unit_count < 1:
        problems.append(("units", Problem.UNITS_REQUIRED))
    if unrecognised_initiatives:
        problems.append(("initiatives", Problem.INITIATIVE_NOT_RECOGNISED))
    return problems


def may_curate(
    *,
    unit_paths: Iterable[str],
    manage_roots: Sequence[str],
    share_roots: Sequence[str],
) -> bool:
    """Return whether a user may write a good model behind the units at `unit_paths`.

    Every unit must lie in the subtree of a root where the user manages initiatives or shares
    practices; a model with no units is the secretariat's alone.
    """
    roots = [*manage_roots, *share_roots]
    paths = list(unit_paths)
    if not paths:
        return bool(manage_roots)
    return all(any(path.startswith(root) for root in roots) for path in paths)
