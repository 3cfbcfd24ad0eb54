"""Endpoints of the emulation app's standings area (being built)."""

from ninja import Router

router = Router(tags=["emulation"])
