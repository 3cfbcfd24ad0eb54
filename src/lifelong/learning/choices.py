"""Codes of the learning app: stable strings used in the database, the API and the ledger.

The ledger's `by_category` and `by_content` keys are these codes; the OpenAPI lists them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MovementContent(models.TextChoices):
    """The five contents of the customs 2024-2030 learning-society plan (product.md)."""

    LAW_POLICY = "law_policy", _("Law and policy")
    DIGITAL_DATA = "digital_data", _("Digital transformation and data")
    JOB_POSITION = "job_position", _("Training tied to job positions")
    INTERNATIONAL = "international", _("International practice and rotation")
    SELF_STUDY = "self_study", _("Self-study and learning culture")


class TrainingCategory(models.TextChoices):
    """The five training areas of Decree 171/2025 (domain-vn.md §3), plus "other"."""

    POLITICAL_THEORY = "political_theory", _("Political theory")
    DEFENCE_SECURITY = "defence_security", _("National defence and security")
    STATE_MANAGEMENT = "state_management", _("State-management knowledge and skills")
    JOB_SKILLS = "job_skills", _("Knowledge and skills of the job position")
    DIGITAL_SKILLS = "digital_skills", _("Science, technology, innovation and digital skills")
    OTHER = "other", pgettext_lazy("training category", "Other")


class Provider(models.TextChoices):
    """Who provides a course."""

    CUSTOMS_SCHOOL = "customs_school", _("Customs school")
    UNIT = "unit", _("Another unit")
    WCO_CLIKC = "wco_clikc", _("WCO CLiKC!")
    EXTERNAL = "external", _("External provider")


class DeliveryMode(models.TextChoices):
    """How a course is delivered."""

    CLASSROOM = "classroom", _("Classroom")
    ELEARNING = "elearning", _("E-learning")
    BLENDED = "blended", _("Blended")
    SEMINAR = "seminar", _("Seminar")
    SELF_STUDY = "self_study", _("Self-study")
    EXTERNAL = "external", pgettext_lazy("delivery mode", "External")


class CourseLevel(models.TextChoices):
    """A course's level."""

    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class ClassStatus(models.TextChoices):
    """Where a class stands."""

    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentSource(models.TextChoices):
    """Who put an officer in a class."""

    SELF = "self", _("Self-enrolled")
    UNIT_HEAD = "unit_head", _("Enrolled by the unit head")
    ASSIGNMENT = "assignment", _("Assigned")
    TRAINING_OFFICE = "training_office", _("Enrolled by the training office")


class EnrolmentStatus(models.TextChoices):
    """Where an enrolment stands."""

    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class InstructorKind(models.TextChoices):
    """An instructor's relation to the administration."""

    IN_HOUSE = "in_house", _("In-house, full-time")
    PART_TIME = "part_time", _("In-house, part-time (kiêm chức)")
    EXTERNAL = "external", pgettext_lazy("instructor kind", "External")


class WcoArea(models.TextChoices):
    """The areas of WCO accreditation."""

    HS = "hs", _("HS classification")
    VALUATION = "valuation", _("Customs valuation")
    ORIGIN = "origin", _("Rules of origin")
    PCA = "pca", _("Post-clearance audit")
    RISK = "risk", _("Risk management")
    OTHER = "other", pgettext_lazy("WCO area", "Other")


class WcoStatus(models.TextChoices):
    """A WCO accreditation's status."""

    PRE_ACCREDITED = "pre_accredited", _("Pre-accredited")
    ACCREDITED = "accredited", _("Accredited")


class StudyMethod(models.TextChoices):
    """How self-study was done."""

    BOOK = "book", _("Book or document")
    ONLINE_COURSE = "online_course", _("Online course")
    SEMINAR = "seminar", pgettext_lazy("study method", "Seminar")
    STUDY_TOUR = "study_tour", _("Study tour")
    OTHER = "other", pgettext_lazy("study method", "Other")


class DeclarationStatus(models.TextChoices):
    """Where a self-study declaration stands."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class CertificateKind(models.TextChoices):
    """Who issued a certificate."""

    ISSUED = "issued", _("Issued by Lifelong")
    EXTERNAL = "external", _("External")


class CertificateField(models.TextChoices):
    """What an external certificate attests, for the emulation criteria that count them."""

    LANGUAGE = "language", _("Foreign language")
    IT = "it", _("IT skills")
    DATA = "data", _("Data skills")
    PROFESSIONAL = "professional", _("Professional")
    OTHER = "other", pgettext_lazy("certificate field", "Other")


class CefrLevel(models.TextChoices):
    """The CEFR levels of a foreign-language certificate."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class CountedVerb(models.TextChoices):
    """The ADL verbs whose statements count in the hours ledger (issue 4, §5)."""

    COMPLETED = "http://adlnet.gov/expapi/verbs/completed", _("completed")
    PASSED = "http://adlnet.gov/expapi/verbs/passed", _("passed")
    ATTENDED = "http://adlnet.gov/expapi/verbs/attended", _("attended")


class HoursSource(models.TextChoices):
    """Where a learning record's hours come from (the ledger's rule, in order)."""

    DURATION = "duration", _("the statement's duration")
    COURSE = "course", _("the course's hours")
    NONE = "none", _("no hours")


class PlanStatus(models.TextChoices):
    """Where a learning plan stands."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting agreement")
    AGREED = "agreed", _("Agreed")
    RETURNED = "returned", _("Returned")


class AssignmentStatus(models.TextChoices):
    """Where an assignment stands."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
