"""Learning facts over a period: hours, years meeting the target, skills, certificates, WCO."""

import datetime

import pytest

from lifelong.learning.models import AnnualTarget, Certificate, LedgerYear, WcoAccreditation
from lifelong.learning.queries.facts import learning_facts
from tests.factories.learning_catalogue import instructor
from tests.factories.org import person

pytestmark = pytest.mark.django_db

PHASE_1 = (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))


def _certificate(who, field, level="", *, on=datetime.date(2025, 3, 1), revoked=False):
    return Certificate.objects.create(
        person=who,
        kind="external",
        field=field,
        title="Chứng chỉ",
        issuer="Trung tâm ngoại ngữ",
        level=level,
        issued_on=on,
        revoked_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC) if revoked else None,
    )


def test_hours_and_years_meeting_the_target_add_up_over_the_phase(org):
    # given: 30 hours is the target; 35 in 2024, 20 in 2025, and 50 in 2026 (another phase)
    AnnualTarget.objects.create(from_year=2024, hours=30, source="Kế hoạch 2024")
    an = person(org.team_1, "Nguyễn", "Văn", "An")
    for year, hours in ((2024, 35), (2025, 20), (2026, 50)):
        LedgerYear.objects.create(person=an, year=year, hours_total=hours)
    # when
    facts = learning_facts(*PHASE_1)[an.pk]
    # then
    assert facts.hours == 55
    assert (facts.years, facts.years_meeting_target) == (2, 1)


def test_an_officer_without_learning_has_zero_facts(org):
    # given
    binh = person(org.team_2, "Trần", "Thị", "Bình")
    # when
    facts = learning_facts(*PHASE_1)[binh.pk]
    # then
    assert (facts.hours, facts.years_meeting_target, facts.certificates) == (0, 0, 0)
    assert facts.language_b1_or_data is False
    assert facts.wco_instructor is False


def test_language_b1_or_a_data_certificate_counts_but_a2_or_revoked_do_not(org):
    # given
    b1 = person(org.team_1, "Lê", "Văn", "Cường")
    data = person(org.team_1, "Phạm", "Thị", "Dung")
    a2 = person(org.team_1, "Hoàng", "Văn", "Em")
    revoked = person(org.team_1, "Vũ", "Thị", "Giang")
    _certificate(b1, "language", "B1")
    _certificate(data, "data")
    _certificate(a2, "language", "A2")
    _certificate(revoked, "language", "C1", revoked=True)
    # when
    facts = learning_facts(*PHASE_1)
    # then
    assert [facts[p.pk].language_b1_or_data for p in (b1, data, a2, revoked)] == [
        True,
        True,
        False,
        False,
    ]


def test_certificates_count_only_inside_the_period(org):
    # given
    who = person(org.team_1, "Đỗ", "Văn", "Hải")
    _certificate(who, "professional", on=datetime.date(2023, 12, 31))
    _certificate(who, "professional", on=datetime.date(2024, 1, 1))
    _certificate(who, "it", on=datetime.date(2025, 12, 31))
    # when / then
    assert learning_facts(*PHASE_1)[who.pk].certificates == 2


def test_an_instructor_with_a_wco_accreditation_in_force_at_the_end_counts(org):
    # given
    lasting = person(org.team_1, "Bùi", "Văn", "Khoa")
    lapsed = person(org.team_1, "Ngô", "Thị", "Lan")
    for who, until in ((lasting, None), (lapsed, datetime.date(2025, 6, 30))):
        WcoAccreditation.objects.create(
            instructor=instructor(who),
            area="hs",
            status="accredited",
            valid_from=datetime.date(2023, 1, 1),
            valid_until=until,
        )
    # when
    facts = learning_facts(*PHASE_1, person_ids=[lasting.pk, lapsed.pk])
    # then
    assert facts[lasting.pk].wco_instructor is True
    assert facts[lapsed.pk].wco_instructor is False
    assert set(facts) == {lasting.pk, lapsed.pk}
