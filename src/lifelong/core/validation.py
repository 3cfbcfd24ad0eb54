"""What every app's services share: model validation turned into a domain refusal."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from lifelong.core.exceptions import ValidationFailed


def full_clean_or_refuse(obj: Any, exclude: Sequence[str] = ()) -> None:
    """Check a row with `full_clean`; turn Django's errors into a `ValidationFailed`.

    The refusal's message joins every message; its `fields` are Django's, per field, so a
    form can show them where they belong.
    """
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        messages = [m for errors in exc.message_dict.values() for m in errors]
        raise ValidationFailed(" ".join(messages), fields=exc.message_dict) from exc
