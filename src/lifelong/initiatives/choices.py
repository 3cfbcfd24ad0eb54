"""Codes of the initiatives app: stable strings used in the database, the API and the rules.

The recognition levels are the glossary's (`co_so`, `bo`, `toan_quoc`); `rules.LEVELS` keeps
their order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    """The level at which an initiative is recognised (domain-vn.md §4)."""

    CO_SO = "co_so", _("Grassroots level (cơ sở)")
    BO = "bo", _("Ministry level (cấp bộ)")
    TOAN_QUOC = "toan_quoc", _("National level (toàn quốc)")


class CouncilLevel(models.TextChoices):
    """The level of an initiative council: a unit's, or the ministry's."""

    CO_SO = "co_so", _("Unit council (cơ sở)")
    BO = "bo", _("Ministry council (cấp bộ)")


class MemberRole(models.TextChoices):
    """A member's place on a council; the chair and the secretary record votes and decisions."""

    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", pgettext_lazy("council role", "Member")


class InitiativeStatus(models.TextChoices):
    """Where an initiative stands.

    `recognised` stays while a higher level is evaluated; a refusal at a higher level leaves
    the initiative recognised at the level it has.
    """

    DRAFT = "draft", pgettext_lazy("initiative status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("initiative status", "Under evaluation")
    RETURNED = "returned", pgettext_lazy("initiative status", "Returned for changes")
    RECOGNISED = "recognised", pgettext_lazy("initiative status", "Recognised")
    REFUSED = "refused", pgettext_lazy("initiative status", "Not recognised")


class EvaluationStatus(models.TextChoices):
    """The outcome of one council's evaluation of an initiative at one level."""

    OPEN = "open", pgettext_lazy("evaluation status", "Open")
    RETURNED = "returned", pgettext_lazy("evaluation status", "Returned")
    RECOGNISED = "recognised", pgettext_lazy("evaluation status", "Recognised")
    REFUSED = "refused", pgettext_lazy("evaluation status", "Not recognised")


class ApplicationKind(models.TextChoices):
    """Whether the initiative is applied in the work or still trialled (NĐ 13/2012 Art. 3)."""

    APPLIED = "applied", _("Applied")
    TRIALLED = "trialled", _("Trialled")


class Field(models.TextChoices):
    """The area of customs work an initiative improves."""

    PROCEDURES = "procedures", _("Customs procedures and clearance")
    RISK = "risk", _("Risk management")
    CLASSIFICATION = "classification", _("Tariff classification, origin and valuation")
    ENFORCEMENT = "enforcement", _("Anti-smuggling and enforcement")
    POST_CLEARANCE = "post_clearance", _("Post-clearance audit")
    REVENUE = "revenue", _("Revenue and tax administration")
    DIGITAL = "digital", _("Information technology and digital transformation")
    PUBLIC_SERVICE = "public_service", _("Online public services and enterprise support")
    ORGANISATION = "organisation", _("Organisation, personnel and training")
    OTHER = "other", pgettext_lazy("initiative field", "Other")
