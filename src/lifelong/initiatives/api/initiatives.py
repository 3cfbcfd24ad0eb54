"""REST endpoints: initiatives (being written)."""

from ninja import Router

router = Router(tags=["initiatives"])
