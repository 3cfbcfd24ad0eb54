"""Write the demo's initiatives: councils, initiatives with their evaluations, good models.

`initiatives_plan.py` decides everything from the seed and the organisation already written
(units, officers and their position histories, the demo accounts, the evaluation policies);
this module writes the plan in bulk, in the caller's transaction: a few dozen queries whatever
the size. Rows are what the services would leave: titles in NFC with their sort keys and
folded search text (`services.common.set_search_fields`), each initiative's `level`,
`recognised_on` and `status` matching its `Recognition` and `Evaluation` rows, and the
dates of the story (opened, scored, decided, adopted) in the timestamps, not the build's
clock. No attachments: the demo has no files to attach.
"""

import datetime
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model

from lifelong.core.text import nfc
from lifelong.demo import initiatives_plan as ip
from lifelong.demo import plan
from lifelong.initiatives import rules
from lifelong.initiatives.models import (
    Adoption,
    Council,
    CouncilMember,
    Evaluation,
    EvaluationPolicy,
    EvaluationScore,
    GoodModel,
    GoodModelContent,
    Initiative,
    InitiativeAuthor,
    Recognition,
)
from lifelong.initiatives.services.common import set_search_fields
from lifelong.learning.rules.ledger import BUSINESS_ZONE
from lifelong.org.models import Person, PositionAssignment, Unit, UnitSuccession

__all__ = ["InitiativeCounts", "build_initiatives"]


@dataclass
class InitiativeCounts:
    """What the initiatives build wrote."""

    councils: int = 0
    council_members: int = 0
    initiatives: int = 0
    evaluations: int = 0
    scores: int = 0
    recognitions: dict[str, int] = field(default_factory=dict)
    adoptions: int = 0
    good_models: int = 0
    seconds: float = 0.0

    def as_data(self) -> dict[str, Any]:
        """Return the counts as the `demo.built` audit event records them."""
        return {
            "councils": self.councils,
            "council_members": self.council_members,
            "initiatives": self.initiatives,
            "evaluations": self.evaluations,
            "scores": self.scores,
            "recognitions": self.recognitions,
            "adoptions": self.adoptions,
            "good_models": self.good_models,
            "seconds": self.seconds,
        }


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BUSINESS_ZONE)


#
# Reading the organisation
#


@dataclass
class _Org:
    units: dict[str, int]
    unit_names: dict[str, str]
    people: dict[str, int]
    names: dict[str, str]
    users: dict[str, int]


def _organisation() -> tuple[list[ip.UnitFacts], list[ip.Officer], dict[str, str], _Org]:
    successors = dict(
        UnitSuccession.objects.values_list("predecessor__code", "successor__code").order_by(
            "effective_on", "pk"
        )
    )
    unit_rows = list(
        Unit.objects.order_by("path").values_list(
            "pk", "code", "name", "kind", "parent__code", "valid_from", "valid_to"
        )
    )
    units = [
        ip.UnitFacts(code, name, kind, parent, valid_from, valid_to, successors.get(code))
        for _pk, code, name, kind, parent, valid_from, valid_to in unit_rows
    ]
    stints: dict[int, list[ip.Stint]] = {}
    for person_id, unit, starts_on, ends_on in PositionAssignment.objects.order_by(
        "person_id", "starts_on", "pk"
    ).values_list("person_id", "unit__code", "starts_on", "ends_on"):
        stints.setdefault(person_id, []).append(ip.Stint(unit, starts_on, ends_on))
    person_rows = list(
        Person.objects.order_by("officer_code").values_list(
            "pk", "officer_code", "unit__code", "job_position__code", "status", "user_id"
        )
    )
    officers = [
        ip.Officer(code, unit, position or "", status == "active", tuple(stints.get(pk, ())))
        for pk, code, unit, position, status, _user in person_rows
    ]
    names = {
        code: " ".join(p for p in parts if p)
        for code, *parts in Person.objects.values_list(
            "officer_code", "family_name", "middle_name", "given_name"
        )
    }
    accounts = dict(
        Person.objects.filter(
            user__username__in=[a.username for a in plan.DEMO_ACCOUNTS]
        ).values_list("user__username", "officer_code")
    )
    org = _Org(
        units={code: pk for pk, code, *_rest in unit_rows},
        unit_names={code: name for _pk, code, name, *_rest in unit_rows},
        people={code: pk for pk, code, *_rest in person_rows},
        names=names,
        users={code: user for _pk, code, *_rest, user in person_rows if user is not None},
    )
    return units, officers, accounts, org


def _policies() -> list[ip.PolicyFacts]:
    return [
        ip.PolicyFacts(
            key=p.pk,
            effective_from=p.effective_from,
            effective_to=p.effective_to,
            policy=rules.Policy(
                criteria=rules.Criteria(p.novelty_max, p.application_max, p.benefit_max),
                pass_score=p.pass_score,
                quorum_pct=p.quorum_pct,
                vote_threshold_pct=p.vote_threshold_pct,
            ),
        )
        for p in EvaluationPolicy.objects.order_by("effective_from")
    ]


