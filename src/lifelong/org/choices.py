"""Choices of the organisation app (glossary.md names each term once)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """What kind of node a unit is in the administration's tree."""

    ADMINISTRATION = "administration", _("Administration")
    HQ_DEPARTMENT = "hq_department", _("Headquarters department")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial department")
    REGIONAL = "regional", _("Regional sub-department")
    TEAM = "team", _("Team or office")
    TRAINING = "training", _("Training institution")


class SuccessionKind(models.TextChoices):
    """How a unit's history passed to another unit."""

    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed or reorganised as")


class PositionGroup(models.TextChoices):
    """The group of a job position (vị trí việc làm)."""

    LEADERSHIP = "leadership", _("Leadership and management")
    PROFESSIONAL = "professional", _("Professional")
    SUPPORT = "support", _("Support and service")


class Gender(models.TextChoices):
    """Gender as recorded in the personnel file."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class PersonStatus(models.TextChoices):
    """Where an officer stands in employment."""

    ACTIVE = "active", _("Working")
    ON_LEAVE = "on_leave", _("On leave")
    SECONDED = "seconded", _("Seconded")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left the service")


class Role(models.TextChoices):
    """Roles, each granted on a unit subtree; one account may hold several."""

    OFFICER = "officer", _("Officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    TRAINING_OFFICE = "training_office", _("Training office")
    SECRETARIAT = "secretariat", _("Emulation secretariat")
    PIPELINE_COMMITTEE = "pipeline_committee", _("Pipeline committee")
    ADMINISTRATOR = "administrator", _("Administrator")


class PartyStatus(models.TextChoices):
    """Party membership status (sensitive personal data, domain-vn.md §6)."""

    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class DisciplineForm(models.TextChoices):
    """Forms of discipline for civil servants."""

    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DEMOTION = "demotion", _("Demotion")
    REMOVAL = "removal", _("Removal from post")
    DISMISSAL = "dismissal", _("Dismissal")
