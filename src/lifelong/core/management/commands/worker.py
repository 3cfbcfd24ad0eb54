"""`lifelong worker`: the background task worker, which also queues the periodic tasks.

django_tasks_db's `db_worker` runs the queued tasks (same options); beside it a thread queues
each periodic task when it falls due (`lifelong.core.schedule`: the daily check of assigned
learning, ...). `--no-schedule` runs the tasks only, for a second worker on another machine.
"""

import threading
from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from lifelong.core import schedule


class Command(DbWorkerCommand):
    """Run queued tasks; queue the periodic ones when due."""

    help = "Run background tasks, and queue the periodic ones when they fall due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Add `--no-schedule` to db_worker's options."""
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not queue the periodic tasks (another worker does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Start the schedule's thread, then work the queue until stopped."""
        stop = threading.Event()
        if not options.pop("no_schedule"):
            thread = threading.Thread(
                target=schedule.run_forever, args=(stop,), name="lifelong-schedule", daemon=True
            )
            thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
