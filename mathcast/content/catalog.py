"""The offline topic catalog: lesson plans written by people, shipped as YAML beside this file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from mathcast.lesson import Language, LessonPlan

TOPICS_DIR = Path(__file__).parent / "topics"


class CatalogError(ValueError):
    """A topic file shipped in the catalog does not validate: names the file to fix."""


class UnknownTopicError(LookupError):
    """A topic the offline planner has no plan for; the message lists what it knows."""

    def __init__(self, topic: str, known: list[str]) -> None:
        from mathcast.providers.llm.base import available_writers  # the registry imports this module

        self.topic = topic
        self.known = known
        shown = topic if len(topic) <= 80 else f"{topic[:80]}… ({len(topic)} characters)"
        super().__init__(
            f"the offline planner has no lesson for {shown!r}. Known topics: {', '.join(known)}. "
            "For any other topic switch on an LLM writer with --writer NAME (or MATHCAST_WRITER=NAME) "
            f"and its credentials; writers installed here: {', '.join(available_writers())}."
        )


@cache
def _entries() -> tuple[tuple[frozenset[str], LessonPlan, tuple[str, ...]], ...]:
    entries = []
    for path in sorted(TOPICS_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        aliases = raw.pop("aliases", [])
        try:
            plan = LessonPlan.model_validate(raw)
        except ValidationError as error:
            raise CatalogError(f"catalog file {path.name} is not a valid lesson plan: {error}") from None
        names = {plan.topic, plan.title, *aliases}
        entries.append((frozenset(n.casefold().strip() for n in names), plan, tuple(aliases)))
    return tuple(entries)


def known_topics() -> list[str]:
    return [f"{plan.topic} ({plan.language})" for _, plan, _ in _entries()]


def catalog() -> list[tuple[LessonPlan, tuple[str, ...]]]:
    """Every plan in the catalog with its aliases as written, for listing."""
    return [(plan, aliases) for _, plan, aliases in _entries()]


def lookup(topic: str, language: Language) -> LessonPlan:
    wanted = topic.casefold().strip()
    for names, plan, _ in _entries():
        if wanted in names and plan.language == language:
            return plan
    raise UnknownTopicError(f"{topic} ({language})", known_topics())