#
# Writing
#


def _stamp(model: type[Model], rows: list[Any], fields: list[str]) -> None:
    """Give bulk-created rows their story's timestamps (auto_now fields take the clock's).

    One UPDATE per row by primary key, sent as a batch (`executemany`): `bulk_update`'s CASE
    expressions cost seconds of Python for a few thousand rows.
    """
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    concrete = {f.name: str(f.column) for f in meta.concrete_fields}
    columns = ", ".join(f"{quote(concrete[name])} = %s" for name in fields)
    key = quote(str(meta.pk.column if meta.pk else "id"))
    sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {key} = %s"  # noqa: S608 - names from the model
    adapt = connection.ops.adapt_datetimefield_value
    params = [[*(adapt(getattr(row, name)) for name in fields), row.pk] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class _Writer:
    def __init__(self, org: _Org) -> None:
        self.org = org
        self.counts = InitiativeCounts()
        self.councils: dict[str, Council] = {}
        self.members: dict[tuple[str, str], int] = {}
        self.initiatives: dict[str, Initiative] = {}

    def user(self, officer: str | None) -> int | None:
        return self.org.users.get(officer) if officer is not None else None

    def councils_of(self, specs: Iterable[ip.CouncilSpec]) -> None:
        rows = {
            spec.key: Council(
                name=spec.name,
                level=spec.level,
                unit_id=self.org.units[spec.unit],
                established_on=spec.established_on,
                dissolved_on=spec.dissolved_on,
                decision_number=spec.decision_number,
            )
            for spec in specs
        }
        Council.objects.bulk_create(rows.values())
        members: list[tuple[str, str, CouncilMember]] = []
        for spec in specs:
            for member in spec.members:
                row = CouncilMember(
                    council=rows[spec.key],
                    person_id=self.org.people[member.officer],
                    role=member.role,
                )
                members.append((spec.key, member.officer, row))
        CouncilMember.objects.bulk_create([m for _k, _o, m in members])
        for key, officer, row in members:
            self.members[(key, officer)] = row.pk
        for spec in specs:
            rows[spec.key].created_at = _moment(spec.established_on, 9)
        _stamp(Council, list(rows.values()), ["created_at"])
        self.councils = rows
        self.counts.councils = len(rows)
        self.counts.council_members = len(members)

    def initiatives_of(self, specs: Iterable[ip.InitiativeSpec]) -> None:
        specs = list(specs)
        rows: list[Initiative] = []
        for spec in specs:
            row = Initiative(
                title=spec.title,
                unit_id=self.org.units[spec.unit],
                field=spec.field,
                content=spec.content,
                problem=nfc(spec.problem),
                solution=nfc(spec.solution),
                novelty=nfc(spec.novelty),
                application_kind=spec.application_kind,
                applied_from=spec.applied_from,
                effect=nfc(spec.effect),
                figures=nfc(spec.figures),
                scope=nfc(spec.scope),
                status=spec.status,
                level=spec.level,
                recognised_on=spec.recognised_on,
                return_reason=spec.return_reason,
                created_by_id=self.user(spec.writer),
                submitted_at=_moment(spec.submitted_on, 10) if spec.submitted_on else None,
            )
            # As the submission service: the texts, then the authors' names and codes.
            texts = [row.problem, row.solution, row.novelty, row.effect, row.figures, row.scope]
            authors = [a.officer for a in spec.authors]
            set_search_fields(row, [*texts, *(self.org.names[a] for a in authors), *authors])
            rows.append(row)
        Initiative.objects.bulk_create(rows)
        for spec, row in zip(specs, rows, strict=True):
            row.created_at = _moment(spec.created_on, 9)
            row.updated_at = _moment(spec.updated_on, 16)
            self.initiatives[spec.key] = row
        _stamp(Initiative, rows, ["created_at", "updated_at"])
        InitiativeAuthor.objects.bulk_create(
            InitiativeAuthor(
                initiative=row,
                person_id=self.org.people[author.officer],
                share=author.share,
                position=position,
            )
            for spec, row in zip(specs, rows, strict=True)
            for position, author in enumerate(spec.authors)
        )
        self.counts.initiatives = len(rows)
        self.evaluations_of(specs, rows)
        self.adoptions_of(
            (Adoption(unit_id=self.org.units[a.unit], initiative=row), a)
            for spec, row in zip(specs, rows, strict=True)
            for a in spec.adoptions
        )

    def evaluations_of(self, specs: list[ip.InitiativeSpec], rows: list[Initiative]) -> None:
        evaluations: list[tuple[ip.EvaluationSpec, Evaluation]] = []
        for spec, row in zip(specs, rows, strict=True):
            for one in spec.evaluations:
                votes = one.votes or (None, None, None)
                evaluations.append(
                    (
                        one,
                        Evaluation(
                            initiative=row,
                            council=self.councils[one.council],
                            level=one.level,
                            policy_id=one.policy,
                            status=one.status,
                            opened_by_id=self.user(one.opened_by),
                            votes_for=votes[0],
                            votes_against=votes[1],
                            votes_abstain=votes[2],
                            voted_on=one.voted_on,
                            reasons=one.reasons,
                            closed_at=_moment(one.closed_on, 16) if one.closed_on else None,
                            closed_by_id=self.user(one.closed_by),
                        ),
                    )
                )
        Evaluation.objects.bulk_create([e for _s, e in evaluations])
        scores: list[EvaluationScore] = []
        recognitions: list[Recognition] = []
        for one, evaluation in evaluations:
            evaluation.opened_at = _moment(one.opened_on, 8, 30)
            for score in one.scores:
                scores.append(
                    EvaluationScore(
                        evaluation=evaluation,
                        member_id=self.members[(one.council, score.member)],
                        novelty=score.novelty,
                        application=score.application,
                        benefit=score.benefit,
                        excluded=score.excluded,
                        comment=score.comment,
                    )
                )
            if one.recognition is not None:
                decision = one.recognition
                recognitions.append(
                    Recognition(
                        initiative_id=evaluation.initiative_id,
                        level=decision.level,
                        decision_number=decision.decision_number,
                        decision_date=decision.decision_date,
                        authority=decision.authority,
                        evaluation=evaluation,
                        recorded_by_id=self.user(one.closed_by),
                    )
                )
        _stamp(Evaluation, [e for _s, e in evaluations], ["opened_at"])
        EvaluationScore.objects.bulk_create(scores)
        days = [s.scored_on for one, _row in evaluations for s in one.scores]
        for stored, day in zip(scores, days, strict=True):
            stored.scored_at = _moment(day, 14)
        _stamp(EvaluationScore, scores, ["scored_at"])
        Recognition.objects.bulk_create(recognitions)
        for recognition in recognitions:
            recognition.created_at = _moment(recognition.decision_date, 17)
        _stamp(Recognition, recognitions, ["created_at"])
        self.counts.evaluations = len(evaluations)
        self.counts.scores = len(scores)
        for recognition in recognitions:
            level = recognition.level
            self.counts.recognitions[level] = self.counts.recognitions.get(level, 0) + 1

    def adoptions_of(self, pairs: Iterable[tuple[Adoption, ip.AdoptionSpec]]) -> None:
        rows: list[Adoption] = []
        for row, spec in pairs:
            row.started_on = spec.started_on
            row.results = nfc(spec.results)
            row.figures = nfc(spec.figures)
            rows.append(row)
        Adoption.objects.bulk_create(rows)
        for row in rows:
            reported = min(row.started_on + datetime.timedelta(days=45), ip.PLAN_UNTIL)
            row.created_at = row.updated_at = _moment(reported, 10)
        _stamp(Adoption, rows, ["created_at", "updated_at"])
        self.counts.adoptions += len(rows)

    def good_models_of(self, specs: Iterable[ip.GoodModelSpec]) -> None:
        specs = list(specs)
        rows: list[GoodModel] = []
        for spec in specs:
            row = GoodModel(
                title=spec.title,
                summary=nfc(spec.summary),
                description=nfc(spec.description),
                results=nfc(spec.results),
            )
            # As the library service: the summary, how it works, the units' names.
            behind = [self.org.unit_names[code] for code in spec.units]
            set_search_fields(row, [row.summary, row.description, *behind])
            rows.append(row)
        GoodModel.objects.bulk_create(rows)
        for spec, row in zip(specs, rows, strict=True):
            row.created_at = row.updated_at = _moment(spec.created_on, 9)
        _stamp(GoodModel, rows, ["created_at", "updated_at"])
        GoodModelContent.objects.bulk_create(
            GoodModelContent(good_model=row, content=content)
            for spec, row in zip(specs, rows, strict=True)
            for content in spec.contents
        )
        units = GoodModel.units.through
        units.objects.bulk_create(
            units(goodmodel_id=row.pk, unit_id=self.org.units[code])
            for spec, row in zip(specs, rows, strict=True)
            for code in spec.units
        )
        initiatives = GoodModel.initiatives.through
        initiatives.objects.bulk_create(
            initiatives(goodmodel_id=row.pk, initiative_id=self.initiatives[key].pk)
            for spec, row in zip(specs, rows, strict=True)
            for key in spec.initiatives
        )
        self.adoptions_of(
            (Adoption(unit_id=self.org.units[a.unit], good_model=row), a)
            for spec, row in zip(specs, rows, strict=True)
            for a in spec.adoptions
        )
        self.counts.good_models = len(rows)


def build_initiatives(*, seed: int) -> InitiativeCounts:
    """Plan and write the demo's initiatives over the organisation already in the database.

    Runs in the caller's transaction; the same seed and organisation give the same rows.
    """
    started = time.perf_counter()
    units, officers, accounts, org = _organisation()
    planned = ip.plan_initiatives(
        random.Random(seed * 31 + 6), units, officers, _policies(), accounts
    )
    writer = _Writer(org)
    writer.councils_of(planned.councils)
    writer.initiatives_of(planned.initiatives)
    writer.good_models_of(planned.good_models)
    writer.counts.seconds = round(time.perf_counter() - started, 3)
    return writer.counts
