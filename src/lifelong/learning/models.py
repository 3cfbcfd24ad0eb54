"""Tables of the learning app.

Catalogue, classes, instructors, self-study, certificates, assignments, plans, and the
projection of the xAPI store (records, claims, yearly ledger).

The projection tables (`LearningRecord`, `LedgerClaim`, `LedgerYear`, `UnknownActor`,
`ActorLink`) are written only by `learning.projection`, the `statements_stored` consumer;
everything else reads them. Dashboards read `LedgerYear`, never the statements.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifelong.core.models import StoredFile
from lifelong.learning.choices import (
    AssignmentStatus,
    CertificateField,
    CertificateKind,
    ClassStatus,
    CourseLevel,
    DeclarationStatus,
    DeliveryMode,
    EnrolmentSource,
    EnrolmentStatus,
    HoursSource,
    InstructorKind,
    MovementContent,
    PlanStatus,
    Provider,
    StudyMethod,
    TrainingCategory,
    WcoArea,
    WcoStatus,
)
from lifelong.org.choices import PositionGroup
from lifelong.org.models import CivilServiceRank, JobPosition, Person, Unit

#
# Catalogue
#


class Topic(models.Model):
    """A subject a course or an instructor covers (e.g. HS classification, data analysis)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    sort_key = models.CharField(max_length=512, blank=True, editable=False, db_index=True)

    class Meta:
        ordering: ClassVar = ["sort_key", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course of the catalogue; its classes run it on dates."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    periods = models.DecimalField(_("periods (tiết)"), max_digits=7, decimal_places=2)
    hours = models.DecimalField(_("clock hours"), max_digits=7, decimal_places=2)
    level = models.CharField(_("level"), max_length=16, choices=CourseLevel.choices)
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    provider_unit = models.ForeignKey(
        Unit,
        verbose_name=_("providing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider_name = models.CharField(_("provider name"), max_length=200, blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=16, choices=DeliveryMode.choices
    )
    category = models.CharField(
        _("training category"), max_length=20, choices=TrainingCategory.choices
    )
    # The movement contents a course serves are `CourseContent` rows (a course may serve several).
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    issues_certificate = models.BooleanField(_("issues a certificate on completion"), default=False)
    certificate_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_key = models.CharField(max_length=512, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=1200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["sort_key", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(periods__gte=0) & Q(hours__gte=0),
                name="learning_course_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CourseContent(models.Model):
    """A movement content a course serves (a course may serve several)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="contents")
    content = models.CharField(
        _("movement content"), max_length=20, choices=MovementContent.choices
    )

    class Meta:
        verbose_name = _("course content")
        verbose_name_plural = _("course contents")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["course", "content"], name="learning_course_content"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["content", "course"], name="learning_content_course")
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.content}"


class CourseActivity(models.Model):
    """An xAPI activity IRI that stands for a course: its own, or an e-learning system's.

    The ledger takes a statement's hours from the course its activity maps to when the
    statement carries no duration.
    """

    iri = models.CharField(_("activity IRI"), max_length=2048)
    iri_hash = models.CharField(max_length=64, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="activities")

    class Meta:
        verbose_name = _("course activity")
        verbose_name_plural = _("course activities")

    def __str__(self) -> str:
        return self.iri


class Programme(models.Model):
    """A programme (learning path): an ordered set of courses."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_key = models.CharField(max_length=512, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=1200, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["sort_key", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgrammeCourse(models.Model):
    """A course's place in a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering: ClassVar = ["programme", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "course"], name="learning_programme_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}#{self.position}"


#
# Instructors
#


class Instructor(models.Model):
    """An instructor: an officer (in-house or part-time) or an external person."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructor",
    )
    # For an external instructor (for an officer, the person's name is used).
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstructorKind.choices)
    topics = models.ManyToManyField(Topic, verbose_name=_("subjects"), blank=True)
    subjects = models.CharField(_("other subjects"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_key = models.CharField(max_length=512, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=1200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["sort_key", "pk"]
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(full_name=""),
                name="learning_instructor_named",
                violation_error_message=_("An external instructor needs a full name."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class WcoAccreditation(models.Model):
    """A WCO accreditation of an instructor in one area."""

    instructor = models.ForeignKey(
        Instructor, on_delete=models.CASCADE, related_name="accreditations"
    )
    area = models.CharField(_("area"), max_length=16, choices=WcoArea.choices)
    status = models.CharField(_("status"), max_length=16, choices=WcoStatus.choices)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["instructor", "area", "-valid_from"]
        verbose_name = _("WCO accreditation")
        verbose_name_plural = _("WCO accreditations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="learning_wco_dates",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.status}"


#
# Classes
#


class CourseClass(models.Model):
    """A class: one run of a course on dates, at a venue or online."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="classes"
    )
    organiser = models.ForeignKey(
        Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    instructors = models.ManyToManyField(
        Instructor, verbose_name=_("instructors"), blank=True, related_name="classes"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-start_date", "code"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="learning_class_dates",
                violation_error_message=_("The class ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="learning_class_capacity",
                violation_error_message=_("The capacity must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ClassSession(models.Model):
    """One session of a class; attendance is taken per session."""

    course_class = models.ForeignKey(CourseClass, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    hours = models.DecimalField(_("clock hours"), max_digits=7, decimal_places=2)
    title = models.CharField(_("title"), max_length=300, blank=True)
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )

    class Meta:
        ordering: ClassVar = ["course_class", "date", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="learning_session_hours",
                violation_error_message=_("A session lasts more than 0 and at most 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_class_id} {self.date:%d/%m/%Y}"


class Enrolment(models.Model):
    """An officer's place in a class (or on its waiting list), with the result."""

    course_class = models.ForeignKey(
        CourseClass, on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    source = models.CharField(_("enrolled by"), max_length=16, choices=EnrolmentSource.choices)
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    # The xAPI registration of this attempt: every statement about it carries this UUID.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["course_class", "person__sort_key"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["course_class", "person"],
                name="learning_enrolment_once",
                violation_error_message=_("This officer is already enrolled in the class."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_class_id}:{self.person_id}"


class Attendance(models.Model):
    """Whether an enrolled officer attended one session; `present` writes a statement."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    statement_id = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="learning_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}"


class InstructorRating(models.Model):
    """A learner's rating of an instructor in a class (1-5)."""

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="ratings")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["instructor", "enrolment"], name="learning_rating_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="learning_rating_range",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instructor_id}: {self.score}"


class EnrolmentStatement(models.Model):
    """A statement Lifelong wrote about an enrolment (attended, passed, completed).

    Kept so a correction knows which of its statements are still live and must be voided,
    without reading the xAPI store (architecture.md: other apps never query statements).
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.UUIDField(unique=True)
    verb = models.CharField(max_length=16)  # attended / passed / completed
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    voided = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["enrolment", "created_at", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["enrolment", "verb", "voided"], name="learning_enrol_stmt_live")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.verb} {self.hours}"


#
# Self-study
#


class SelfStudy(models.Model):
    """An officer's declaration of learning done by any method; approval writes a statement."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="self_studies")
    topic = models.CharField(_("topic"), max_length=300)
    method = models.CharField(_("method"), max_length=16, choices=StudyMethod.choices)
    learned_on = models.DateField(_("date"))
    hours = models.DecimalField(_("clock hours"), max_digits=7, decimal_places=2)
    category = models.CharField(
        _("training category"),
        max_length=20,
        choices=TrainingCategory.choices,
        default=TrainingCategory.OTHER,
    )
    content = models.CharField(
        _("movement content"),
        max_length=20,
        choices=MovementContent.choices,
        default=MovementContent.SELF_STUDY,
    )
    learned = models.TextField(_("what was learned"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.DRAFT,
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The statement that counts this declaration now (voided and replaced on an edit).
    statement_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-learned_on", "-pk"]
        verbose_name = _("self-study declaration")
        verbose_name_plural = _("self-study declarations")
        indexes: ClassVar = [
            models.Index(fields=["status", "person"], name="learning_selfstudy_status")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="learning_selfstudy_hours",
                violation_error_message=_("Hours must be more than 0 and at most 24 a day."),
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class SelfStudyEvidence(models.Model):
    """An evidence file of a self-study declaration (kept by core.files)."""

    declaration = models.ForeignKey(SelfStudy, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.declaration_id}: {self.file_id}"


#
# Certificates
#


class Certificate(models.Model):
    """A certificate: issued by Lifelong on completion (numbered, verifiable) or external."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    field = models.CharField(
        _("field"),
        max_length=16,
        choices=CertificateField.choices,
        default=CertificateField.PROFESSIONAL,
    )
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=200)
    # A CEFR level for a language certificate ("B2"), or the certificate's own level.
    level = models.CharField(_("level"), max_length=32, blank=True)
    number = models.CharField(_("number"), max_length=40, unique=True, null=True, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    evidence = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes: ClassVar = [
            models.Index(fields=["expires_on"], name="learning_certificate_expiry"),
            models.Index(fields=["field", "level"], name="learning_certificate_level"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="learning_certificate_dates",
                violation_error_message=_("The certificate expires before it was issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title


#
# Targets, assignments, plans
#


class AnnualTarget(models.Model):
    """The yearly learning target: an organisation's policy, not a legal minimum.

    No statutory minimum exists since Decree 89/2021 (domain-vn.md §3); the default is 40
    periods (30 clock hours). A row applies to one job-position group (or, blank, to all)
    from `from_year` until `until_year`; the most specific row in force wins.
    """

    position_group = models.CharField(
        _("job-position group"), max_length=16, choices=PositionGroup.choices, blank=True
    )
    from_year = models.PositiveSmallIntegerField(_("from year"))
    until_year = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    hours = models.DecimalField(_("clock hours"), max_digits=7, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["position_group", "-from_year"]
        verbose_name = _("annual learning target")
        verbose_name_plural = _("annual learning targets")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["position_group", "from_year"], name="learning_target_once"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="learning_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position_group or '*'} {self.from_year}: {self.hours}"


class AssignmentRule(models.Model):
    """A rule that assigns a course as mandatory learning to the officers it matches."""

    name = models.CharField(_("name"), max_length=200)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit (with sub-units)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    job_position = models.ForeignKey(
        JobPosition,
        verbose_name=_("job position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank = models.ForeignKey(
        CivilServiceRank,
        verbose_name=_("civil-service rank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_hires_days = models.PositiveSmallIntegerField(
        _("only officers hired within (days)"), null=True, blank=True
    )
    due_days = models.PositiveSmallIntegerField(_("due within (days)"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["name", "pk"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """Mandatory learning assigned to one officer, with its due date."""

    rule = models.ForeignKey(
        AssignmentRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="learning_assignments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["due_date", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes: ClassVar = [
            models.Index(fields=["status", "due_date"], name="learning_assignment_due")
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(status="open"),
                name="learning_assignment_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.course_id} ({self.due_date:%d/%m/%Y})"


class LearningPlan(models.Model):
    """An officer's yearly learning plan, agreed by the unit head."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="learning_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    target_hours = models.DecimalField(_("target (clock hours)"), max_digits=7, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-year"]
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "year"], name="learning_plan_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"


class PlanItem(models.Model):
    """A planned course or a planned piece of self-study within a learning plan."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("self-study planned"), max_length=300, blank=True)
    planned_hours = models.DecimalField(_("planned clock hours"), max_digits=7, decimal_places=2)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["plan", "quarter", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(course__isnull=False) | ~Q(description=""),
                name="learning_plan_item_named",
                violation_error_message=_("Choose a course or describe the self-study."),
            ),
        ]

    def __str__(self) -> str:
        return self.description or str(self.course_id)


#
# Projection of the xAPI store (written only by learning.projection)
#


class UnknownActor(models.Model):
    """An xAPI actor that matched no officer; an administrator matches it to a person."""

    ifi = models.CharField(max_length=512, unique=True)
    name = models.CharField(_("name sent"), max_length=300, blank=True)
    actor = models.JSONField(_("actor as sent"))
    first_seen = models.DateTimeField(auto_now_add=True)
    statement_count = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-first_seen", "pk"]
        verbose_name = _("unknown actor")
        verbose_name_plural = _("unknown actors")

    def __str__(self) -> str:
        return self.name or self.ifi


class LearningRecord(models.Model):
    """One counted statement (completed, passed or attended) of an officer or unknown actor."""

    # Unique by `seq`, the statement's number in the store (as unique as its id): that
    # index grows at its end, where an index of random ids takes a random leaf per record.
    statement_id = models.UUIDField()
    seq = models.BigIntegerField(unique=True)
    # No index of its own on the foreign keys that lead the composite indexes below (person
    # here and in the claims and years): those answer every lookup by person, and each extra
    # index is one more B-tree written for every record the projection inserts.
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_records",
        db_index=False,
    )
    actor_ifi = models.CharField(max_length=512)
    verb = models.CharField(max_length=16)  # completed / passed / attended
    activity_iri = models.CharField(max_length=2048)
    activity_name = models.CharField(max_length=300, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    # sha256(activity IRI + registration): one claim per officer and key (largest wins).
    claim_key = models.CharField(max_length=64)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hours = models.DecimalField(null=True, blank=True, max_digits=7, decimal_places=2)
    hours_source = models.CharField(max_length=8, choices=HoursSource.choices)
    category = models.CharField(max_length=20, choices=TrainingCategory.choices)
    contents = models.CharField(max_length=200, blank=True)  # content codes, comma-separated
    occurred_at = models.DateTimeField()
    year = models.PositiveSmallIntegerField()
    voided = models.BooleanField(default=False)
    authority = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-occurred_at", "-seq"]
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        # Partial indexes: an officer's records are looked up by person (years, claims), an
        # unknown actor's by IFI (`match_actor`), never the other way round. So a record
        # is in one of them only: fewer B-tree pages written for each record the
        # projection inserts (each index is a random leaf page per record).
        indexes: ClassVar = [
            models.Index(
                fields=["person", "year"],
                name="learning_record_person_year",
                condition=Q(person__isnull=False),
            ),
            models.Index(
                fields=["person", "claim_key"],
                name="learning_record_claim",
                condition=Q(person__isnull=False),
            ),
            models.Index(
                fields=["actor_ifi"],
                name="learning_record_actor",
                condition=Q(person__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class LedgerClaim(models.Model):
    """The hours that count for one officer, activity and registration: the largest claim."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", db_index=False
    )  # learning_claim_once leads with it
    claim_key = models.CharField(max_length=64)
    record = models.ForeignKey(LearningRecord, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    hours = models.DecimalField(null=True, blank=True, max_digits=7, decimal_places=2)
    category = models.CharField(max_length=20, choices=TrainingCategory.choices)
    # Movement content codes the hours count for, comma-separated (a course may serve several).
    contents = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "claim_key"], name="learning_claim_once"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["person", "year"], name="learning_claim_person_year")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.claim_key[:8]}"


class LedgerYear(models.Model):
    """One officer's hours in one year: the summary every dashboard reads."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ledger_years", db_index=False
    )  # learning_ledger_once leads with it
    year = models.PositiveSmallIntegerField()
    hours_total = models.DecimalField(max_digits=7, decimal_places=2)
    by_category = models.JSONField(default=dict)
    by_content = models.JSONField(default=dict)
    no_hours = models.PositiveIntegerField(default=0)  # counted records without hours
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "year"], name="learning_ledger_once"),
        ]
        indexes: ClassVar = [models.Index(fields=["year", "person"], name="learning_ledger_year")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.hours_total}"


class ActorLink(models.Model):
    """An xAPI actor identifier (IFI) known to stand for an officer.

    Filled by the projection for an officer's account and work e-mail as they are seen, and
    by an administrator who matches an unknown actor.
    """

    ifi = models.CharField(max_length=512, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.ifi
