"""Endpoints of the emulation app's participation area (being built)."""

from ninja import Router

router = Router(tags=["emulation"])
