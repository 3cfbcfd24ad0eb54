"""Emulation state for a test's given step: a running campaign over the small organisation.

`campaign(org)` builds a campaign launched by the root for its whole tree, with the phases
2024-2025 and 2026-2030, two contents (60 / 40), a cluster of the two regions and a block of
the HQ department, and a first criteria version in each phase: hours per head (linear to 30
a year, units and people), share with a language level or data skills (thresholds, units),
initiatives per 100 staff (linear to 5, units) and an evidence criterion (units).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lifelong.emulation.choices import CampaignStatus
from lifelong.emulation.models import (
    Campaign,
    Cluster,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    Phase,
)
from tests.factories.org import Org

__all__ = ["DEFAULT_CRITERIA", "Built", "campaign", "criteria_version"]

# Criteria as keyword data: the content by index, then the `Criterion` fields.
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "content": 0,
        "code": "hours",
        "name": "Số giờ học bình quân mỗi người mỗi năm",
        "metric": "hours_per_head",
        "kind": "linear",
        "weight": Decimal(60),
        "target": Decimal(30),
        "subject": "both",
    },
    {
        "content": 0,
        "code": "skills",
        "name": "Tỷ lệ có ngoại ngữ B1 trở lên hoặc kỹ năng dữ liệu",
        "metric": "language_or_data_share",
        "kind": "thresholds",
        "weight": Decimal(40),
        "steps": [[10, 50], [30, 80], [50, 100]],
        "subject": "units",
    },
    {
        "content": 1,
        "code": "initiatives",
        "name": "Sáng kiến được công nhận trên 100 công chức",
        "metric": "initiatives",
        "kind": "linear",
        "weight": Decimal(50),
        "target": Decimal(5),
        "normalisation": "per_100",
        "subject": "units",
    },
    {
        "content": 1,
        "code": "culture",
        "name": "Xây dựng văn hóa học tập tại đơn vị",
        "metric": "evidence",
        "kind": "assessed",
        "weight": Decimal(50),
        "subject": "units",
    },
]


@dataclass
class Built:
    """The campaign and its parts, for the test to use."""

    campaign: Campaign
    phase_1: Phase
    phase_2: Phase
    contents: list[Content]
    cluster: Cluster
    block: Cluster
    versions: dict[int, CriteriaVersion] = field(default_factory=dict)


def criteria_version(
    phase: Phase, contents: list[Content], criteria: list[dict[str, Any]], *, number: int = 1
) -> CriteriaVersion:
    """Save `criteria` (see DEFAULT_CRITERIA) as version `number` of the phase's criteria."""
    version = CriteriaVersion.objects.create(phase=phase, number=number)
    for position, spec in enumerate(criteria):
        Criterion.objects.create(
            version=version,
            content=contents[spec["content"]],
            code=spec["code"],
            name=spec["name"],
            subject=spec.get("subject", "units"),
            metric=spec["metric"],
            kpi=spec.get("kpi"),
            kind=spec["kind"],
            weight=spec["weight"],
            target=spec.get("target"),
            cap=spec.get("cap", Decimal(100)),
            steps=spec.get("steps", []),
            lower_is_better=spec.get("lower_is_better", False),
            normalisation=spec.get("normalisation", "none"),
            position=position,
        )
    return version


def campaign(
    org: Org,
    *,
    criteria: list[dict[str, Any]] | None = None,
    status: str = CampaignStatus.RUNNING,
) -> Built:
    """Build a running campaign over `org` (see the module's notes)."""
    found = Campaign.objects.create(
        name="Thi đua xây dựng xã hội học tập giai đoạn 2024-2030",
        launching_unit=org.root,
        status=status,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2030, 12, 31),
    )
    found.scope_units.set([org.root])
    phase_1 = Phase.objects.create(
        campaign=found,
        name="Giai đoạn 2024-2025",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    phase_2 = Phase.objects.create(
        campaign=found,
        name="Giai đoạn 2026-2030",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2030, 12, 31),
    )
    contents = [
        Content.objects.create(
            campaign=found,
            name="Học tập gắn với vị trí việc làm",
            movement_content="job_position",
            weight=Decimal(60),
            position=0,
        ),
        Content.objects.create(
            campaign=found,
            name="Văn hóa học tập và sáng kiến",
            movement_content="self_study",
            weight=Decimal(40),
            position=1,
        ),
    ]
    cluster = Cluster.objects.create(campaign=found, name="Cụm các chi cục khu vực")
    block = Cluster.objects.create(campaign=found, name="Khối cơ quan", kind="block")
    for member, unit in ((cluster, org.region_1), (cluster, org.region_2), (block, org.hq_dept)):
        ClusterUnit.objects.create(cluster=member, unit=unit, campaign=found)
    built = Built(found, phase_1, phase_2, contents, cluster, block)
    for phase in (phase_1, phase_2):
        built.versions[phase.pk] = criteria_version(
            phase, contents, criteria if criteria is not None else DEFAULT_CRITERIA
        )
    return built
