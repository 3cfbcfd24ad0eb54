"""Campaign setup: campaigns, phases, contents, clusters, criteria versions and the lifecycle."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.emulation.models import CriteriaVersion, Criterion, Standing
from lifelong.emulation.services import setup
from lifelong.emulation.services.setup import CriterionInput
from tests.factories.emulation import campaign
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def hours(content_id: int, **changes) -> CriterionInput:
    values = {
        "content_id": content_id,
        "code": "hours",
        "name": "Số giờ học bình quân",
        "subject": "both",
        "metric": "hours_per_head",
        "kind": "linear",
        "weight": Decimal(100),
        "target": Decimal(30),
    }
    return CriterionInput(**(values | changes))


def test_a_draft_campaign_is_set_up_and_launched_only_when_complete(org):
    secretariat = account("thuky", ("secretariat", org.root))
    made = setup.create_campaign(
        acting_user=secretariat,
        name="Thi đua học tập 2027",
        description="",
        launching_unit=org.root,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    with pytest.raises(ValidationFailed, match="Add at least one phase"):
        setup.change_status(acting_user=secretariat, campaign=made, status="launched")
    phase = setup.add_phase(
        acting_user=secretariat,
        campaign=made,
        name="Năm 2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    content = setup.add_content(
        acting_user=secretariat, campaign=made, name="Học tập", movement_content="", weight=100
    )
    setup.add_cluster(
        acting_user=secretariat,
        campaign=made,
        name="Cụm khu vực",
        kind="cluster",
        units=[org.region_1, org.region_2],
    )
    setup.save_criteria(acting_user=secretariat, phase=phase, rows=[hours(content.pk)])
    launched = setup.change_status(acting_user=secretariat, campaign=made, status="launched")
    assert launched.status == "launched"
    with pytest.raises(ValidationFailed, match="cannot become"):
        setup.change_status(acting_user=secretariat, campaign=made, status="closed")


def test_phases_stay_inside_the_campaign_and_do_not_overlap(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    with pytest.raises(ValidationFailed, match="overlaps Giai đoạn 2024-2025"):
        setup.add_phase(
            acting_user=secretariat,
            campaign=built.campaign,
            name="Trùng",
            starts_on=datetime.date(2025, 6, 1),
            ends_on=datetime.date(2025, 7, 1),
        )
    with pytest.raises(ValidationFailed, match="inside the campaign"):
        setup.add_phase(
            acting_user=secretariat,
            campaign=built.campaign,
            name="Sau",
            starts_on=datetime.date(2031, 1, 1),
            ends_on=datetime.date(2031, 2, 1),
        )


def test_a_unit_competes_in_one_cluster_only(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    with pytest.raises(ValidationFailed, match="Already in another cluster"):
        setup.add_cluster(
            acting_user=secretariat,
            campaign=built.campaign,
            name="Khác",
            kind="block",
            units=[org.region_1],
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight": Decimal(60)}, "add up to 60, not 100"),
        ({"target": Decimal(0)}, "The target must be more than 0"),
        ({"metric": "satisfaction"}, "The measure satisfaction does not exist"),
        ({"metric": "kpi", "subject": "units"}, "names an existing KPI"),
        ({"normalisation": "per_100"}, "Only counts are normalised"),
        ({"metric": "evidence", "kind": "assessed"}, "Individuals cannot be scored"),
        ({"kind": "thresholds", "steps": "10:50; 5:80"}, "lowest bound to the highest"),
        ({"kind": "thresholds", "steps": "mười:50"}, "bound:points pairs"),
    ],
)
def test_bad_criteria_are_refused_with_a_clear_message_and_nothing_is_saved(org, changes, message):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    rows = [hours(built.contents[0].pk, **changes)]
    with pytest.raises(ValidationFailed, match=message):
        setup.save_criteria(acting_user=secretariat, phase=built.phase_1, rows=rows)
    assert CriteriaVersion.objects.filter(phase=built.phase_1).count() == 1


def test_duplicate_codes_are_refused(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    rows = [
        hours(built.contents[0].pk, weight=Decimal(50)),
        hours(built.contents[0].pk, weight=Decimal(50)),
    ]
    with pytest.raises(ValidationFailed, match="used twice"):
        setup.save_criteria(acting_user=secretariat, phase=built.phase_1, rows=rows)


def test_saving_makes_a_new_version_and_keeps_the_old_one(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    version = setup.save_criteria(
        acting_user=secretariat,
        phase=built.phase_1,
        rows=[hours(built.contents[0].pk, target=Decimal(40))],
        note="Nâng chỉ tiêu giờ học",
    )
    assert version.number == 2
    assert Criterion.objects.filter(version__phase=built.phase_1).count() == 5
    assert Criterion.objects.get(version=version).target == Decimal(40)


def test_the_preview_computes_scores_without_writing(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    person(org.team_1)
    scores = setup.preview_criteria(
        acting_user=secretariat, phase=built.phase_2, rows=[hours(built.contents[0].pk)]
    )
    assert set(scores.units) == {org.region_1.pk, org.region_2.pk, org.hq_dept.pk}
    assert not Standing.objects.exists()
    assert CriteriaVersion.objects.filter(phase=built.phase_2).count() == 1


def test_only_the_secretariat_over_the_launching_unit_configures(org):
    built = campaign(org)
    head = account("truongkv1", ("unit_head", org.region_1))
    with pytest.raises(NotFound):
        setup.save_criteria(
            acting_user=head, phase=built.phase_1, rows=[hours(built.contents[0].pk)]
        )
    with pytest.raises(NotFound):
        setup.create_campaign(
            acting_user=head,
            name="Không được",
            description="",
            launching_unit=org.region_1,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
        )
