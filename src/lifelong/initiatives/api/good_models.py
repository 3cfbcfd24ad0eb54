"""REST endpoints: good_models (being written)."""

from ninja import Router

router = Router(tags=["good_models"])
