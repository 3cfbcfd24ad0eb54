"""`lifelong emulation recompute [--campaign ID] [--json]`: the emulation app's operator commands.

`recompute` recomputes the live scores at once (the background task does it on its own within
a minute of new data), with a progress bar on stderr: every campaign not in draft, or the one
given. With `--json` it prints one JSON document. A refusal exits non-zero with a message.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lifelong.emulation.models import Campaign
from lifelong.emulation.services.scoring import recompute

BAR_WIDTH = 30


def _bar(done: int, total: int, label: str) -> None:
    """Draw `[#####.....] done/total label` on stderr, over the previous one."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    line = f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}"
    sys.stderr.write(line[:120].ljust(120))
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class Command(BaseCommand):
    """Operator commands of the emulation app."""

    help = "Emulation: `emulation recompute [--campaign ID] [--json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare `emulation recompute` as a subcommand."""
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
        again = verbs.add_parser("recompute", help="Recompute the live scores now.")
        again.add_argument("--campaign", type=int, help="Only this campaign (its id).")
        again.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Recompute and print what was done."""
        campaign = None
        if options["campaign"] is not None:
            campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError(
                    _("No campaign has the id %(id)s.") % {"id": options["campaign"]}
                )
        result = recompute(campaign=campaign, progress=None if options["as_json"] else _bar)
        if options["as_json"]:
            self.stdout.write(json.dumps(dict(result.__dict__)))
            return
        self.stdout.write(
            _(
                "{campaigns} campaigns, {phases} phases, {standings} scores in {seconds:.1f} s."
            ).format(
                campaigns=result.campaigns,
                phases=result.phases,
                standings=result.standings,
                seconds=result.seconds,
            )
        )
