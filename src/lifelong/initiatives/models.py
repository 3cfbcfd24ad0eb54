"""Tables of the initiatives app.

An `Initiative` is written by its authors (shares summing to 100%), submitted, and evaluated
by councils: one `Evaluation` per council and level, with each member's `EvaluationScore`,
the council's vote and, at the end, a `Recognition` (decision number and date) or a refusal.
Recognitions keep the initiative's history of levels. Units register the initiatives and
good models they apply as an `Adoption`; `GoodModel` is the library of good models and
effective practices.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifelong.core.models import StoredFile
from lifelong.initiatives.choices import (
    ApplicationKind,
    CouncilLevel,
    EvaluationStatus,
    Field,
    InitiativeStatus,
    Level,
    MemberRole,
)
from lifelong.learning.choices import MovementContent
from lifelong.org.models import Person, Unit

#
# Councils and the rules they apply
#


class EvaluationPolicy(models.Model):
    """How a council scores and decides, in force over a period (settings, domain-vn.md §4).

    Decree 13/2012 Art. 3 gives the conditions (new within the unit, applied or trialled with
    practical benefit, not excluded); the points and thresholds are the agency's practice [P],
    so they are rows here, each with its source and dates. The row in force on the day an
    evaluation opens is the one it keeps.
    """

    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    novelty_max = models.PositiveSmallIntegerField(_("points for novelty"), default=30)
    application_max = models.PositiveSmallIntegerField(
        _("points for application or trial"), default=30
    )
    benefit_max = models.PositiveSmallIntegerField(_("points for practical benefit"), default=40)
    pass_score = models.PositiveSmallIntegerField(
        _("average total needed"),
        default=50,
        help_text=_("The members' average total must reach this to recognise the initiative."),
    )
    quorum_pct = models.PositiveSmallIntegerField(
        _("members who must score (%)"),
        default=50,
        help_text=_("More than this share of the members must have scored."),
    )
    vote_threshold_pct = models.PositiveSmallIntegerField(
        _("votes in favour needed (%)"),
        default=50,
        help_text=_("More than this share of all members must vote in favour."),
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering: ClassVar = ["-effective_from"]
        verbose_name = _("evaluation policy")
        verbose_name_plural = _("evaluation policies")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["effective_from"], name="initiatives_policy_from_once"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="initiatives_policy_dates",
            ),
            models.CheckConstraint(
                condition=Q(novelty_max__gt=0) & Q(application_max__gt=0) & Q(benefit_max__gt=0),
                name="initiatives_policy_points",
            ),
            models.CheckConstraint(
                condition=Q(quorum_pct__lte=100) & Q(vote_threshold_pct__lt=100),
                name="initiatives_policy_pct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y}: {self.source}"

    @property
    def max_total(self) -> int:
        """The most points an initiative can get from one member."""
        return self.novelty_max + self.application_max + self.benefit_max


class Council(models.Model):
    """An initiative council (Hội đồng sáng kiến) of a unit or of the ministry.

    A unit council evaluates the initiatives of its unit's subtree at cơ sở level; a ministry
    council evaluates at cấp bộ and toàn quốc levels.
    """

    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=8, choices=CouncilLevel.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiative_councils"
    )
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["level", "name"]
        verbose_name = _("initiative council")
        verbose_name_plural = _("initiative councils")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="initiatives_council_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A person sitting on a council; members score, the chair and secretary decide."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    class Meta:
        ordering: ClassVar = ["council", "role", "person__sort_key"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["council", "person"], name="initiatives_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id}: {self.person_id} ({self.role})"


#
# Initiatives
#


class Initiative(models.Model):
    """An initiative or solution (sáng kiến, giải pháp) and where it stands."""

    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives"
    )
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    content = models.CharField(
        _("movement content"), max_length=20, choices=MovementContent.choices, blank=True
    )
    problem = models.TextField(_("the problem"), blank=True)
    solution = models.TextField(_("the solution"), blank=True)
    novelty = models.TextField(_("what is new"), blank=True)
    application_kind = models.CharField(
        _("applied or trialled"),
        max_length=8,
        choices=ApplicationKind.choices,
        default=ApplicationKind.APPLIED,
    )
    applied_from = models.DateField(_("applied or trialled since"), null=True, blank=True)
    effect = models.TextField(_("measured effect"), blank=True)
    figures = models.TextField(_("benefits in figures"), blank=True)
    scope = models.TextField(_("where it can apply"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.DRAFT,
    )
    # The highest level recognised so far, and the date of that decision.
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Folded title and texts, for the diacritic-insensitive search (core.text.fold).
    search_text = models.TextField(blank=True, editable=False)
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-recognised_on", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes: ClassVar = [
            models.Index(fields=["status", "unit"], name="initiatives_status_unit"),
            models.Index(fields=["level", "recognised_on"], name="initiatives_level_date"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(level="") | Q(recognised_on__isnull=False),
                name="initiatives_level_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InitiativeAuthor(models.Model):
    """An author of an initiative and their share of the contribution (%)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.PROTECT, related_name="initiatives"
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["initiative", "position", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["initiative", "person"], name="initiatives_author_once"
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="initiatives_author_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.person_id} {self.share}%"


class InitiativeAttachment(models.Model):
    """A file attached to an initiative (kept by core.files, served through a checked view)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.file_id}"


class Evaluation(models.Model):
    """One council's evaluation of an initiative for recognition at one level."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="evaluations")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="evaluations")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    policy = models.ForeignKey(EvaluationPolicy, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPEN,
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(_("votes in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    voted_on = models.DateField(_("vote date"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-opened_at", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes: ClassVar = [
            models.Index(fields=["council", "status"], name="initiatives_eval_queue"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(status="open"),
                name="initiatives_one_open_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} @ {self.level} ({self.status})"


class EvaluationScore(models.Model):
    """A council member's points on each criterion of Decree 13/2012, with comments."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="scores")
    novelty = models.PositiveSmallIntegerField(_("novelty within the unit"))
    application = models.PositiveSmallIntegerField(_("applied or trialled"))
    benefit = models.PositiveSmallIntegerField(_("practical benefit"))
    excluded = models.BooleanField(
        _("excluded"),
        default=False,
        help_text=_(
            "Contrary to public order or morality, or already protected as intellectual property."
        ),
    )
    comment = models.TextField(_("comments"), blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["evaluation", "member"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="initiatives_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.member_id}"


class Recognition(models.Model):
    """A decision recognising an initiative at a level: its history of levels."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="recognitions"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    authority = models.CharField(_("recognised by"), max_length=300)
    evaluation = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="recognition"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["initiative", "decision_date"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        indexes: ClassVar = [
            models.Index(fields=["level", "decision_date"], name="initiatives_recog_level"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["initiative", "level"], name="initiatives_recognised_once_per_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} @ {self.level}: {self.decision_number}"


#
# Good models and replication
#


class GoodModel(models.Model):
    """A good model or effective practice (mô hình hay, cách làm hiệu quả) of the library."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    description = models.TextField(_("how it works"), blank=True)
    results = models.TextField(_("results achieved"), blank=True)
    units = models.ManyToManyField(
        Unit, verbose_name=_("units behind it"), related_name="good_models"
    )
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives behind it"), related_name="good_models", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.TextField(blank=True, editable=False)
    sort_key = models.CharField(max_length=1024, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["sort_key", "pk"]
        verbose_name = _("good model")
        verbose_name_plural = _("good models")

    def __str__(self) -> str:
        return self.title


class GoodModelContent(models.Model):
    """A tag of a good model: one of the movement's five contents."""

    good_model = models.ForeignKey(GoodModel, on_delete=models.CASCADE, related_name="contents")
    content = models.CharField(_("content"), max_length=20, choices=MovementContent.choices)

    class Meta:
        ordering: ClassVar = ["good_model", "content"]
        verbose_name = _("content tag")
        verbose_name_plural = _("content tags")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["good_model", "content"], name="initiatives_model_content_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.good_model_id}: {self.content}"


class Adoption(models.Model):
    """A unit applying an initiative or adopting a good model, and the results it reports."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="adoptions"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="adoptions"
    )
    good_model = models.ForeignKey(
        GoodModel, null=True, blank=True, on_delete=models.CASCADE, related_name="adoptions"
    )
    started_on = models.DateField(_("applied since"))
    results = models.TextField(_("results reported"), blank=True)
    figures = models.TextField(_("results in figures"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-started_on", "-pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(initiative__isnull=False) & Q(good_model__isnull=True))
                | (Q(initiative__isnull=True) & Q(good_model__isnull=False)),
                name="initiatives_adoption_of_one",
            ),
            models.UniqueConstraint(
                fields=["unit", "initiative"],
                condition=Q(initiative__isnull=False),
                name="initiatives_adopt_initiative_once",
            ),
            models.UniqueConstraint(
                fields=["unit", "good_model"],
                condition=Q(good_model__isnull=False),
                name="initiatives_adopt_model_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.initiative_id or self.good_model_id}"
