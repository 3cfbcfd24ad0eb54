"""Notifications: an in-app message for one user and, when they have an address, an e-mail.

`notify` is called inside the sending service's transaction: the `Notification` row commits
with the change it reports, and the e-mail is queued only after that commit, as a background
task on the database queue (`lifelong worker` sends it), so a slow or failing mail server
never blocks nor undoes the request.
"""

import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound
from lifelong.core.models import Notification

__all__ = [
    "email_address",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "notify",
    "send_notification_email",
    "unread_count",
]

logger = logging.getLogger(__name__)

AnyUser = AbstractBaseUser | AnonymousUser
MESSAGE_MAX_LENGTH = 500


def email_address(user: AbstractBaseUser) -> str:
    """Return where to e-mail `user`: the account's address, else the linked officer's.

    The officer is reached through the account's `person` relation by name only, so that
    core stays below org (architecture.md).
    """
    address = str(getattr(user, "email", "") or "")
    if not address:
        person = getattr(user, "person", None) if hasattr(user, "person") else None
        address = str(getattr(person, "work_email", "") or "")
    return address.strip()


def notify(
    *, user: User, kind: str, message: str, link: str = "", email: bool = True
) -> Notification:
    """Create an in-app notification for `user` and queue its e-mail after the commit.

    `kind` is a dotted code (`learning.assigned`), `link` a path of this site. No e-mail is
    queued when `email` is false or the user has no address; the in-app message stays.
    """
    notification = Notification(
        user=user, kind=kind[:64], message=message[:MESSAGE_MAX_LENGTH], link=link[:500]
    )
    notification.full_clean()
    notification.save()
    if email and email_address(user):
        pk = notification.pk
        transaction.on_commit(lambda: _enqueue_email(pk))
    return notification


def _enqueue_email(notification_id: int) -> None:
    try:
        send_notification_email.enqueue(notification_id)
    except Exception:
        # The in-app notification is committed; a queue that refuses the task must not
        # turn the user's successful request into an error.
        logger.warning("could not queue the e-mail of notification %s", notification_id)


@task()
def send_notification_email(notification_id: int) -> bool:
    """Background task: e-mail one notification to its user; return whether it was sent.

    A notification deleted meanwhile, or a user without an address, sends nothing.
    """
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return False
    address = email_address(notification.user)
    if not address:
        return False
    link = f"{settings.SITE_URL}{notification.link}" if notification.link else ""
    context = {"notification": notification, "link": link, "site_url": settings.SITE_URL}
    body = render_to_string("core/notification_email.txt", context)
    subject = _("[Lifelong] {message}").format(message=notification.message)[:150]
    send_mail(subject, body, None, [address], fail_silently=False)
    return True


#
# Reading and marking read: always the acting user's own notifications
#


def list_notifications(user: AnyUser, *, unread_only: bool = False) -> QuerySet[Notification]:
    """Return the user's notifications, newest first (none for an anonymous user)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(user_id=user.pk)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_count(user: AnyUser) -> int:
    """Return how many of the user's notifications are unread (one indexed COUNT)."""
    return list_notifications(user, unread_only=True).count()


@transaction.atomic
def mark_read(*, acting_user: User, notification_id: int) -> Notification:
    """Mark one of the acting user's notifications read; another's answers NotFound."""
    notification = list_notifications(acting_user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(_("Not found."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record_event("notification.read", actor=acting_user, target=notification)
    return notification


@transaction.atomic
def mark_all_read(*, acting_user: User) -> int:
    """Mark every unread notification of the acting user read; return how many."""
    count = list_notifications(acting_user, unread_only=True).update(read_at=timezone.now())
    if count:
        record_event(
            "notification.all_read",
            actor=acting_user,
            target_type="core.notification",
            data={"count": count},
        )
    return count
