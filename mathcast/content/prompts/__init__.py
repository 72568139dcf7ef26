"""The LLM prompts: versioned template files beside this module, filled by `string.Template`.

Values are substituted, never evaluated, so a topic holding `$` or braces stays plain text.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from string import Template
from typing import Literal, get_args

from mathcast.lesson import FAMILY_PLANS, Language

PROMPTS_DIR = Path(__file__).parent
SERIES = "1"  # bump when what the prompts ask for changes shape; edits to the wording change the hash
PromptName = Literal["system", "plan", "solve", "reflect", "repair"]


@cache
def version() -> str:
    """The template version in every LLM cache key: the series and a hash of all template files
    and of the family plans they list."""
    sha = hashlib.sha256()
    for path in sorted(PROMPTS_DIR.glob("*.txt")):
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    for language in get_args(Language):
        sha.update(families(language).encode())
    return f"v{SERIES}-{sha.hexdigest()[:12]}"


def families(language: Language) -> str:
    """The topic families and their steps, one line each, as the plan prompt lists them."""
    return "\n".join(
        f"  - {name} ({plan.english}): {' → '.join(plan.steps[language])}"
        for name, plan in FAMILY_PLANS.items()
    )


@cache
def _template(name: PromptName, language: Language) -> Template:
    return Template((PROMPTS_DIR / f"{name}.{language}.txt").read_text(encoding="utf-8"))


def _inert(value: str) -> str:
    """Untrusted text cannot close the <data> block it is quoted in and pose as instructions."""
    return value.replace("<data>", "<data >").replace("</data>", "</data >")


def render(name: PromptName, language: Language, **values: str) -> str:
    """The prompt with every placeholder filled; a missing value is a KeyError, not a silent gap."""
    return _template(name, language).substitute({k: _inert(v) for k, v in values.items()})
