"""REST endpoints of the learning app: selfstudy (being built)."""

from ninja import Router

router = Router(tags=["learning"])
