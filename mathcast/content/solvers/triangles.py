"""Offline solvers: triangles (being written)."""
