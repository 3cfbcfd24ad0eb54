"""Writes of the submission area: an initiative written, edited, submitted, deleted; its files.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event (storing a file records its own `file.stored`). A refusal raises
ValidationFailed naming the fields it concerns, and nothing is saved then.

- Authors come as (officer code, share %) pairs; whoever writes is one of them
  (`rules.check_shares`). An unknown code is an author outside the organisation.
- A draft needs a title; a submission the whole case (`rules.check_submission`).
- Only a draft or a returned initiative is edited or submitted (`rules.transition`); a
  submitted, recognised or refused one is the council's record and stays as it is.
- Submitting opens the evaluation at cơ sở level by the council in office over the unit
  (`services.evaluation.open_evaluation`) in the same transaction: when no council covers the
  unit, the submission is refused and the initiative stays as it was.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.files import store_file
from lifelong.core.text import nfc
from lifelong.initiatives import rules
from lifelong.initiatives.choices import InitiativeStatus, Level
from lifelong.initiatives.models import Initiative, InitiativeAttachment, InitiativeAuthor
from lifelong.initiatives.queries.scope import is_author
from lifelong.initiatives.rules import Problem
from lifelong.initiatives.services import common
from lifelong.initiatives.services.common import PROBLEM_MESSAGES, person_of
from lifelong.initiatives.services.evaluation import open_evaluation
from lifelong.org.access import AnyUser
from lifelong.org.models import Person, Unit

__all__ = [
    "InitiativeInput",
    "add_attachments",
    "create_initiative",
    "delete_initiative",
    "edit_refusal",
    "initiative_input",
    "remove_attachments",
    "submit_initiative",
    "update_initiative",
]

# The texts an initiative carries besides its title (stored NFC, searched folded).
TEXT_FIELDS = ("problem", "solution", "novelty", "effect", "figures", "scope")


@dataclass(frozen=True)
class InitiativeInput:
    """What the authors write (attachments travel separately).

    `authors` are (officer code, share %) pairs in the order they are named; `unit_id` None
    means the writer's own unit.
    """

    title: str
    field: str
    authors: Sequence[tuple[str, Decimal]]
    unit_id: int | None = None
    content: str = ""
    problem: str = ""
    solution: str = ""
    novelty: str = ""
    application_kind: str = "applied"
    applied_from: datetime.date | None = None
    effect: str = ""
    figures: str = ""
    scope: str = ""


def initiative_input(**values: Any) -> InitiativeInput:
    """Build an InitiativeInput from a mapping (a form's or the API's cleaned values)."""
    names = set(InitiativeInput.__dataclass_fields__)
    kept = {k: v for k, v in values.items() if k in names}
    kept["authors"] = tuple((str(code), Decimal(share)) for code, share in kept["authors"])
    for name in ("content", *TEXT_FIELDS):
        kept[name] = kept.get(name) or ""
    return InitiativeInput(**kept)


#
# Refusals
#


def edit_refusal(status: str) -> ValidationFailed:
    """Return the refusal of changing an initiative in `status`, saying why in words."""
    messages = {
        InitiativeStatus.SUBMITTED: _(
            "This initiative is being evaluated and cannot be changed; the council can "
            "return it to you for changes."
        ),
        InitiativeStatus.RECOGNISED: _(
            "This initiative has been recognised and can no longer be changed: it stays as "
            "the council recognised it."
        ),
        InitiativeStatus.REFUSED: _(
            "This initiative was not recognised and can no longer be changed; write a new "
            "one instead."
        ),
    }
    message = messages.get(InitiativeStatus(status), str(PROBLEM_MESSAGES[Problem.NOT_ALLOWED]))
    return ValidationFailed(message, fields={"__all__": [message]})


def _failed(problems: Sequence[tuple[str, str]]) -> ValidationFailed:
    """Return one refusal of (field, message) pairs, in the order found."""
    fields: dict[str, list[str]] = {}
    for name, message in problems:
        fields.setdefault(name or "__all__", []).append(message)
    return ValidationFailed(problems[0][1], fields=fields)


def _message(problem: Problem) -> str:
    return str(PROBLEM_MESSAGES[problem])


#
# Checks
#


@dataclass(frozen=True)
class _Checked:
    """The input resolved against the database: the authors' records and the unit."""

    authors: list[tuple[Person, Decimal]]
    unit: Unit


