"""Lifelong: the platform that runs a public agency's lifelong-learning emulation movement."""

__version__ = "0.1.0"
