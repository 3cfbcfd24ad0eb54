"""Periodic work: tasks the worker queues on their own every so often.

Apps register a task with how often it must run (`register` in `AppConfig.ready()`); the
`lifelong worker` process checks every half minute and queues each task that is due. Due-ness
lives in the database (`ScheduledRun`, one row per task), and the claim is one conditional
UPDATE, so two workers never queue the same run twice and a restarted worker does not queue
again what ran recently.
"""

import datetime
import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from lifelong.core.models import ScheduledRun

__all__ = ["Periodic", "enqueue_due", "periodic_tasks", "register", "run_forever"]

log = logging.getLogger(__name__)
CHECK_SECONDS = 30.0


@dataclass(frozen=True)
class Periodic:
    """A task queued every `every`."""

    name: str
    task: Any  # a django.tasks Task
    every: datetime.timedelta


_REGISTRY: dict[str, Periodic] = {}


def register(name: str, task: Any, every: datetime.timedelta) -> None:
    """Queue `task` every `every` from the worker; `name` identifies it in the database."""
    _REGISTRY[name] = Periodic(name, task, every)


def periodic_tasks() -> list[Periodic]:
    """Return the registered periodic tasks, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Queue every registered task whose last run is older than its period; return their names."""
    now = now or timezone.now()
    queued: list[str] = []
    for periodic in periodic_tasks():
        ScheduledRun.objects.get_or_create(name=periodic.name)
        claimed = ScheduledRun.objects.filter(
            Q(last_queued_at__isnull=True) | Q(last_queued_at__lte=now - periodic.every),
            name=periodic.name,
        ).update(last_queued_at=now)
        if claimed:
            periodic.task.enqueue()
            queued.append(periodic.name)
    return queued


def run_forever(stop: threading.Event, interval: float = CHECK_SECONDS) -> None:
    """Queue due tasks every `interval` seconds until `stop` is set (the worker's thread)."""
    while not stop.is_set():
        try:
            close_old_connections()
            for name in enqueue_due():
                log.info("queued periodic task %s", name)
        except Exception:  # a database hiccup must not end the schedule; try again later
            log.exception("could not queue the periodic tasks")
        stop.wait(interval)
