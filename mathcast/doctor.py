"""`mathcast doctor`: is this machine ready to make lessons, and if not, what fixes it.

Each check says what it looked at and, when it fails, the one thing to do (an apt package, an
environment variable, a command). Secrets are never shown: a provider is "configured" when it can
be built from its key, and the key itself is not printed.
"""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from collections.abc import Callable
from typing import Literal

from mathcast.lesson import Model
from mathcast.settings import Settings
from mathcast.store import StoreError, open_store
from mathcast.system import REQUIREMENTS, MissingSystemDependency, Requirement, require_system

Area = Literal["system", "fonts", "latex", "voices", "credentials", "prefect", "store"]
PROBE_KEY = "doctor/write-check.txt"  # the one object a check leaves in the store


class Check(Model):
    area: Area
    what: str
    ok: bool
    required: bool = True
    detail: str = ""
    fix: str = ""


def _apt(package: str) -> str:
    return f"sudo apt-get install --no-install-recommends {package}"


def _area(requirement: Requirement) -> Area:
    if requirement.font:
        return "fonts"
    return "latex" if requirement.latex_package else "system"


def system_checks() -> list[Check]:
    """Every tool, font and LaTeX package a lesson needs (mathcast.system), and libespeak-ng for alignment."""
    checks = []
    for requirement in REQUIREMENTS:
        try:
            require_system([requirement])
        except MissingSystemDependency as error:
            checks.append(Check(area=_area(requirement), what=requirement.what, ok=False, fix=str(error)))
        else:
            checks.append(Check(area=_area(requirement), what=requirement.what, ok=True))
    library = ctypes.util.find_library("espeak-ng")
    checks.append(
        Check(
            area="system",
            what="libespeak-ng (reference speech for alignment)",
            ok=library is not None,
            detail=library or "not found by the dynamic loader",
            fix="" if library else _apt("libespeak-ng1"),
        )
    )
    return checks


def voice_checks() -> list[Check]:
    """The espeak-ng voices of each language: the offline narrator and the aligner's reference."""
    from mathcast.providers.tts.libespeak import VOICES

    checks = []
    for language, voice in VOICES.items():
        what = f"espeak-ng voice {voice} ({language})"
        if shutil.which("espeak-ng") is None:
            checks.append(
                Check(area="voices", what=what, ok=False, detail="no espeak-ng", fix=_apt("espeak-ng"))
            )
            continue
        command = ["espeak-ng", "-v", voice, "-q", "1"]  # -q: speak to nowhere, just load the voice
        spoken = subprocess.run(command, capture_output=True, text=True, timeout=30)
        ok = spoken.returncode == 0
        detail = "" if ok else (spoken.stderr.strip() or f"exit {spoken.returncode}")[:200]
        fix = "" if ok else _apt("espeak-ng-data")
        checks.append(Check(area="voices", what=what, ok=ok, detail=detail, fix=fix))
    return checks


def _builds(build: Callable[[], object]) -> str | None:
    """None when the provider can be built (its key found); else why not, in the provider's words."""
    try:
        build()
    except Exception as error:  # any reason a provider cannot start is what the operator must read
        return f"{type(error).__name__}: {error}"[:400]
    return None


def credential_checks(settings: Settings) -> list[Check]:
    """The writer and voice the runs use must start; every other provider is reported, not required."""
    from mathcast.providers.llm.base import available_writers, get_writer
    from mathcast.providers.tts.base import SYNTHESIZERS, get_synthesizer

    roles: list[tuple[str, list[str], str, Callable[[str], object]]] = [
        ("writer", available_writers(), settings.writer, get_writer),
        ("tts", sorted(SYNTHESIZERS), settings.tts, get_synthesizer),
    ]
    checks = []
    for role, names, chosen, build in roles:
        for name in sorted(names, key=lambda n: n != chosen):  # the one in use first
            problem = _builds(lambda name=name, build=build: build(name))  # type: ignore[misc]
            in_use = name == chosen
            checks.append(
                Check(
                    area="credentials",
                    what=f"{role} {name}" + (" (in use)" if in_use else ""),
                    ok=problem is None,
                    required=in_use,
                    detail="configured" if problem is None else "not configured",
                    fix=problem or "",
                )
            )
    return checks


def prefect_check() -> Check:
    """A configured API must answer; with none, each run starts a temporary local server."""
    from prefect import get_client

    from mathcast.review_client import PrefectUnreachable, api_url

    url = api_url()
    if url is None:
        return Check(
            area="prefect",
            what="Prefect API",
            ok=True,
            required=False,
            detail="PREFECT_API_URL unset: each run starts a temporary local server",
            fix="to watch runs in the UI: `prefect server start`, then set PREFECT_API_URL",
        )
    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is None:
        return Check(area="prefect", what="Prefect API", ok=True, detail=f"{url} answers")
    return Check(area="prefect", what="Prefect API", ok=False, detail=url, fix=str(PrefectUnreachable(url)))


def store_check(url: str) -> Check:
    """Write, read back and compare one small object: the store is reachable and writable."""
    from mathcast.review_client import PrefectUnreachable, reaching_api  # a block:// store asks the API

    what = f"artifact store {url}"
    try:
        with reaching_api():
            store = open_store(url)
        written = store.put_bytes(PROBE_KEY, b"mathcast doctor\n")
        ok = store.get_bytes(PROBE_KEY) == b"mathcast doctor\n"
    except (StoreError, ValueError, PrefectUnreachable) as error:
        return Check(area="store", what=what, ok=False, fix=str(error))
    except OSError as error:
        fix = f"make it writable, or point --store / MATHCAST_STORE elsewhere ({error.strerror})"
        return Check(area="store", what=what, ok=False, fix=fix)
    detail = f"wrote {store.location(written.key)}" if ok else "read back different bytes"
    return Check(area="store", what=what, ok=ok, detail=detail)


def diagnose(store: str | None = None) -> list[Check]:
    """Every check, in the order a fix is most useful: tools first, the store last."""
    from blocks.settings import saved_settings
    from mathcast.review_client import PrefectUnreachable, reaching_api

    api = prefect_check()
    settings = Settings()
    if api.ok:
        try:
            with reaching_api():
                settings = saved_settings(settings)
        except PrefectUnreachable:
            pass  # already reported by the API check
    return [
        *system_checks(),
        *voice_checks(),
        *credential_checks(settings),
        api,
        store_check(store or settings.store),
    ]
