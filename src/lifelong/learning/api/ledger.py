"""REST endpoints of the learning app: ledger (being built)."""

from ninja import Router

router = Router(tags=["learning"])
