"""REST endpoints of the learning app: plans (being built)."""

from ninja import Router

router = Router(tags=["learning"])
