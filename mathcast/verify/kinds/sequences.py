"""Verifier readings: sequences (being written)."""
