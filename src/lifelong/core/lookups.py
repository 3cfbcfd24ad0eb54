"""What every app's queries share: the audited refusal and the scoped fetch by key."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import NotFound

AnyUser = User | AnonymousUser


def refuse(user: AnyUser, kind: str, key: object) -> NotFound:
    """Record the denied access to `kind` `key` and return the NotFound to raise.

    Missing and forbidden get the same answer, so nothing is learnt from ids.
    """
    record_event(Action.ACCESS_DENIED, actor=user, target_type=kind, target_id=str(key)[:64])
    return NotFound(_("Not found."))


def get_visible[M: Model](user: AnyUser, rows: QuerySet[M], kind: str, pk: object) -> M:
    """Return the row `pk` of `rows`, already scoped to the user; else NotFound (audited).

    A key that is not a whole number is refused like a missing one.
    """
    try:
        key = int(str(pk))
    except ValueError:
        raise refuse(user, kind, pk) from None
    found = rows.filter(pk=key).first()
    if found is None:
        raise refuse(user, kind, key)
    return found
