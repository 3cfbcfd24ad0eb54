"""Periodic tasks: queued when due, once per period, whoever asks."""

import datetime

import pytest
from django.tasks import task
from django.utils import timezone

from lifelong.core import schedule
from lifelong.core.models import ScheduledRun

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@task()
def remember_run() -> None:
    RUNS.append("ran")


@pytest.fixture
def hourly(monkeypatch):
    monkeypatch.setattr(schedule, "_REGISTRY", {})
    schedule.register("test.hourly", remember_run, datetime.timedelta(hours=1))
    RUNS.clear()
    return RUNS


def test_a_due_task_is_queued_once_per_period(hourly):
    # given
    now = timezone.now()
    # when: asked three times within the hour, then after it
    first = schedule.enqueue_due(now)
    again = schedule.enqueue_due(now + datetime.timedelta(minutes=30))
    later = schedule.enqueue_due(now + datetime.timedelta(hours=1, seconds=1))
    # then
    assert (first, again, later) == (["test.hourly"], [], ["test.hourly"])
    assert hourly == ["ran", "ran"]
    row = ScheduledRun.objects.get(name="test.hourly")
    assert row.last_queued_at == now + datetime.timedelta(hours=1, seconds=1)


def test_a_task_run_recently_is_not_queued_again_after_a_restart(hourly):
    # given: the last run, recorded in the database, was ten minutes ago
    now = timezone.now()
    ScheduledRun.objects.create(
        name="test.hourly", last_queued_at=now - datetime.timedelta(minutes=10)
    )
    # when
    queued = schedule.enqueue_due(now)
    # then
    assert queued == []
    assert hourly == []


def test_learning_registers_the_daily_assignments_check():
    periodic = {p.name: p for p in schedule.periodic_tasks()}
    assert periodic["learning.assignments_check"].every == datetime.timedelta(days=1)
