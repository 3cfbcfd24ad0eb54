"""Organisation: units, job positions, ranks, people, position history, roles, sensitive records."""

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifelong.core.text import fold, name_sort_key, nfc, sort_key
from lifelong.org.choices import (
    DisciplineForm,
    Gender,
    PartyStatus,
    PersonStatus,
    PositionGroup,
    Role,
    SuccessionKind,
    UnitKind,
)

# Each level of a unit's path is its id in this many digits. Digits only, so range queries on
# the path sort the same under every collation of SQLite and PostgreSQL (ADR 0003).
PATH_DIGITS = 8

#
# Units
#


class Unit(models.Model):
    """A unit (đơn vị) of the administration: a node of the unit tree.

    Units carry validity dates; a unit that was merged or split keeps its own history and
    records its successors (`UnitSuccession`), so what happened in it rolls up to them.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The ids of the unit's ancestors and itself, PATH_DIGITS digits each: the subtree of a
    # unit is the range [path, next sibling path), one index scan on both databases.
    path = models.CharField(
        _("tree path"), max_length=255, blank=True, db_index=True, editable=False
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    sort_key = models.CharField(max_length=512, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=512, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_range",
                violation_error_message=_("A unit cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Save with NFC text and current derived columns."""
        self.normalise()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Model.save's own

    def normalise(self) -> None:
        """Store the text NFC and recompute the sort and search columns (before bulk writes)."""
        self.code = nfc(self.code).strip()
        self.name = nfc(self.name).strip()
        self.sort_key = sort_key(self.name)[:512]
        self.search_text = fold(f"{self.name} {self.code}")[:512]

    def is_current(self, on: datetime.date) -> bool:
        """Return whether the unit exists on `on`."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    @staticmethod
    def subtree_range(path: str) -> tuple[str, str]:
        """Return the [low, high) range of paths in the subtree rooted at `path`."""
        return path, str(int(path) + 1).zfill(len(path))


class UnitSuccession(models.Model):
    """A unit's history passing to another: a merge, a split or a reorganisation."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("former unit"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("successor unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(_("decision"), max_length=255, blank=True)

    class Meta:
        ordering: ClassVar = ["effective_on", "id"]
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="org_unitsuccession_once",
                violation_error_message=_("This succession is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="org_unitsuccession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


#
# Positions and ranks
#


class CivilServiceRank(models.Model):
    """A civil-service rank (ngạch công chức), e.g. Kiểm tra viên hải quan."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.PositiveSmallIntegerField(_("level"), default=0)

    class Meta:
        ordering: ClassVar = ["-level", "code"]
        verbose_name = _("civil-service rank")
        verbose_name_plural = _("civil-service ranks")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Store the name in NFC."""
        self.name = nfc(self.name).strip()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Model.save's own


class JobPosition(models.Model):
    """A job position (vị trí việc làm) with its group and the rank it calls for."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    group = models.CharField(_("group"), max_length=16, choices=PositionGroup.choices)
    rank = models.ForeignKey(
        CivilServiceRank,
        verbose_name=_("civil-service rank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )

    class Meta:
        ordering: ClassVar = ["group", "code"]
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Store the name in NFC."""
        self.name = nfc(self.name).strip()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Model.save's own


#
# People
#


class Person(models.Model):
    """An officer (công chức, viên chức, người lao động) of the administration."""

    officer_code = models.CharField(_("officer code"), max_length=32, unique=True)
    family_name = models.CharField(_("family name"), max_length=64)
    middle_name = models.CharField(_("middle name"), max_length=64, blank=True)
    given_name = models.CharField(_("given name"), max_length=64)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    work_email = models.EmailField(_("work e-mail"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    job_position = models.ForeignKey(
        JobPosition,
        verbose_name=_("job position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    rank = models.ForeignKey(
        CivilServiceRank,
        verbose_name=_("civil-service rank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    sort_key = models.CharField(max_length=512, blank=True, editable=False, db_index=True)
    search_text = models.CharField(max_length=512, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["sort_key", "officer_code"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes: ClassVar = [
            models.Index(fields=["unit", "sort_key"], name="org_person_unit_sort"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["work_email"],
                condition=~Q(work_email=""),
                name="org_person_unique_work_email",
                violation_error_message=_("Another person already has this work e-mail."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        """Save with NFC text and current derived columns."""
        self.normalise()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # forwards Model.save's own

    @property
    def full_name(self) -> str:
        """Return the name as Vietnamese writes it: family, middle, given."""
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    def normalise(self) -> None:
        """Store the text NFC and recompute the sort and search columns.

        `save()` calls it; code that writes with `bulk_create` must call it first.
        """
        self.family_name = nfc(self.family_name).strip()
        self.middle_name = nfc(self.middle_name).strip()
        self.given_name = nfc(self.given_name).strip()
        self.officer_code = self.officer_code.strip()
        self.work_email = self.work_email.strip().lower()
        self.sort_key = name_sort_key(self.family_name, self.middle_name, self.given_name)[:512]
        self.search_text = fold(f"{self.full_name} {self.officer_code} {self.work_email}")[:512]


class PositionAssignment(models.Model):
    """A dated entry of a person's position history: which unit and position, from when to when."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    job_position = models.ForeignKey(
        JobPosition,
        verbose_name=_("job position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering: ClassVar = ["person", "-starts_on", "-id"]
        verbose_name = _("position assignment")
        verbose_name_plural = _("position history")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="org_positionassignment_range",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.job_position or '-'} @ {self.unit}"


#
# Roles
#


class RoleGrant(models.Model):
    """A role held by an account over a unit and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="role_grants"
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["user", "role", "unit"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="org_rolegrant_once",
                violation_error_message=_("This account already holds this role on this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.unit}"


#
# Sensitive records (domain-vn.md §6): read only through audited queries
#


class PartyMembership(models.Model):
    """A person's Party membership. Sensitive: political affiliation."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="party_membership"
    )
    status = models.CharField(_("status"), max_length=16, choices=PartyStatus.choices)
    admitted_on = models.DateField(_("admitted on"))
    full_member_on = models.DateField(_("full member on"), null=True, blank=True)
    party_cell = models.CharField(_("Party cell"), max_length=255, blank=True)

    class Meta:
        ordering: ClassVar = ["person"]
        verbose_name = _("Party membership")
        verbose_name_plural = _("Party memberships")

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"


class DisciplineRecord(models.Model):
    """A disciplinary decision about a person. Sensitive."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="discipline"
    )
    form = models.CharField(_("form"), max_length=16, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("decided on"))
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ends_on = models.DateField(_("in effect until"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["person", "-decided_on", "-id"]
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")

    def __str__(self) -> str:
        return f"{self.person} — {self.get_form_display()} ({self.decided_on:%d/%m/%Y})"
