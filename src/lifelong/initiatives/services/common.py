"""What the initiatives services share: refusals in words, the acting officer, search text."""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifelong.core.exceptions import ValidationFailed
from lifelong.core.text import fold, nfc, sort_key
from lifelong.initiatives.models import GoodModel, Initiative
from lifelong.initiatives.rules import Problem
from lifelong.org.access import AnyUser
from lifelong.org.models import Person

__all__ = [
    "ATTACHMENT_KINDS",
    "ATTACHMENT_MAX_BYTES",
    "MAX_ATTACHMENTS",
    "PROBLEM_MESSAGES",
    "person_of",
    "refuse",
    "refuse_one",
    "set_search_fields",
]

# Initiatives come as Word or PDF documents, with photos and spreadsheets of figures.
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg"})
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10

PROBLEM_MESSAGES = {
    Problem.NO_AUTHORS: gettext_lazy("Name at least one author."),
    Problem.SHARE_NOT_POSITIVE: gettext_lazy("Each author's share must be more than 0%."),
    Problem.SHARES_NOT_100: gettext_lazy("The authors' shares must add up to exactly 100%."),
    Problem.AUTHOR_TWICE: gettext_lazy("An author is named twice."),
    Problem.AUTHOR_UNKNOWN: gettext_lazy(
        "An author is not an officer of the organisation: check the officer code."
    ),
    Problem.WRITER_NOT_AUTHOR: gettext_lazy("You must be one of the authors."),
    Problem.TITLE_REQUIRED: gettext_lazy("Give the initiative a title."),
    Problem.PROBLEM_REQUIRED: gettext_lazy("Describe the problem the initiative solves."),
    Problem.SOLUTION_REQUIRED: gettext_lazy("Describe the solution."),
    Problem.NOVELTY_REQUIRED: gettext_lazy("Say what is new in it."),
    Problem.APPLIED_FROM_REQUIRED: gettext_lazy(
        "Give the date since when it has been applied or trialled."
    ),
    Problem.APPLIED_FROM_FUTURE: gettext_lazy(
        "The date it has been applied or trialled since cannot be in the future."
    ),
    Problem.NOT_ALLOWED: gettext_lazy("This initiative cannot be changed that way now."),
    Problem.LEVEL_SKIPPED: gettext_lazy(
        "A level cannot be skipped: an initiative is recognised at grassroots level, then "
        "ministry level, then national level."
    ),
    Problem.LEVEL_ALREADY: gettext_lazy("The initiative is already recognised at this level."),
    Problem.LEVEL_TOP: gettext_lazy("The initiative is already recognised at national level."),
    Problem.COUNCIL_WRONG_LEVEL: gettext_lazy(
        "This council does not recognise initiatives at that level: a unit council "
        "recognises at grassroots level, the ministry council at ministry and national level."
    ),
    Problem.COUNCIL_OUT_OF_SCOPE: gettext_lazy(
        "This council does not cover the initiative's unit."
    ),
    Problem.COUNCIL_NOT_IN_FORCE: gettext_lazy("This council is not in office on that date."),
    Problem.SCORE_OUT_OF_RANGE: gettext_lazy(
        "Points must lie between 0 and the criterion's maximum."
    ),
    Problem.VOTES_OVER_MEMBERS: gettext_lazy("More votes than the council has members."),
    Problem.NO_QUORUM: gettext_lazy("Not enough members have scored the initiative."),
    Problem.EXCLUDED: gettext_lazy(
        "A member found the initiative excluded (against public order or morality, or "
        "protected as intellectual property)."
    ),
    Problem.SCORE_BELOW_PASS: gettext_lazy("The members' average total is below the pass score."),
    Problem.VOTE_MISSING: gettext_lazy("The council's vote has not been recorded."),
    Problem.VOTE_BELOW_THRESHOLD: gettext_lazy("Not enough members voted in favour."),
    Problem.REASON_REQUIRED: gettext_lazy("Give the reasons."),
    Problem.DECISION_REQUIRED: gettext_lazy("Give the decision's number and date."),
    Problem.DECISION_IN_FUTURE: gettext_lazy("The decision date cannot be in the future."),
}


def refuse(problems: Sequence[tuple[str, Problem]]) -> ValidationFailed:
    """Return the refusal naming each problem's field ("" = the whole) and its message."""
    fields: dict[str, list[str]] = {}
    for name, problem in problems:
        fields.setdefault(name or "__all__", []).append(str(PROBLEM_MESSAGES[problem]))
    first = next(iter(fields.values()))[0]
    return ValidationFailed(first, fields=fields)


def refuse_one(problem: Problem, field: str = "") -> ValidationFailed:
    """Return the refusal of one problem."""
    return refuse([(field, problem)])


def person_of(user: AnyUser) -> Person:
    """Return the acting user's officer record, or refuse: only officers write initiatives."""
    person = Person.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
    if person is None:
        raise ValidationFailed(_("Your account is not linked to an officer's record."))
    return person


def set_search_fields(row: Initiative | GoodModel, texts: Iterable[str]) -> None:
    """Store the title in NFC, its Vietnamese sort key, and the folded search text."""
    row.title = nfc(row.title.strip())
    row.sort_key = sort_key(row.title)[:1024]
    row.search_text = fold(" ".join([row.title, *texts]))
