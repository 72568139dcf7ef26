"""Offline solvers: vectors (being written)."""
