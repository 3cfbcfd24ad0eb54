"""REST endpoints: councils (being written)."""

from ninja import Router

router = Router(tags=["councils"])
