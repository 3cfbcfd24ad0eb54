"""Codes of the emulation app: stable strings used in the database, the API and the rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignStatus(models.TextChoices):
    """A campaign's lifecycle, after the law's movement steps (Law 06/2022 Art. 17)."""

    DRAFT = "draft", pgettext_lazy("campaign status", "Draft")
    LAUNCHED = "launched", _("Launched")
    RUNNING = "running", _("Running")
    INTERIM_REVIEW = "interim_review", _("Interim review")
    FINAL_REVIEW = "final_review", _("Final review")
    CLOSED = "closed", pgettext_lazy("campaign status", "Closed")


class ClusterKind(models.TextChoices):
    """Units of comparable function compete in a cluster (cụm) or a block (khối)."""

    CLUSTER = "cluster", _("Cluster (cụm)")
    BLOCK = "block", _("Block (khối)")


class CriterionKind(models.TextChoices):
    """How a criterion scores (the codes of `rules.Kind`)."""

    LINEAR = "linear", _("Linear to the target, with a cap")
    THRESHOLDS = "thresholds", _("Thresholds")
    RANK = "rank", _("Rank within the cluster")
    ASSESSED = "assessed", _("Assessed from evidence")


class Normalisation(models.TextChoices):
    """How a count is made comparable between units (the codes of `rules.Normalisation`)."""

    NONE = "none", _("As measured")
    PER_HEAD = "per_head", _("Per head")
    PER_100 = "per_100", _("Per 100 staff")


class Metric(models.TextChoices):
    """What a criterion measured from data measures, for a unit (subtree) or an officer."""

    HOURS_PER_HEAD = "hours_per_head", _("Learning hours per head")
    TARGET_SHARE = "target_share", _("Share of officers meeting the annual learning target (%)")
    LANGUAGE_OR_DATA_SHARE = (
        "language_or_data_share",
        _("Share with a language level of B1 or above or a data-skills course (%)"),
    )
    CERTIFICATES = "certificates", _("Certificates earned")
    INITIATIVES = "initiatives", _("Initiatives recognised")
    WCO_INSTRUCTORS = "wco_instructors", _("WCO-accredited instructors")
    KPI = "kpi", _("A unit KPI")
    EVIDENCE = "evidence", _("Assessed from evidence")


class Subject(models.TextChoices):
    """Whom a criterion scores."""

    UNITS = "units", _("Units")
    PEOPLE = "people", _("Individuals")
    BOTH = "both", _("Units and individuals")


class RegistrationStatus(models.TextChoices):
    """Where a registration (đăng ký thi đua) stands."""

    DRAFT = "draft", pgettext_lazy("registration status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("registration status", "Submitted")
    APPROVED = "approved", pgettext_lazy("registration status", "Approved")
    RETURNED = "returned", pgettext_lazy("registration status", "Returned")
    NOT_REGISTERED = "not_registered", _("Did not register")


class AssessmentStatus(models.TextChoices):
    """Where a self-assessment of an evidence criterion stands."""

    DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ADJUSTED = "adjusted", _("Adjusted")


class ReviewKind(models.TextChoices):
    """An interim review closes a phase (sơ kết); the final review the campaign (tổng kết)."""

    INTERIM = "interim", _("Interim review (sơ kết)")
    FINAL = "final", _("Final review (tổng kết)")


class PeriodKind(models.TextChoices):
    """The length of a KPI period."""

    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", pgettext_lazy("period", "Year")


class KpiAggregation(models.TextChoices):
    """How a KPI's values over a phase make the one value a criterion scores."""

    SUM = "sum", _("Sum of the periods")
    LATEST = "latest", _("Latest period")
    MEAN = "mean", _("Mean of the periods")
