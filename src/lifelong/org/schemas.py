"""API schemas of the organisation app."""

import datetime

from ninja import Schema


class UnitOut(Schema):
    """A unit as the API shows it."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitList(Schema):
    """A page of units."""

    items: list[UnitOut]
    count: int


class PersonOut(Schema):
    """A person's basic record (no sensitive data)."""

    officer_code: str
    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    gender: str
    birth_date: datetime.date | None
    work_email: str
    unit_id: int
    unit_code: str
    job_position_code: str | None
    job_position_name: str | None
    rank_code: str | None
    hire_date: datetime.date | None
    status: str

    @staticmethod
    def resolve_unit_code(obj: object) -> str:
        return obj.unit.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_job_position_code(obj: object) -> str | None:
        position = obj.job_position  # type: ignore[attr-defined]
        return position.code if position else None

    @staticmethod
    def resolve_job_position_name(obj: object) -> str | None:
        position = obj.job_position  # type: ignore[attr-defined]
        return position.name if position else None

    @staticmethod
    def resolve_rank_code(obj: object) -> str | None:
        rank = obj.rank  # type: ignore[attr-defined]
        return rank.code if rank else None


class PersonList(Schema):
    """A page of people."""

    items: list[PersonOut]
    count: int


class ErrorOut(Schema):
    """An error: a message for people, sometimes details for programs."""

    message: str
