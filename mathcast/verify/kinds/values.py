"""Verifier readings: values (being written)."""
