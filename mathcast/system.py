"""Checks the system tools a lesson needs before any stage runs, naming the package to install."""

from __future__ import annotations

import shutil
import subprocess

from pydantic import Field

from mathcast.lesson import Model


class Requirement(Model):
    what: str
    package: str
    commands: list[str] = Field(default_factory=list)
    font: str | None = None
    latex_package: str | None = None


REQUIREMENTS = [
    Requirement(what="ffmpeg and ffprobe", package="ffmpeg", commands=["ffmpeg", "ffprobe"]),
    Requirement(what="espeak-ng voice", package="espeak-ng", commands=["espeak-ng"]),
    Requirement(what="LaTeX", package="texlive-latex-base texlive-latex-extra", commands=["latex"]),
    Requirement(what="XeLaTeX for Chinese formulas", package="texlive-xetex", commands=["xelatex"]),
    Requirement(what="ctex (Chinese in LaTeX)", package="texlive-lang-chinese", latex_package="ctex.sty"),
    Requirement(what="dvisvgm", package="dvisvgm", commands=["dvisvgm"]),
    Requirement(what="Noto Sans CJK SC font", package="fonts-noto-cjk", font="Noto Sans CJK SC"),
]


class MissingSystemDependency(RuntimeError):
    """Tools are missing; the message says which packages install them."""


def _present(requirement: Requirement) -> bool:
    if any(shutil.which(c) is None for c in requirement.commands):
        return False
    if requirement.font:
        listed = subprocess.run(["fc-list", requirement.font], capture_output=True, text=True)
        if listed.returncode != 0 or requirement.font not in listed.stdout:
            return False
    if requirement.latex_package:
        found = subprocess.run(["kpsewhich", requirement.latex_package], capture_output=True, text=True)
        if found.returncode != 0 or not found.stdout.strip():
            return False
    return True


def missing(requirements: list[Requirement] = REQUIREMENTS) -> list[Requirement]:
    if shutil.which("fc-list") is None or shutil.which("kpsewhich") is None:
        return [r for r in requirements if r.font or r.latex_package or not _present(r)]
    return [r for r in requirements if not _present(r)]


def require_system(requirements: list[Requirement] = REQUIREMENTS) -> None:
    absent = missing(requirements)
    if absent:
        packages = " ".join(dict.fromkeys(p for r in absent for p in r.package.split()))
        names = ", ".join(r.what for r in absent)
        raise MissingSystemDependency(
            f"missing {names}. Install with: sudo apt-get install --no-install-recommends {packages} "
            "(or run `make setup`)"
        )
