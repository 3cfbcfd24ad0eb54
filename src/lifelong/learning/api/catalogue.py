"""REST endpoints of the learning app: catalogue (being built)."""

from ninja import Router

router = Router(tags=["learning"])
