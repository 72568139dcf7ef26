"""Verifier readings: equations (being written)."""
