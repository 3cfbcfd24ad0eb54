"""The `lifelong` command: Django's management commands under the project's name.

`lifelong demo`, `lifelong serve`, `lifelong worker`, `lifelong import org FILE`,
`lifelong api token create USER`; anything else is passed to Django as it is
(`lifelong migrate`, `lifelong check --deploy`, `lifelong createsuperuser`).
"""

import os
import sys

# Verbs that set up their own settings before Django loads.
DEMO_VERBS = {"demo"}


def main(argv: list[str] | None = None) -> int:
    """Run a `lifelong` subcommand: a Django management command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in DEMO_VERBS:
        # The demo keeps its own secret key and serves plain HTTP on loopback.
        os.environ.setdefault("LIFELONG_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifelong.settings")
    # Imported late on purpose: Django must not load before its settings module is chosen.
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["lifelong", *args])
    except ImproperlyConfigured as exc:
        print(f"lifelong: {exc}", file=sys.stderr)
        return 2
    return 0
