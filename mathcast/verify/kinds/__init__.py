"""Readings of worked solutions by problem kind; importing this registers every reading."""

from mathcast.verify.kinds import calculus, equations, functions, sequences, values  # noqa: F401  (register kinds)
from mathcast.verify.kinds.base import CLAIMS_BY_KIND

__all__ = ["CLAIMS_BY_KIND"]
