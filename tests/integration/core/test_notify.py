"""Notifications: in-app row always, e-mail after the commit, mark as read."""

import pytest
from django.core import mail
from django.urls import reverse

from lifelong.core import notify
from lifelong.core.exceptions import NotFound
from lifelong.core.models import Notification
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


def test_notify_creates_the_row_and_emails_after_commit(org, django_capture_on_commit_callbacks):
    # given
    user = account(
        "lan", ("officer", org.team_1), person=person(org.team_1, email="lan@example.test")
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(
            user=user, kind="learning.assigned", message="Học bắt buộc", link="/learning/"
        )
    # then
    assert Notification.objects.get(user=user).message == "Học bắt buộc"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.test"]
    assert "http://" in mail.outbox[0].body and "/learning/" in mail.outbox[0].body


def test_notify_without_an_address_or_with_email_off_sends_nothing(
    org, django_capture_on_commit_callbacks
):
    # given
    bare = account("bare")
    withmail = account("m", person=person(org.team_1))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(user=bare, kind="k", message="a")
        notify.notify(user=withmail, kind="k", message="b", email=False)
    # then
    assert Notification.objects.count() == 2
    assert mail.outbox == []


def test_mark_read_only_touches_ones_own(org, client):
    # given
    me = account("me")
    other = account("other")
    mine = notify.notify(user=me, kind="k", message="của tôi", email=False)
    theirs = notify.notify(user=other, kind="k", message="của người khác", email=False)
    # when / then
    with pytest.raises(NotFound):
        notify.mark_read(acting_user=me, notification_id=theirs.pk)
    assert notify.unread_count(me) == 1
    client.force_login(me)
    page = client.get(reverse("learning:notifications")).content.decode()
    assert "của tôi" in page and "của người khác" not in page
    client.post(reverse("learning:notification_read", args=[mine.pk]))
    assert notify.unread_count(me) == 0
    assert client.post(reverse("learning:notification_read", args=[theirs.pk])).status_code == 404
    assert notify.unread_count(other) == 1