def _resolve_authors(
    authors: Sequence[tuple[str, Decimal]],
) -> tuple[list[tuple[Person | None, Decimal]], list[tuple[str, str]]]:
    """Look the officer codes up (exactly, or in capitals); name each unknown row."""
    codes = [code.strip() for code, _share in authors]
    wanted = {c for code in codes for c in (code, code.upper()) if code}
    rows = Person.objects.filter(officer_code__in=wanted).select_related("unit")
    found = {p.officer_code: p for p in rows}
    resolved: list[tuple[Person | None, Decimal]] = []
    problems: list[tuple[str, str]] = []
    for index, (code, (_raw, share)) in enumerate(zip(codes, authors, strict=True)):
        someone = found.get(code) or found.get(code.upper())
        if someone is None:
            problems.append(
                (
                    f"authors.{index}",
                    _("{problem} ({code})").format(
                        problem=_message(Problem.AUTHOR_UNKNOWN), code=code or "—"
                    ),
                )
            )
        resolved.append((someone, share))
    return resolved, problems


def _is_percentage(share: Decimal) -> bool:
    """Return whether `share` is a finite number with at most two decimals."""
    if not share.is_finite():
        return False
    exponent = share.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2


def _unit_problem(unit: Unit | None, authors: Iterable[Person], today: datetime.date) -> str:
    """Return why `unit` cannot be the initiative's unit, or "" when it can.

    It is the unit of one of the authors or a unit above it, and exists today.
    """
    if unit is None or not unit.is_current(today):
        return _("Choose a unit that exists today.")
    if not any(a.unit.path.startswith(unit.path) for a in authors):
        return _("The initiative's unit must be the unit of one of its authors, or a unit above.")
    return ""


def _check(
    *, writer: Person, data: InitiativeInput, submitting: bool, current_unit: Unit | None
) -> _Checked:
    """Check everything the authors wrote; refuse with every problem at once."""
    today = timezone.localdate()
    problems: list[tuple[str, str]] = [
        (name, _message(problem))
        for name, problem in rules.check_submission(
            title=data.title,
            problem=data.problem,
            solution=data.solution,
            novelty=data.novelty,
            applied_from=data.applied_from,
            today=today,
            submitting=submitting,
        )
    ]
    resolved, unknown = _resolve_authors(data.authors)
    problems += unknown
    known = [(p, share) for p, share in resolved if p is not None]
    pairs: list[tuple[str, Decimal]] = []
    for index, ((someone, share), (code, _s)) in enumerate(
        zip(resolved, data.authors, strict=True)
    ):
        if not _is_percentage(share):
            problems.append(
                (f"authors.{index}", _("A share is a percentage with at most two decimals."))
            )
            share = Decimal(0)
        # Known authors are compared by their stored codes, so "hq01" and "HQ01" are one
        # person; an unknown row keeps what was typed (and is already named above).
        pairs.append((someone.officer_code if someone else f"?{index}:{code}", share))
    problems += [
        ("authors", _message(p)) for p in rules.check_shares(pairs, writer=writer.officer_code)
    ]
    if data.unit_id is not None:
        unit = Unit.objects.filter(pk=data.unit_id).first()
    else:
        unit = current_unit or writer.unit
    # The writer counts even when missing from the list: that is refused on its own.
    unit_problem = _unit_problem(unit, [writer, *(p for p, _s in known)], today)
    if unit_problem:
        problems.append(("unit_id", unit_problem))
    if problems:
        raise _failed(problems)
    assert unit is not None
    return _Checked(authors=known, unit=unit)


def _full_clean(row: Initiative) -> None:
    try:
        row.full_clean(exclude=["unit", "created_by"], validate_constraints=False)
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields) from None


#
# Saving
#


def _apply(initiative: Initiative, data: InitiativeInput, checked: _Checked) -> None:
    initiative.title = data.title
    initiative.unit = checked.unit
    initiative.field = data.field
    initiative.content = data.content
    initiative.application_kind = data.application_kind
    initiative.applied_from = data.applied_from
    for name in TEXT_FIELDS:
        setattr(initiative, name, nfc(getattr(data, name).strip()))
    names = [p.full_name for p, _share in checked.authors]
    codes = [p.officer_code for p, _share in checked.authors]
    common.set_search_fields(
        initiative, [*(getattr(initiative, n) for n in TEXT_FIELDS), *names, *codes]
    )


