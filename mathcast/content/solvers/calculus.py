"""Offline solvers: calculus (being written)."""
