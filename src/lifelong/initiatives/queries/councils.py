"""Reads of initiative councils."""

import datetime

from django.db.models import Q

from lifelong.initiatives.models import Council
from lifelong.initiatives.rules import COUNCIL_LEVELS
from lifelong.org.models import PATH_DIGITS, Unit

__all__ = ["council_for"]


def council_for(unit: Unit, level: str, on: datetime.date) -> Council | None:
    """Return the council that evaluates `unit`'s initiatives at `level` on `on`, if any.

    The nearest one wins: the council of the deepest unit above (or at) `unit`.
    """
    council_levels = [c for c, levels in COUNCIL_LEVELS.items() if level in levels]
    ancestors = [unit.path[:end] for end in range(PATH_DIGITS, len(unit.path) + 1, PATH_DIGITS)]
    rows = Council.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=on),
        level__in=council_levels,
        unit__path__in=ancestors,
        established_on__lte=on,
    ).select_related("unit")
    return max(rows, key=lambda c: len(c.unit.path), default=None)