def _save_authors(initiative: Initiative, authors: Sequence[tuple[Person, Decimal]]) -> None:
    InitiativeAuthor.objects.filter(initiative=initiative).delete()
    InitiativeAuthor.objects.bulk_create(
        InitiativeAuthor(initiative=initiative, person=person, share=share, position=position)
        for position, (person, share) in enumerate(authors)
    )


def _snapshot(initiative: Initiative) -> dict[str, object]:
    return {
        "title": initiative.title,
        "unit": initiative.unit_id,
        "field": initiative.field,
        "status": initiative.status,
        "applied_from": initiative.applied_from,
        "authors": [
            [a.person.officer_code, a.share]
            for a in initiative.authors.select_related("person").order_by("position", "pk")
        ],
    }


def _locked(initiative: Initiative) -> Initiative:
    # Re-read under a lock: two authors saving or submitting at once must not both win.
    return Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)


def _editable(acting_user: AnyUser, initiative: Initiative) -> Initiative:
    """Lock an initiative for one of its authors to change; refuse anyone else or its status.

    One who is not an author gets NotFound, as for an initiative out of sight.
    """
    initiative = _locked(initiative)
    if not is_author(acting_user, initiative):
        raise NotFound(_("Not found."))
    if rules.transition(initiative.status, rules.Action.EDIT) is None:
        raise edit_refusal(initiative.status)
    return initiative


def _user(acting_user: AnyUser) -> User | None:
    return acting_user if isinstance(acting_user, User) else None


def _attach(
    initiative: Initiative, *, acting_user: AnyUser, uploads: Iterable[UploadedFile]
) -> list[int]:
    """Store and attach `uploads` (checked by content and size); refuse too many files."""
    uploads = list(uploads)
    if not uploads:
        return []
    held = InitiativeAttachment.objects.filter(initiative=initiative).count()
    if held + len(uploads) > common.MAX_ATTACHMENTS:
        message = _("At most {n} files can be attached to an initiative.").format(
            n=common.MAX_ATTACHMENTS
        )
        raise ValidationFailed(message, fields={"attachments": [message]})
    added = []
    for upload in uploads:
        try:
            stored = store_file(
                upload,
                acting_user=_user(acting_user),
                allowed=common.ATTACHMENT_KINDS,
                max_bytes=common.ATTACHMENT_MAX_BYTES,
            )
        except ValidationFailed as exc:
            message = _("{name}: {problem}").format(name=upload.name, problem=exc.message)
            raise ValidationFailed(message, fields={"attachments": [message]}) from None
        InitiativeAttachment.objects.create(initiative=initiative, file=stored)
        added.append(stored.pk)
    return added


def _detach(initiative: Initiative, remove: Iterable[int]) -> list[int]:
    rows = InitiativeAttachment.objects.filter(initiative=initiative, pk__in=list(remove))
    removed = list(rows.values_list("file_id", flat=True))
    rows.delete()
    return removed


def _submit(acting_user: AnyUser, initiative: Initiative) -> None:
    """Move a checked initiative to `submitted` and open its evaluation at cơ sở level."""
    step = rules.transition(initiative.status, rules.Action.SUBMIT)
    if step is None:
        raise edit_refusal(initiative.status)
    initiative.status = step.value
    initiative.submitted_at = timezone.now()
    initiative.return_reason = ""
    initiative.save()
    open_evaluation(acting_user=_user(acting_user), initiative=initiative, level=Level.CO_SO)


def create_initiative(
    *,
    acting_user: AnyUser,
    data: InitiativeInput,
    submit: bool = False,
    uploads: Iterable[UploadedFile] = (),
) -> Initiative:
    """Write a new initiative as the acting officer: a draft, or (`submit`) for evaluation.

    The writer must be one of the authors. Submitting checks the whole case and opens the
    evaluation at cơ sở level; a refusal of any kind saves nothing.
    """
    writer = person_of(acting_user)
    with transaction.atomic():
        checked = _check(writer=writer, data=data, submitting=submit, current_unit=None)
        initiative = Initiative(created_by=_user(acting_user))
        _apply(initiative, data, checked)
        _full_clean(initiative)
        initiative.save()
        _save_authors(initiative, checked.authors)
        added = _attach(initiative, acting_user=acting_user, uploads=uploads)
        if submit:
            _submit(acting_user, initiative)
        record_event(
            "initiative.submitted" if submit else "initiative.created",
            actor=acting_user,
            target=initiative,
            after=_snapshot(initiative),
            data={"created": True, "attachments_added": added},
        )
    return initiative


