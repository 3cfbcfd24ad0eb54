"""Writes of self-study declarations (issue 4, §4): declare, submit, approve, return, correct.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event. Approval writes the declaration's `completed` statement to the
xAPI store (`learning.xapi`); an edit of an approved declaration voids it. The ledger is
the projection's business: nothing here touches records, claims or ledger years.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.files import store_file
from lifelong.learning import xapi
from lifelong.learning.choices import DeclarationStatus
from lifelong.learning.models import SelfStudy, SelfStudyEvidence
from lifelong.learning.rules import selfstudy as rules
from lifelong.org import access
from lifelong.org.access import AnyUser
from lifelong.org.models import Person
from lifelong.org.rules import Capability

__all__ = [
    "EVIDENCE_KINDS",
    "EVIDENCE_MAX_BYTES",
    "PROBLEM_MESSAGES",
    "DeclarationInput",
    "approve_declaration",
    "correct_declaration",
    "delete_declaration",
    "return_declaration",
    "save_declaration",
    "submit_declaration",
]

EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg"})
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10

PROBLEM_MESSAGES = {
    rules.Problem.HOURS_NOT_POSITIVE: gettext_lazy("Hours must be more than 0."),
    rules.Problem.HOURS_OVER_DAY: gettext_lazy("A day has at most 24 hours."),
    rules.Problem.DAY_OVER_24: gettext_lazy(
        "With your other self-study of that day (approved or awaiting approval), this makes "
        "more than 24 hours."
    ),
    rules.Problem.DATE_IN_FUTURE: gettext_lazy("The date cannot be in the future."),
    rules.Problem.DATE_TOO_EARLY: gettext_lazy("The date cannot be before 01/01/2000."),
    rules.Problem.NOT_ALLOWED: gettext_lazy("This declaration cannot be changed that way now."),
    rules.Problem.REASON_REQUIRED: gettext_lazy("Give the reason for returning it."),
}


@dataclass(frozen=True)
class DeclarationInput:
    """What an officer declares (the evidence files travel separately)."""

    topic: str
    method: str
    learned_on: datetime.date
    hours: Decimal
    category: str
    content: str
    learned: str


#
# Helpers
#


def _refuse(problems: Sequence[tuple[str, rules.Problem]]) -> ValidationFailed:
    fields: dict[str, list[str]] = {}
    for field, problem in problems:
        fields.setdefault(field, []).append(str(PROBLEM_MESSAGES[problem]))
    first = next(iter(fields.values()))[0]
    return ValidationFailed(first, fields=fields)


def _person_of(user: AnyUser) -> Person:
    person = Person.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
    if person is None:
        raise ValidationFailed(_("Your account is not linked to an officer's record."))
    return person


def _other_hours(person: Person, learned_on: datetime.date, exclude: int | None) -> Decimal:
    """Return the person's approved and pending self-study hours on `learned_on`."""
    rows = SelfStudy.objects.filter(
        person=person,
        learned_on=learned_on,
        status__in=[DeclarationStatus.SUBMITTED, DeclarationStatus.APPROVED],
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    total = rows.aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def _check(person: Person, data: DeclarationInput, exclude: int | None) -> None:
    problems = rules.check_declaration(
        hours=data.hours,
        learned_on=data.learned_on,
        today=timezone.localdate(),
        other_hours_that_day=_other_hours(person, data.learned_on, exclude),
    )
    if problems:
        raise _refuse(problems)


def _full_clean(declaration: SelfStudy) -> None:
    try:
        declaration.full_clean(exclude=["person", "reviewed_by"])
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0]
        raise ValidationFailed(first, fields=fields) from None


def _apply(declaration: SelfStudy, data: DeclarationInput) -> None:
    declaration.topic = data.topic.strip()
    declaration.method = data.method
    declaration.learned_on = data.learned_on
    declaration.hours = data.hours
    declaration.category = data.category
    declaration.content = data.content
    declaration.learned = data.learned.strip()


def _snapshot(declaration: SelfStudy) -> dict[str, object]:
    return {
        "topic": declaration.topic,
        "method": declaration.method,
        "learned_on": declaration.learned_on,
        "hours": declaration.hours,
        "category": declaration.category,
        "content": declaration.content,
        "status": declaration.status,
    }


def _locked(declaration: SelfStudy) -> SelfStudy:
    # The row is re-read under a lock: two reviewers (or a reviewer and the officer) acting
    # at once must not both write a statement.
    return (
        SelfStudy.objects.select_for_update().select_related("person__unit").get(pk=declaration.pk)
    )


def _void(declaration: SelfStudy) -> None:
    if declaration.statement_id is None:
        return
    xapi.write(
        [xapi.voiding(declaration.person, declaration.statement_id, timestamp=timezone.now())]
    )
    declaration.statement_id = None


