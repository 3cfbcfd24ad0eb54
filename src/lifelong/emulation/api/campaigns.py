"""Endpoints of the emulation app's campaigns area (being built)."""

from ninja import Router

router = Router(tags=["emulation"])
