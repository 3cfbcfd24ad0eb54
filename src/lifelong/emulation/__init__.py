"""Emulation movement: campaigns, phases, contents, criteria, scoring, reviews, unit KPIs."""
