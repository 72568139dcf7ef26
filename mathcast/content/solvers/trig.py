"""Offline solvers: trig (being written)."""
