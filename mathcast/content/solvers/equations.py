"""Offline solvers: equations (being written)."""
