"""Reads of campaign setup: what the setup pages show of a campaign the secretariat manages.

The caller has already checked the user (`scope.may_manage`); these functions only gather the
campaign's phases, contents, clusters and criteria versions, names sorted by `sort_key`, and
say what still stops a campaign from being launched.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lifelong.emulation import rules
from lifelong.emulation.models import (
    Campaign,
    Cluster,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    Phase,
)
from lifelong.org import access
from lifelong.org.models import Unit

__all__ = [
    "ClusterRow",
    "clusters_of",
    "criteria_rows",
    "launch_problems",
    "phases_with_versions",
    "plain",
    "scope_units",
]


def plain(number: Decimal) -> str:
    """Write a decimal without trailing zeros: 90.00 → "90", 12.50 → "12.5"."""
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class ClusterRow:
    """A cluster or block with its member units (sorted by name)."""

    cluster: Cluster
    units: list[Unit]


def scope_units(campaign: Campaign) -> QuerySet[Unit]:
    """Return the current units in the campaign's scope that may compete (down to depth 2)."""
    roots = list(campaign.scope_units.values_list("path", flat=True))
    return Unit.objects.filter(
        access.scope_filter(roots), depth__lte=2, valid_to__isnull=True
    ).order_by("sort_key", "code")


def clusters_of(campaign: Campaign) -> list[ClusterRow]:
    """Return the campaign's clusters and blocks, each with its units sorted by name."""
    members: dict[int, list[Unit]] = {}
    for member in (
        ClusterUnit.objects.filter(campaign=campaign)
        .select_related("unit")
        .order_by("unit__sort_key", "unit__code")
    ):
        members.setdefault(member.cluster_id, []).append(member.unit)
    return [
        ClusterRow(cluster=c, units=members.get(c.pk, []))
        for c in Cluster.objects.filter(campaign=campaign).order_by("kind", "name")
    ]


def phases_with_versions(campaign: Campaign) -> list[tuple[Phase, CriteriaVersion | None]]:
    """Return the phases in date order, each with its newest criteria version (or None)."""
    phases = list(Phase.objects.filter(campaign=campaign).order_by("starts_on"))
    newest: dict[int, CriteriaVersion] = {}
    for version in CriteriaVersion.objects.filter(phase__in=phases).order_by("number"):
        newest[version.phase_id] = version
    return [(p, newest.get(p.pk)) for p in phases]


def criteria_rows(phase: Phase) -> list[dict[str, Any]]:
    """Return the newest version's criteria of `phase` as rows of the criteria editor."""
    version = CriteriaVersion.objects.filter(phase=phase).order_by("-number").first()
    if version is None:
        return []
    return [
        {
            "content": c.content_id,
            "code": c.code,
            "name": c.name,
            "subject": c.subject,
            "metric": c.metric,
            "kpi": c.kpi_id,
            "kind": c.kind,
            "weight": c.weight,
            "target": c.target,
            "cap": c.cap,
            "steps": "; ".join(f"{b:g}:{p:g}" for b, p in c.steps or ()),
            "lower_is_better": c.lower_is_better,
            "normalisation": c.normalisation,
        }
        for c in Criterion.objects.filter(version=version).order_by("position")
    ]


def launch_problems(campaign: Campaign) -> list[str]:
    """Return what stops the campaign from being launched (empty when it is complete).

    Launching needs at least one phase, contents whose weights sum to 100, competing units in
    clusters, and in each phase a criteria version whose criteria weights sum to 100 within
    every content.
    """
    problems: list[str] = []
    phases = list(Phase.objects.filter(campaign=campaign).order_by("starts_on"))
    contents = list(Content.objects.filter(campaign=campaign).order_by("position", "pk"))
    if not phases:
        problems.append(_("Add at least one phase."))
    if not contents or rules.check_weights([c.weight for c in contents]):
        total = sum((c.weight for c in contents), Decimal(0))
        problems.append(
            _("The contents' weights add up to {total}, not 100.").format(total=plain(total))
        )
    if not ClusterUnit.objects.filter(campaign=campaign).exists():
        problems.append(_("Put the competing units in clusters or blocks."))
    for phase, version in phases_with_versions(campaign):
        if version is None:
            problems.append(_("Define the criteria of {phase}.").format(phase=phase.name))
            continue
        weights: dict[int, list[Decimal]] = {}
        for content_id, weight in Criterion.objects.filter(version=version).values_list(
            "content_id", "weight"
        ):
            weights.setdefault(content_id, []).append(weight)
        for content in contents:
            if not weights.get(content.pk) or rules.check_weights(weights[content.pk]):
                total = sum(weights.get(content.pk, []), Decimal(0))
                problems.append(
                    _("In {phase}, the criteria of {content} add up to {total}, not 100.").format(
                        phase=phase.name, content=content.name, total=plain(total)
                    )
                )
    return problems
