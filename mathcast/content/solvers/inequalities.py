"""Offline solvers: inequalities (being written)."""
