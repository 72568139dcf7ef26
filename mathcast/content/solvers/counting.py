"""Offline solvers: counting (being written)."""