def _write(declaration: SelfStudy) -> None:
    built = xapi.statement(
        person=declaration.person,
        verb_name="completed",
        activity=xapi.activity_iri("self-study", declaration.pk),
        name=declaration.topic[:300],
        timestamp=rules.statement_moment(declaration.learned_on),
        hours=declaration.hours,
        category=declaration.category,
        contents=[declaration.content],
    )
    declaration.statement_id = uuid.UUID(str(xapi.write([built])[0]))


def _may_review(user: AnyUser, declaration: SelfStudy) -> bool:
    reviewer = Person.objects.filter(user_id=user.pk or 0).values_list("pk", flat=True).first()
    return rules.may_review(
        reviewer_person_id=reviewer,
        owner_person_id=declaration.person_id,
        approves_unit=access.in_scope(user, Capability.APPROVE_LEARNING, declaration.person.unit),
    )


def _not_allowed() -> ValidationFailed:
    return ValidationFailed(str(PROBLEM_MESSAGES[rules.Problem.NOT_ALLOWED]))


def _review(
    acting_user: AnyUser, declaration: SelfStudy, action: rules.Action
) -> tuple[SelfStudy, rules.Transition]:
    """Lock a declaration for its reviewer and return what `action` does to it.

    One who may not review it gets NotFound (as for a declaration out of sight); an action
    its status does not allow is refused. Call inside the service's transaction.
    """
    declaration = _locked(declaration)
    if not _may_review(acting_user, declaration):
        raise NotFound(_("Not found."))
    step = rules.transition(rules.Status(declaration.status), action)
    if step is None:
        raise _not_allowed()
    return declaration, step


def _attach(
    declaration: SelfStudy,
    *,
    acting_user: AnyUser,
    uploads: Iterable[UploadedFile],
    remove: Iterable[int],
) -> tuple[list[int], list[int]]:
    uploads, remove = list(uploads), list(remove)
    if not uploads and not remove:
        return [], []
    if not rules.evidence_changeable(rules.Status(declaration.status)):
        raise _not_allowed()
    removed = list(
        SelfStudyEvidence.objects.filter(declaration=declaration, pk__in=remove).values_list(
            "file_id", flat=True
        )
    )
    SelfStudyEvidence.objects.filter(declaration=declaration, pk__in=remove).delete()
    if SelfStudyEvidence.objects.filter(declaration=declaration).count() + len(uploads) > (
        MAX_EVIDENCE_FILES
    ):
        raise ValidationFailed(
            _("At most {n} evidence files per declaration.").format(n=MAX_EVIDENCE_FILES),
            fields={"evidence": [_("Too many files.")]},
        )
    added = []
    for upload in uploads:
        try:
            stored = store_file(
                upload,
                acting_user=acting_user if isinstance(acting_user, User) else None,
                allowed=EVIDENCE_KINDS,
                max_bytes=EVIDENCE_MAX_BYTES,
            )
        except ValidationFailed as exc:
            message = _("{name}: {problem}").format(name=upload.name, problem=exc.message)
            raise ValidationFailed(message, fields={"evidence": [message]}) from None
        SelfStudyEvidence.objects.create(declaration=declaration, file=stored)
        added.append(stored.pk)
    return added, removed


#
# The officer
#


def save_declaration(
    *,
    acting_user: AnyUser,
    data: DeclarationInput,
    submit: bool,
    declaration: SelfStudy | None = None,
    uploads: Iterable[UploadedFile] = (),
    remove_evidence: Iterable[int] = (),
) -> SelfStudy:
    """Create or edit the acting officer's declaration, as a draft or submitted for approval.

    The officer may edit at every stage. Editing an approved declaration voids its statement
    at once: it counts again when it is approved again. Evidence is added and removed here
    too (never while approved). Refused values raise ValidationFailed with per-field
    messages, and nothing is saved then.
    """
    person = _person_of(acting_user)
    action = rules.Action.SUBMIT if submit else rules.Action.SAVE
    with transaction.atomic():
        # One officer's declarations are checked one at a time: the day's 24 hours hold.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if declaration is None:
            current = None
            declaration = SelfStudy(person=person)
            before = None
        else:
            declaration = _locked(declaration)
            if declaration.person_id != person.pk:
                raise NotFound(_("Not found."))
            current = rules.Status(declaration.status)
            before = _snapshot(declaration)
        step = rules.transition(current, action)
        if step is None:
            raise _not_allowed()
        _check(person, data, declaration.pk)
        _apply(declaration, data)
        if step.void_statement:
            _void(declaration)
        declaration.status = step.status
        if step.status is rules.Status.SUBMITTED:
            declaration.return_reason = ""
        _full_clean(declaration)
        declaration.save()
        added, removed = _attach(
            declaration, acting_user=acting_user, uploads=uploads, remove=remove_evidence
        )
        verb = "created" if before is None else "updated"
        record_event(
            f"selfstudy.{'submitted' if submit else verb}",
            actor=acting_user,
            target=declaration,
            before=before,
            after=_snapshot(declaration),
            data={
                "evidence_added": added,
                "evidence_removed": removed,
                "voided": step.void_statement and current is rules.Status.APPROVED,
            },
        )
    return declaration


