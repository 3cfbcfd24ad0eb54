"""Build self-study and plan state through the real services, as a test's given step."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from lifelong.learning.models import SelfStudy
from lifelong.learning.services import selfstudy as services
from lifelong.org.models import Person, Unit
from tests.factories.org import account, person

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def officer(unit: Unit, username: str, *names: str, role: str = "officer") -> tuple[Person, User]:
    """Create an officer of `unit` with a login of their own."""
    someone = person(unit, *names) if names else person(unit)
    user = account(username, (role, unit), person=someone)
    assert isinstance(user, User)
    return someone, user


def pdf(name: str = "chung-nhan.pdf") -> SimpleUploadedFile:
    """Return a small PDF upload."""
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def data(**overrides: Any) -> services.DeclarationInput:
    """Return a valid declaration input: 3 hours of reading last week."""
    values: dict[str, Any] = {
        "topic": "Đọc Luật Hải quan sửa đổi",
        "method": "book",
        "learned_on": datetime.date(2025, 6, 2),
        "hours": Decimal("3"),
        "category": "job_skills",
        "content": "law_policy",
        "learned": "Các quy định mới về thủ tục hải quan điện tử.",
    }
    values.update(overrides)
    return services.DeclarationInput(**values)


def declare(
    user: AbstractBaseUser, *, submit: bool = True, uploads: tuple[Any, ...] = (), **overrides: Any
) -> SelfStudy:
    """Declare self-study as `user` (submitted unless `submit=False`)."""
    assert isinstance(user, User)
    return services.save_declaration(
        acting_user=user, data=data(**overrides), submit=submit, uploads=uploads
    )
