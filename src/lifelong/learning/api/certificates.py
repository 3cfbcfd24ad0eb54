"""REST endpoints of the learning app: certificates (being built)."""

from ninja import Router

router = Router(tags=["learning"])
