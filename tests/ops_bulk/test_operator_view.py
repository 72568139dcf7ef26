"""The operator's view in a real browser: a Prefect server on loopback, a lesson that waits for review,
and its flow run page in headless Chromium (Debian's `chromium`, driven over the DevTools protocol).
The page must list every task run the lesson made so far and, behind Resume, the review form.
Screenshots are kept in tests/artifacts/operator-view/ (a .gitignore there keeps them out of git)."""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websocket

from bench.bulk import prefect_server

pytestmark = [pytest.mark.slow, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "tests" / "artifacts" / "operator-view"
STAGES_BEFORE_REVIEW = ("generate", "solve", "reflect", "verify", "content_gate", "review_packet")
REVIEW_FORM = (
    *("Resume Flow Run", "Read the review packet"),
    *("Decision", "approve", "reject", "request_changes", "Comment", "Reviewer", "Submit"),
)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class Chromium:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self, socket: websocket.WebSocket) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def text(self) -> str:
        found = self.call("Runtime.evaluate", expression="document.body.innerText", returnByValue=True)
        return str(found["result"].get("value", ""))

    def wait_for(self, *needles: str, timeout_s: float = 60) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            shown = self.text()
            if all(needle in shown for needle in needles) or time.monotonic() > deadline:
                return shown
            time.sleep(0.5)

    def click(self, label: str) -> bool:
        script = (
            "(() => { const b = [...document.querySelectorAll('button, li.p-tab, a')]"
            f".find(e => e.innerText.trim() === {json.dumps(label)}); if (b) b.click(); return !!b; }})()"
        )
        return bool(self.call("Runtime.evaluate", expression=script, returnByValue=True)["result"]["value"])

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        (SHOTS.parent / ".gitignore").write_text("*\n", encoding="utf-8")  # test output, never committed
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return path


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium is not installed: scripts/setup.sh installs it (apt-get install chromium)")
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp_path)
    browser = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, "--remote-debugging-port=0", f"--user-data-dir={profile}",
         "--window-size=1400,1000", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert browser.stderr is not None
        port = None
        for line in browser.stderr:  # "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…"
            if match := re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line):
                port = match.group(1)
                break
        assert port, "chromium did not open its DevTools port"
        pages = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(p for p in pages if p["type"] == "page")
        socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        try:
            driver = Chromium(socket)
            driver.call("Page.enable")
            yield driver
        finally:
            socket.close()
    finally:
        browser.kill()
        browser.wait()


def paused_run(api: str, timeout_s: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        runs = httpx.post(
            f"{api}/flow_runs/filter",
            json={"flow_runs": {"state": {"type": {"any_": ["PAUSED"]}}}},
            timeout=10,
        ).json()
        if runs:
            run: dict[str, Any] = runs[0]
            return run
        time.sleep(1)
    raise AssertionError("the lesson never paused for review")


def task_run_names(api: str, run_id: str) -> list[str]:
    body = {"flow_runs": {"id": {"any_": [run_id]}}}
    return sorted(t["name"] for t in httpx.post(f"{api}/task_runs/filter", json=body, timeout=10).json())


def test_the_flow_run_page_shows_every_stage_and_the_review_form(tmp_path: Path, chromium: Chromium) -> None:
    home = tmp_path / "prefect-home"
    home.mkdir()
    with prefect_server(home) as api:
        env = {
            **os.environ,
            "PREFECT_API_URL": api,
            "PREFECT_HOME": str(home),
            "MATHCAST_AUTO_APPROVE": "false",
            "MATHCAST_REVIEW_POLL_S": "1",
        }
        store = str(tmp_path / "store")
        make = f"from flows.lesson import lesson; lesson(topic='一次函数', quality='low', store={store!r})"
        lesson = subprocess.Popen([sys.executable, "-c", make], env=env, cwd=REPO, start_new_session=True)
        try:
            run = paused_run(api)
            names = task_run_names(api, run["id"])
            assert sorted({name.rsplit("-", 1)[0] for name in names}) == sorted(STAGES_BEFORE_REVIEW)

            ui = api.removesuffix("/api")
            chromium.call("Page.navigate", url=f"{ui}/runs/flow-run/{run['id']}")
            chromium.wait_for(run["name"], "Paused", "Task Runs")
            assert chromium.click("Task Runs")
            page = chromium.wait_for(*names)
            shot = chromium.screenshot(SHOTS / "flow-run-task-runs.png")
            print(f"\nscreenshot: {shot}")
            missing = [name for name in names if name not in page]
            assert not missing, f"task runs not on the page: {missing}\n{page[:3000]}"

            assert chromium.click("Resume"), page[:3000]
            form = chromium.wait_for(*REVIEW_FORM)
            shot = chromium.screenshot(SHOTS / "flow-run-review-form.png")
            print(f"screenshot: {shot}")
            missing = [field for field in REVIEW_FORM if field not in form]
            assert not missing, f"not in the review form: {missing}\n{form[-2000:]}"
        finally:
            lesson.kill()
            lesson.wait()
