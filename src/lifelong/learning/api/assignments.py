"""REST endpoints of the learning app: assignments (being built)."""

from ninja import Router

router = Router(tags=["learning"])
