"""Campaign setup: campaigns, phases, contents, clusters, criteria versions and the lifecycle."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent
from lifelong.emulation.models import ClusterUnit, CriteriaVersion, Criterion, Standing
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


def draft_with_two_contents(org, secretariat):
    made = setup.create_campaign(
        acting_user=secretariat,
        name="Thi đua học tập 2027",
        description="",
        launching_unit=org.root,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    phase = setup.add_phase(
        acting_user=secretariat,
        campaign=made,
        name="Năm 2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    learning = setup.add_content(
        acting_user=secretariat, campaign=made, name="Học tập", movement_content="", weight=50
    )
    sharing = setup.add_content(
        acting_user=secretariat,
        campaign=made,
        name="Chia sẻ tri thức",
        movement_content="",
        weight=50,
    )
    setup.add_cluster(
        acting_user=secretariat, campaign=made, name="Cụm", kind="cluster", units=[org.region_1]
    )
    return made, phase, learning, sharing


def test_launching_needs_criteria_for_every_content_of_every_phase(org):
    secretariat = account("thuky", ("secretariat", org.root))
    made, phase, learning, sharing = draft_with_two_contents(org, secretariat)
    setup.save_criteria(acting_user=secretariat, phase=phase, rows=[hours(learning.pk)])
    with pytest.raises(ValidationFailed, match="criteria of Chia sẻ tri thức add up to 0"):
        setup.change_status(acting_user=secretariat, campaign=made, status="launched")
    made.refresh_from_db()
    assert made.status == "draft"
    setup.save_criteria(
        acting_user=secretariat,
        phase=phase,
        rows=[hours(learning.pk), hours(sharing.pk, code="hours-shared")],
    )
    assert setup.change_status(acting_user=secretariat, campaign=made, status="launched")


def test_launching_names_the_sum_of_the_contents_weights(org):
    secretariat = account("thuky", ("secretariat", org.root))
    made, _phase, learning, _sharing = draft_with_two_contents(org, secretariat)
    setup.update_content(
        acting_user=secretariat, content=learning, name="Học tập", movement_content="", weight=40
    )
    with pytest.raises(ValidationFailed, match="weights add up to 90, not 100"):
        setup.change_status(acting_user=secretariat, campaign=made, status="launched")


def test_the_lifecycle_moves_one_step_at_a_time_and_is_audited(org):
    built = campaign(org, status="launched")
    secretariat = account("thuky", ("secretariat", org.root))
    for status in ("running", "interim_review", "running", "final_review", "closed"):
        moved = setup.change_status(acting_user=secretariat, campaign=built.campaign, status=status)
        assert moved.status == status
    for status in ("draft", "running", "launched", "bogus"):
        with pytest.raises(ValidationFailed):
            setup.change_status(acting_user=secretariat, campaign=built.campaign, status=status)
    events = AuditEvent.objects.filter(action="emulation.campaign_status_changed")
    assert events.count() == 5


def test_the_campaign_details_change_within_its_phases_and_competing_units(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    details = {
        "acting_user": secretariat,
        "campaign": built.campaign,
        "name": "Thi đua học tập suốt đời 2024-2030",
        "description": "Theo Kế hoạch",
        "launching_unit": org.root,
        "scope_units": [org.root],
        "starts_on": datetime.date(2024, 1, 1),
        "ends_on": datetime.date(2030, 12, 31),
    }
    with pytest.raises(ValidationFailed, match="outside the campaign's dates: Giai đoạn 2026"):
        setup.update_campaign(**details | {"ends_on": datetime.date(2028, 12, 31)})
    with pytest.raises(ValidationFailed, match=r"fall outside the scope: .*khu vực II"):
        setup.update_campaign(**details | {"scope_units": [org.region_1, org.hq_dept]})
    with pytest.raises(ValidationFailed, match="Choose the units in the campaign's scope"):
        setup.update_campaign(**details | {"scope_units": []})
    changed = setup.update_campaign(**details)
    changed.refresh_from_db()
    assert changed.name == "Thi đua học tập suốt đời 2024-2030"
    assert changed.description == "Theo Kế hoạch"


def test_units_in_scope_lie_under_the_launching_unit(org):
    secretariat = account("thuky", ("secretariat", org.root))
    with pytest.raises(ValidationFailed, match="under the launching unit; not: Chi cục"):
        setup.create_campaign(
            acting_user=secretariat,
            name="Thi đua khu vực I",
            description="",
            launching_unit=org.region_1,
            scope_units=[org.region_1, org.region_2],
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
        )


def test_a_cluster_takes_only_units_in_the_scope(org):
    secretariat = account("thuky", ("secretariat", org.root))
    made = setup.create_campaign(
        acting_user=secretariat,
        name="Thi đua khu vực I",
        description="",
        launching_unit=org.root,
        scope_units=[org.region_1],
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    with pytest.raises(
        ValidationFailed, match="Outside the campaign's scope: Chi cục Hải quan khu vực II"
    ):
        setup.add_cluster(
            acting_user=secretariat,
            campaign=made,
            name="Cụm",
            kind="cluster",
            units=[org.region_1, org.region_2],
        )
    assert not made.clusters.exists()


def test_a_cluster_changes_its_units_and_a_unit_stays_in_one_cluster(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    regions, block = built.campaign.clusters.order_by("name")
    with pytest.raises(ValidationFailed, match="Already in another cluster: Ban Quản lý rủi ro"):
        setup.update_cluster(
            acting_user=secretariat,
            cluster=regions,
            name=regions.name,
            kind="cluster",
            units=[org.region_1, org.hq_dept],
        )
    setup.update_cluster(
        acting_user=secretariat, cluster=regions, name="Cụm I", kind="cluster", units=[org.region_1]
    )
    setup.update_cluster(
        acting_user=secretariat,
        cluster=block,
        name=block.name,
        kind="block",
        units=[org.hq_dept, org.region_2],
    )
    members = {
        m.unit.code: m.cluster.name for m in ClusterUnit.objects.select_related("unit", "cluster")
    }
    assert members == {"KV01": "Cụm I", "KV02": block.name, "QLRR": block.name}


def test_phases_and_contents_change_and_leave_only_a_draft(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    with pytest.raises(ValidationFailed, match="overlaps Giai đoạn 2024-2025"):
        setup.update_phase(
            acting_user=secretariat,
            phase=built.phase_2,
            name=built.phase_2.name,
            starts_on=datetime.date(2025, 7, 1),
            ends_on=datetime.date(2030, 12, 31),
        )
    setup.update_phase(
        acting_user=secretariat,
        phase=built.phase_2,
        name="Giai đoạn 2026-2030 (điều chỉnh)",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2030, 6, 30),
    )
    built.phase_2.refresh_from_db()
    assert built.phase_2.ends_on == datetime.date(2030, 6, 30)
    with pytest.raises(ValidationFailed, match="Criteria of Giai đoạn 2024-2025, Giai đoạn 2026"):
        setup.remove_content(acting_user=secretariat, content=built.contents[0])
    setup.remove_phase(acting_user=secretariat, phase=built.phase_2)
    assert list(built.campaign.phases.values_list("name", flat=True)) == ["Giai đoạn 2024-2025"]
    running = campaign(org)
    with pytest.raises(ValidationFailed, match="Only a campaign in draft"):
        setup.remove_phase(acting_user=secretariat, phase=running.phase_2)


def test_saving_criteria_of_a_running_campaign_recomputes_and_touches_it(
    org, django_capture_on_commit_callbacks
):
    built = campaign(org)
    secretariat = account("thuky", ("secretariat", org.root))
    before = built.campaign.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        setup.save_criteria(
            acting_user=secretariat,
            phase=built.phase_1,
            rows=[hours(built.contents[0].pk), hours(built.contents[1].pk, code="hours-2")],
        )
    built.campaign.refresh_from_db()
    assert built.campaign.updated_at > before
    assert Standing.objects.filter(phase=built.phase_1, unit=org.region_1).exists()


def test_saving_criteria_of_a_draft_does_not_recompute(org, django_capture_on_commit_callbacks):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        setup.save_criteria(
            acting_user=secretariat, phase=built.phase_1, rows=[hours(built.contents[0].pk)]
        )
    assert callbacks == []
    assert not Standing.objects.exists()
