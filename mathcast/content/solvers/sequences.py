"""Offline solvers: sequences (being written)."""