def submit_declaration(*, acting_user: AnyUser, declaration: SelfStudy) -> SelfStudy:
    """Submit the acting officer's draft or returned declaration for approval as it stands."""
    data = DeclarationInput(
        topic=declaration.topic,
        method=declaration.method,
        learned_on=declaration.learned_on,
        hours=declaration.hours,
        category=declaration.category,
        content=declaration.content,
        learned=declaration.learned,
    )
    if declaration.status not in {DeclarationStatus.DRAFT, DeclarationStatus.RETURNED}:
        raise _not_allowed()
    return save_declaration(
        acting_user=acting_user, data=data, submit=True, declaration=declaration
    )


def delete_declaration(*, acting_user: AnyUser, declaration: SelfStudy) -> None:
    """Delete the acting officer's draft or returned declaration.

    A declaration that once counted (approved, then sent back) has its statement voided, so
    its hours leave the ledger. Submitted and approved declarations cannot be deleted.
    """
    with transaction.atomic():
        locked = _locked(declaration)
        if locked.person.user_id != acting_user.pk:
            raise NotFound(_("Not found."))
        if locked.status not in {DeclarationStatus.DRAFT, DeclarationStatus.RETURNED}:
            raise _not_allowed()
        _void(locked)
        before = _snapshot(locked)
        pk = locked.pk
        locked.delete()
        record_event(
            "selfstudy.deleted",
            actor=acting_user,
            target_type="learning.selfstudy",
            target_id=pk,
            before=before,
        )


#
# The unit head
#


def approve_declaration(*, acting_user: AnyUser, declaration: SelfStudy) -> SelfStudy:
    """Approve a submitted declaration and write its `completed` statement.

    Only a unit head over the officer's unit, never for their own declaration (else
    NotFound, as for a declaration out of sight).
    """
    with transaction.atomic():
        declaration, step = _review(acting_user, declaration, rules.Action.APPROVE)
        declaration.status = step.status
        declaration.reviewed_by_id = acting_user.pk
        declaration.reviewed_at = timezone.now()
        declaration.return_reason = ""
        _write(declaration)
        declaration.save()
        record_event(
            "selfstudy.approved",
            actor=acting_user,
            target=declaration,
            data={"statement_id": str(declaration.statement_id), "hours": declaration.hours},
        )
    return declaration


def return_declaration(*, acting_user: AnyUser, declaration: SelfStudy, reason: str) -> SelfStudy:
    """Return a submitted declaration to the officer with a reason (required)."""
    reason = reason.strip()
    if not reason:
        raise _refuse([("reason", rules.Problem.REASON_REQUIRED)])
    with transaction.atomic():
        declaration, step = _review(acting_user, declaration, rules.Action.RETURN)
        declaration.status = step.status
        declaration.return_reason = reason[:2000]
        declaration.reviewed_by_id = acting_user.pk
        declaration.reviewed_at = timezone.now()
        declaration.save()
        record_event(
            "selfstudy.returned", actor=acting_user, target=declaration, data={"reason": reason}
        )
    return declaration


def correct_declaration(
    *, acting_user: AnyUser, declaration: SelfStudy, data: DeclarationInput
) -> SelfStudy:
    """Correct an approved declaration as its approver: void its statement, write a new one.

    The correction counts at once; the ledger never holds both versions.
    """
    with transaction.atomic():
        declaration, _step = _review(acting_user, declaration, rules.Action.CORRECT)
        _check(declaration.person, data, declaration.pk)
        before = _snapshot(declaration)
        old = declaration.statement_id
        _apply(declaration, data)
        _full_clean(declaration)
        _void(declaration)
        _write(declaration)
        declaration.reviewed_by_id = acting_user.pk
        declaration.reviewed_at = timezone.now()
        declaration.save()
        record_event(
            "selfstudy.corrected",
            actor=acting_user,
            target=declaration,
            before=before,
            after=_snapshot(declaration),
            data={"voided": str(old), "statement_id": str(declaration.statement_id)},
        )
    return declaration


def declaration_input(**values: object) -> DeclarationInput:
    """Build a DeclarationInput from a mapping (a form's or the API's cleaned values)."""
    names = set(DeclarationInput.__dataclass_fields__)
    return DeclarationInput(**{k: v for k, v in values.items() if k in names})  # type: ignore[arg-type]  # checked by the caller's form or schema
