"""Verifier readings: calculus (being written)."""
