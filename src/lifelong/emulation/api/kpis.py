"""Endpoints of the emulation app's kpis area (being built)."""

from ninja import Router

router = Router(tags=["emulation"])
