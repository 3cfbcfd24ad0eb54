"""REST endpoints of the learning app: classes (being built)."""

from ninja import Router

router = Router(tags=["learning"])
