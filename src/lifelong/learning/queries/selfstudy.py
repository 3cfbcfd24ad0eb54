"""Reads of self-study declarations, every one scoped to the acting user.

An officer always sees their own declarations; a unit head (APPROVE_LEARNING) and the
training office and secretariat (SEE_LEARNING) see those of the officers of their units.
Missing and forbidden are the same NotFound, and a refused attempt is audited.
"""

from django.db.models import Q, QuerySet

from lifelong.core.audit import Action, record_event
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.models import StoredFile
from lifelong.core.text import search_terms
from lifelong.learning.choices import DeclarationStatus
from lifelong.learning.models import SelfStudy, SelfStudyEvidence
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Person

__all__ = [
    "access_declaration",
    "access_evidence",
    "access_own_declaration",
    "access_reviewable",
    "approval_queue",
    "declarations_visible_to",
    "may_review",
    "my_declarations",
    "person_of",
]


def person_of(user: AnyUser) -> Person | None:
    """Return the officer's record of the user's account, if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("unit").first()


def _base() -> QuerySet[SelfStudy]:
    return SelfStudy.objects.select_related("person", "person__unit", "reviewed_by")


def my_declarations(user: AnyUser, *, status: str = "") -> QuerySet[SelfStudy]:
    """Return the user's own declarations, newest learning first."""
    rows = _base().filter(person__user_id=user.pk) if user.is_authenticated else _base().none()
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-learned_on", "-pk")


def _scope(user: AnyUser) -> Q:
    roots = [
        *access.scope_of(user, Capability.SEE_LEARNING),
        *access.scope_of(user, Capability.APPROVE_LEARNING),
    ]
    condition = access.scope_filter(roots, "person__unit__path")
    if user.is_authenticated:
        condition |= Q(person__user_id=user.pk)
    return condition


def declarations_visible_to(
    user: AnyUser, *, status: str = "", query: str = "", unit_path: str = ""
) -> QuerySet[SelfStudy]:
    """Return the declarations the user may see: their own and those of officers in scope.

    `query` matches the officer's name or code without diacritics; `unit_path` keeps one
    unit's subtree.
    """
    if not user.is_authenticated:
        return _base().none()
    rows = _base().filter(_scope(user))
    if status:
        rows = rows.filter(status=status)
    if unit_path:
        rows = rows.filter(access.scope_filter([unit_path], "person__unit__path"))
    for term in search_terms(query)[:8]:
        rows = rows.filter(person__search_text__contains=term)
    return rows.order_by("-learned_on", "-pk")


def access_declaration(user: AnyUser, pk: object) -> SelfStudy:
    """Return a declaration the user may see; otherwise raise NotFound (audited)."""
    rows = declarations_visible_to(user) if user.is_authenticated else SelfStudy.objects.none()
    return get_visible(user, rows, "learning.selfstudy", pk)


def access_own_declaration(user: AnyUser, pk: object) -> SelfStudy:
    """Return one of the user's own declarations; otherwise raise NotFound (audited)."""
    declaration = access_declaration(user, pk)
    if declaration.person.user_id != user.pk:
        raise refuse(user, "learning.selfstudy", pk)
    return declaration


def may_review(user: AnyUser, declaration: SelfStudy) -> bool:
    """Return whether the user may approve, return or correct this declaration.

    A unit head over the officer's unit, and never the officer themself.
    """
    if declaration.person.user_id == user.pk:
        return False
    return access.in_scope(user, Capability.APPROVE_LEARNING, declaration.person.unit)


def access_reviewable(user: AnyUser, pk: object) -> SelfStudy:
    """Return a declaration the user may review; otherwise raise NotFound (audited)."""
    declaration = access_declaration(user, pk)
    if not may_review(user, declaration):
        raise refuse(user, "learning.selfstudy", pk)
    return declaration


def approval_queue(user: AnyUser, *, query: str = "") -> QuerySet[SelfStudy]:
    """Return the submitted declarations the user may approve, oldest submission first.

    The user's own declarations are never in their queue.
    """
    roots = access.scope_of(user, Capability.APPROVE_LEARNING)
    if not roots:
        return _base().none()
    rows = (
        _base()
        .filter(access.scope_filter(roots, "person__unit__path"))
        .filter(status=DeclarationStatus.SUBMITTED)
        .exclude(person__user_id=user.pk or 0)
    )
    for term in search_terms(query)[:8]:
        rows = rows.filter(person__search_text__contains=term)
    return rows.prefetch_related("evidence__file").order_by("updated_at", "pk")


def evidence_of(declaration: SelfStudy) -> list[SelfStudyEvidence]:
    """Return a declaration's evidence files with their stored-file rows."""
    return list(declaration.evidence.select_related("file").order_by("pk"))


def access_evidence(user: AnyUser, declaration_pk: object, evidence_pk: object) -> StoredFile:
    """Return an evidence file the user may download, recording the read (`file.read`).

    The owner, and unit heads, training office and secretariat over the officer's unit.
    """
    declaration = access_declaration(user, declaration_pk)
    evidence = get_visible(
        user,
        SelfStudyEvidence.objects.filter(declaration=declaration).select_related("file"),
        "learning.selfstudyevidence",
        evidence_pk,
    )
    record_event(
        Action.FILE_READ,
        actor=user,
        target=evidence.file,
        data={"declaration": declaration.pk, "officer_code": declaration.person.officer_code},
    )
    return evidence.file
