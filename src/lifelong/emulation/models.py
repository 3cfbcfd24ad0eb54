"""Tables of the emulation app.

A `Campaign` (phong trào thi đua) has dated `Phase`s, weighted `Content`s and, per phase, a
versioned set of weighted `Criterion` rows (`CriteriaVersion`). Units compete inside
`Cluster`s. Units and officers register their commitments (`Registration`); units assess
themselves on evidence criteria (`Assessment`), which the level above accepts or adjusts.
Scores (`Standing`, one row per unit or officer and phase, with each criterion's points and
inputs) are a projection recomputed from data; a `Review` freezes
everything it shows into its snapshot, which nothing later changes.
`KpiIndicator` / `KpiValue` are the indicators units report per period.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lifelong.core.exceptions import ValidationFailed
from lifelong.core.models import StoredFile
from lifelong.emulation.choices import (
    AssessmentStatus,
    CampaignStatus,
    ClusterKind,
    CriterionKind,
    KpiAggregation,
    Metric,
    Normalisation,
    PeriodKind,
    RegistrationStatus,
    ReviewKind,
    Subject,
)
from lifelong.learning.choices import MovementContent
from lifelong.org.models import Person, Unit

#
# Campaigns, phases, contents, clusters
#


class Campaign(models.Model):
    """An emulation campaign (phong trào thi đua) launched by a unit for the units in scope."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    launching_unit = models.ForeignKey(
        Unit, verbose_name=_("launching unit"), on_delete=models.PROTECT, related_name="+"
    )
    scope_units = models.ManyToManyField(
        Unit, verbose_name=_("units in scope"), related_name="emulation_campaigns"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the live scores were last computed, and a digest of the data they were computed
    # from: the background recompute skips a campaign whose inputs have not changed.
    scored_at = models.DateTimeField(null=True, blank=True, editable=False)
    scored_inputs = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["-starts_on", "sort_key"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="emulation_campaign_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """A dated phase of a campaign (e.g. 2024-2025), closed by an interim review."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering: ClassVar = ["campaign", "starts_on"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="emulation_phase_dates"
            ),
            models.UniqueConstraint(fields=["campaign", "starts_on"], name="emulation_phase_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Content(models.Model):
    """A content (nội dung thi đua) of a campaign and its weight in the total (weights sum 100)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contents")
    name = models.CharField(_("name"), max_length=300)
    movement_content = models.CharField(
        _("movement content"), max_length=20, choices=MovementContent.choices, blank=True
    )
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["campaign", "position", "pk"]
        verbose_name = _("content")
        verbose_name_plural = _("contents")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="emulation_content_weight"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """Units of comparable function that compete with each other (cụm, khối thi đua)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=8, choices=ClusterKind.choices, default=ClusterKind.CLUSTER
    )
    units = models.ManyToManyField(Unit, through="ClusterUnit", related_name="+")

    class Meta:
        ordering: ClassVar = ["campaign", "name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name


class ClusterUnit(models.Model):
    """A unit's place in one cluster of a campaign (a unit competes in one cluster only)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="emulation_one_cluster"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}: {self.unit_id}"


#
# Criteria, versioned per phase
#


class CriteriaVersion(models.Model):
    """The criteria of one phase as saved at one moment; the newest version is in force."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["phase", "-number"]
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["phase", "number"], name="emulation_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.phase_id} v{self.number}"


class Criterion(models.Model):
    """A weighted criterion of a content: measured from data or assessed from evidence."""

    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="criteria")
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    subject = models.CharField(
        _("scores"), max_length=8, choices=Subject.choices, default=Subject.UNITS
    )
    metric = models.CharField(_("measure"), max_length=32, choices=Metric.choices)
    kpi = models.ForeignKey(
        "KpiIndicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("scoring"), max_length=12, choices=CriterionKind.choices)
    weight = models.DecimalField(_("weight in the content (%)"), max_digits=5, decimal_places=2)
    target = models.DecimalField(
        _("target for the phase"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cap = models.DecimalField(_("cap (points)"), max_digits=6, decimal_places=2, default=100)
    # Thresholds as [[bound, points], ...] in the rules' order.
    steps = models.JSONField(_("thresholds"), default=list, blank=True)
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    normalisation = models.CharField(
        _("normalisation"), max_length=8, choices=Normalisation.choices, default=Normalisation.NONE
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["version", "content__position", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["version", "code"], name="emulation_criterion_once"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="emulation_criterion_weight"
            ),
            models.CheckConstraint(
                condition=~Q(metric="kpi") | Q(kpi__isnull=False),
                name="emulation_kpi_criterion_names_kpi",
            ),
        ]

    def __str__(self) -> str:
        return self.name


#
# Unit KPIs
#


class KpiIndicator(models.Model):
    """An indicator units report per period (e.g. online public-service dossiers processed)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    measure = models.CharField(_("unit of measure"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    aggregation = models.CharField(
        _("over a phase"), max_length=8, choices=KpiAggregation.choices, default=KpiAggregation.SUM
    )

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name


class KpiValue(models.Model):
    """A unit's value of an indicator for one period, with its source."""

    indicator = models.ForeignKey(KpiIndicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="kpi_values")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["indicator", "unit", "period_start"]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_start"], name="emulation_kpi_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="emulation_kpi_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period_start}: {self.value}"


#
# Registration and self-assessment
#


class Registration(models.Model):
    """A unit's or an officer's commitments for a campaign year; the level above approves."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitments = models.TextField(_("commitments"), blank=True)
    # Targets the registrant commits to, by criterion code: {"hours_per_head": 40, ...}.
    targets = models.JSONField(_("targets"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["campaign", "year", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(person__isnull=True))
                | (Q(unit__isnull=True) & Q(person__isnull=False)),
                name="emulation_registration_of_one",
            ),
            models.UniqueConstraint(
                fields=["campaign", "year", "unit"],
                condition=Q(unit__isnull=False),
                name="emulation_unit_registers_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "year", "person"],
                condition=Q(person__isnull=False),
                name="emulation_person_registers_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.year}: {self.unit_id or self.person_id}"


class Assessment(models.Model):
    """A unit's self-assessment on an evidence criterion, and the reviewing level's verdict."""

    # By the criterion's code in the phase, so an assessment outlives a new criteria version.
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="assessments")
    criterion_code = models.SlugField(_("criterion"), max_length=64)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("self-assessed points"), max_digits=5, decimal_places=2)
    explanation = models.TextField(_("explanation"), blank=True)
    link = models.URLField(_("link to the evidence"), blank=True)
    files = models.ManyToManyField(StoredFile, blank=True, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    reviewed_points = models.DecimalField(
        _("reviewed points"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    review_reason = models.TextField(_("reason for the adjustment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["phase", "criterion_code", "unit"], name="emulation_assess_once"
            ),
            models.CheckConstraint(
                condition=Q(self_points__gte=0) & Q(self_points__lte=100),
                name="emulation_self_points",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_points__isnull=True)
                | (Q(reviewed_points__gte=0) & Q(reviewed_points__lte=100)),
                name="emulation_reviewed_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase_id} {self.criterion_code} {self.unit_id}: {self.self_points}"


#
# Live scores (a projection) and frozen reviews
#


class Standing(models.Model):
    """A unit's or an officer's live total and rank for a phase, with every criterion behind it.

    `detail` maps each criterion code to its score and what it came from:
    {"raw", "value", "points", "rank", "of", "problem", "inputs"} (numbers as JSON numbers);
    the unit page and the API drill down from it.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="standings")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    total = models.DecimalField(max_digits=6, decimal_places=2)
    by_content = models.JSONField(default=dict)
    rank = models.PositiveIntegerField()
    of = models.PositiveIntegerField(default=0)
    detail = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["phase", "cluster", "rank"]
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        indexes: ClassVar = [
            models.Index(fields=["phase", "cluster", "rank"], name="emulation_standing_rank"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["phase", "unit"],
                condition=Q(unit__isnull=False),
                name="emulation_unit_standing_once",
            ),
            models.UniqueConstraint(
                fields=["phase", "person"],
                condition=Q(person__isnull=False),
                name="emulation_person_standing_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase_id} {self.unit_id or self.person_id}: {self.total} #{self.rank}"


class Review(models.Model):
    """An interim (phase) or final (campaign) review, frozen into its snapshot when made.

    The snapshot holds the criteria definitions, every score's inputs, unit and individual
    scores and ranks, and the proposed exemplary collectives and individuals. Nothing written
    later changes it; reopening (the secretariat, with a reason) makes a new version.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=8, choices=ReviewKind.choices)
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["campaign", "-frozen_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "phase", "version"], name="emulation_review_version"
            ),
            models.CheckConstraint(
                condition=(Q(kind="interim") & Q(phase__isnull=False))
                | (Q(kind="final") & Q(phase__isnull=True)),
                name="emulation_review_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind} {self.phase_id} v{self.version}"

    # Once frozen, only the record of its reopening may change.
    REOPENING_FIELDS = frozenset({"superseded_at", "reopen_reason", "reopened_by"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save a new review; refuse any change to a frozen one but its reopening record."""
        fields = kwargs.get("update_fields")
        if self.pk is not None and not (fields and set(fields) <= self.REOPENING_FIELDS):
            raise ValidationFailed(
                gettext("A frozen review cannot be changed: reopen it to make a new version.")
            )
        super().save(*args, **kwargs)
