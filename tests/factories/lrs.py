"""Numbered xAPI statements for the store's own tests: statement n has a fixed id and actor."""

from typing import Any


def numbered_statement(n: int, **extra: Any) -> dict[str, Any]:
    """Return statement number `n` (id ...-{n:012d}, officer n completed course n), with
    `extra` properties added or replaced."""
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "actor": {"mbox": f"mailto:officer{n}@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"http://example.org/course/{n}"},
        **extra,
    }