def update_initiative(
    *,
    acting_user: AnyUser,
    initiative: Initiative,
    data: InitiativeInput,
    submit: bool = False,
    uploads: Iterable[UploadedFile] = (),
    remove_attachments: Iterable[int] = (),
) -> Initiative:
    """Change a draft or returned initiative as one of its authors; optionally submit it.

    A submitted, recognised or refused initiative is refused with the reason; someone who
    is not an author gets NotFound.
    """
    writer = person_of(acting_user)
    with transaction.atomic():
        initiative = _editable(acting_user, initiative)
        before = _snapshot(initiative)
        checked = _check(writer=writer, data=data, submitting=submit, current_unit=initiative.unit)
        _apply(initiative, data, checked)
        _full_clean(initiative)
        initiative.save()
        _save_authors(initiative, checked.authors)
        removed = _detach(initiative, remove_attachments)
        added = _attach(initiative, acting_user=acting_user, uploads=uploads)
        if submit:
            _submit(acting_user, initiative)
        record_event(
            "initiative.submitted" if submit else "initiative.updated",
            actor=acting_user,
            target=initiative,
            before=before,
            after=_snapshot(initiative),
            data={"attachments_added": added, "attachments_removed": removed},
        )
    return initiative


def submit_initiative(*, acting_user: AnyUser, initiative: Initiative) -> Initiative:
    """Submit a draft or returned initiative as it stands, as one of its authors.

    The whole case is checked again (texts, authors and shares, unit) and the evaluation at
    cơ sở level is opened; when no council covers the unit nothing changes.
    """
    writer = person_of(acting_user)
    with transaction.atomic():
        initiative = _editable(acting_user, initiative)
        authors = list(initiative.authors.select_related("person").order_by("position", "pk"))
        data = InitiativeInput(
            title=initiative.title,
            field=initiative.field,
            authors=[(a.person.officer_code, a.share) for a in authors],
            unit_id=initiative.unit_id,
            problem=initiative.problem,
            solution=initiative.solution,
            novelty=initiative.novelty,
            applied_from=initiative.applied_from,
        )
        _check(writer=writer, data=data, submitting=True, current_unit=initiative.unit)
        before = _snapshot(initiative)
        _submit(acting_user, initiative)
        record_event(
            "initiative.submitted",
            actor=acting_user,
            target=initiative,
            before=before,
            after=_snapshot(initiative),
        )
    return initiative


def delete_initiative(*, acting_user: AnyUser, initiative: Initiative) -> None:
    """Delete a draft as one of its authors; anything already submitted stays on record.

    The stored files stay in the data directory (backups and the audit trail name them).
    """
    with transaction.atomic():
        initiative = _locked(initiative)
        if not is_author(acting_user, initiative):
            raise NotFound(_("Not found."))
        if initiative.status != InitiativeStatus.DRAFT:
            message = _("Only a draft can be deleted.")
            raise ValidationFailed(message, fields={"__all__": [message]})
        before = _snapshot(initiative)
        record_event("initiative.deleted", actor=acting_user, target=initiative, before=before)
        initiative.delete()


def add_attachments(
    *, acting_user: AnyUser, initiative: Initiative, uploads: Iterable[UploadedFile]
) -> list[InitiativeAttachment]:
    """Attach files to a draft or returned initiative (PDF, DOCX, XLSX, PNG, JPEG; 20 MB).

    At most `MAX_ATTACHMENTS` files in all; a file of another type or too large is refused
    by name, and none of the batch is kept then.
    """
    with transaction.atomic():
        initiative = _editable(acting_user, initiative)
        added = _attach(initiative, acting_user=acting_user, uploads=uploads)
        record_event(
            "initiative.attachments_added",
            actor=acting_user,
            target=initiative,
            data={"files": added},
        )
        return list(
            InitiativeAttachment.objects.filter(initiative=initiative, file_id__in=added)
            .select_related("file")
            .order_by("pk")
        )


def remove_attachments(
    *, acting_user: AnyUser, initiative: Initiative, attachment_ids: Iterable[int]
) -> list[int]:
    """Remove attachments of a draft or returned initiative; return the stored files' ids."""
    with transaction.atomic():
        initiative = _editable(acting_user, initiative)
        removed = _detach(initiative, attachment_ids)
        record_event(
            "initiative.attachments_removed",
            actor=acting_user,
            target=initiative,
            data={"files": removed},
        )
        return removed
