"""`lifelong learning assignments check [--json]`: the learning app's operator commands.

`assignments check` marks open assignments done when learned and escalates overdue ones to
the unit heads once (the same work is the background task `check_assignments_task`, which
`lifelong worker` queues daily). With `--json` it prints one JSON document. A refusal exits
non-zero with a message.
"""

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lifelong.core.exceptions import DomainError
from lifelong.learning.services.assignments import check_assignments

Handler = Callable[[dict[str, Any]], None]


class Command(BaseCommand):
    """Operator commands of the learning app."""

    help = "Learning: `learning assignments check [--json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare `learning assignments check` as nested subcommands."""
        resources = parser.add_subparsers(dest="resource", required=True, metavar="RESOURCE")
        assignments = resources.add_parser("assignments", help="Mandatory learning by rule.")
        verbs = assignments.add_subparsers(dest="verb", required=True, metavar="VERB")
        check = verbs.add_parser(
            "check",
            help="Mark open assignments done when learned; escalate overdue ones to the unit "
            "heads once.",
        )
        check.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        check.set_defaults(handler=self.assignments_check)

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the chosen verb; a refused action becomes a non-zero exit with its message."""
        handler: Handler = options["handler"]
        try:
            handler(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def assignments_check(self, options: dict[str, Any]) -> None:
        """Check the open assignments and print what changed."""
        result = check_assignments(acting_user=None)
        if options["as_json"]:
            self.stdout.write(json.dumps(dict(result.__dict__)))
            return
        self.stdout.write(
            _(
                "{done} assignments done, {overdue} overdue, {escalated} newly escalated "
                "({heads} notifications to unit heads)."
            ).format(
                done=result.done,
                overdue=result.overdue,
                escalated=result.escalated,
                heads=result.heads_notified,
            )
        )
