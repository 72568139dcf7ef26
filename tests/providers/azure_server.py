"""A local Azure Speech text-to-speech endpoint that speaks the SDK's own websocket protocol.

What the SDK (1.53) does, seen by pointing it here with SpeechConfig(host="ws://127.0.0.1:PORT"):
it opens ws://HOST/cognitiveservices/websocket/v1 (subprotocol USP, the key in the
Ocp-Apim-Subscription-Key header) and sends text frames of CRLF headers, a blank line and a body:
`Path:speech.config`, `Path:synthesis.context` (output format, which events it wants) and
`Path:ssml`. The service answers `turn.start`, `response` (the audio stream id), binary `audio`
frames (2-byte big-endian header length, headers, raw PCM), `audio.metadata` JSON (WordBoundary
and Bookmark events, offsets in 100-ns ticks) and `turn.end`. It fails the way the service does:
an HTTP status at the upgrade (401 wrong key, 429 throttled) or a close code after the request
(1007 refused, e.g. an unknown voice; 4429 throttled; 1011 server error); or it stalls.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import struct
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

PATH = "/cognitiveservices/websocket/v1"
RATE = 24_000
TICKS_PER_MS = 10_000
LEAD_MS, WORD_MS, GAP_MS, TAIL_MS = 100, 200, 50, 150
VOICES = {"zh-CN-XiaoxiaoNeural", "zh-CN-YunxiNeural", "en-US-JennyNeural", "en-US-AriaNeural"}
_SSML = "{http://www.w3.org/2001/10/synthesis}"
_WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Refuse:
    """Answer the next websocket upgrade with this HTTP status."""

    status: int


@dataclass(frozen=True)
class Close:
    """Close the connection with this code and reason instead of answering the next request."""

    code: int
    reason: str


@dataclass(frozen=True)
class Stall:
    """Start the turn of the next request, then say nothing more until the connection closes."""


Step = Refuse | Close | Stall


@dataclass(frozen=True)
class Received:
    """One synthesis request as the SDK sent it."""

    headers: dict[str, str]  # of the websocket upgrade
    context: dict[str, Any]  # the synthesis.context body
    ssml: str


def _frame(headers: dict[str, str], body: str) -> str:
    return "".join(f"{name}:{value}\r\n" for name, value in headers.items()) + "\r\n" + body


def _audio_frame(request_id: str, stream_id: str, pcm: bytes) -> bytes:
    head = f"X-RequestId:{request_id}\r\nX-StreamId:{stream_id}\r\nPath:audio\r\n".encode()
    return struct.pack(">H", len(head)) + head + pcm


def _parse(message: str) -> tuple[dict[str, str], str]:
    head, _, body = message.partition("\r\n\r\n")
    headers = dict(line.split(":", 1) for line in head.split("\r\n") if ":" in line)
    return {k.strip().lower(): v.strip() for k, v in headers.items()}, body


def _spoken_parts(element: ET.Element) -> Iterator[tuple[str, str]]:
    """("word", text) and ("mark", name) in reading order."""
    for word in _WORD.findall(element.text or ""):
        yield "word", word
    for child in element:
        if child.tag == f"{_SSML}bookmark":
            yield "mark", child.attrib["mark"]
        else:
            yield from _spoken_parts(child)
        for word in _WORD.findall(child.tail or ""):
            yield "word", word


def _tone(ms: int) -> bytes:
    samples = ms * RATE // 1000
    return b"".join(
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * 220 * i / RATE))) for i in range(samples)
    )


class AzureSpeechServer:
    """Answers from a script of failures, one per upgrade or request; past the script it speaks."""

    def __init__(self, *script: Step) -> None:
        self.script: list[Step] = list(script)
        self.received: list[Received] = []
        self.upgrades: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self.port = 0

    @property
    def host(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _next(self, kind: type[Step]) -> Step | None:
        with self._lock:
            if self.script and isinstance(self.script[0], kind):
                return self.script.pop(0)
            return None

    def _upgrade(self, connection: ServerConnection, request: Request) -> Response | None:
        headers = {k.lower(): v for k, v in request.headers.raw_items()}
        with self._lock:
            self.upgrades.append({"path": request.path, **headers})
        step = self._next(Refuse)
        if isinstance(step, Refuse):
            return connection.respond(HTTPStatus(step.status), f"{HTTPStatus(step.status).phrase}\n")
        if request.path.split("?")[0] != PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, "no such path\n")
        return None

    async def _serve(self, connection: ServerConnection) -> None:
        context: dict[str, Any] = {}
        headers = (
            {k.lower(): v for k, v in connection.request.headers.raw_items()} if connection.request else {}
        )
        async for message in connection:
            if isinstance(message, bytes):
                continue
            frame, body = _parse(message)
            if frame.get("path") == "synthesis.context":
                context = json.loads(body)
            if frame.get("path") != "ssml":
                continue
            with self._lock:
                self.received.append(Received(headers, context, body))
            step = self._next(Close) or self._next(Stall)
            if isinstance(step, Close):
                await connection.close(step.code, step.reason)
                return
            if isinstance(step, Stall):
                started = {"context": {"serviceTag": "local"}}
                headers = {"X-RequestId": frame["x-requestid"], "Path": "turn.start"}
                await connection.send(_frame(headers, json.dumps(started)))
                await connection.wait_closed()
                return
            await self._speak(connection, frame["x-requestid"], context, body)

    async def _speak(
        self, connection: ServerConnection, request_id: str, context: dict[str, Any], ssml: str
    ) -> None:
        out_format = context.get("synthesis", {}).get("audio", {}).get("outputFormat", "")
        if out_format != "raw-24khz-16bit-mono-pcm":
            await connection.close(1007, f"Unsupported output format {out_format}.")
            return
        voice = ET.fromstring(ssml).find(f"{_SSML}voice")
        if voice is None or voice.attrib.get("name") not in VOICES:
            name = voice.attrib.get("name") if voice is not None else None
            await connection.close(1007, f"Unsupported voice {name}.")
            return
        stream_id = uuid.uuid4().hex.upper()

        def text(path: str, payload: dict[str, Any]) -> str:
            headers = {
                "X-RequestId": request_id,
                "Content-Type": "application/json; charset=utf-8",
                "Path": path,
            }
            return _frame(headers, json.dumps(payload, ensure_ascii=False))

        await connection.send(text("turn.start", {"context": {"serviceTag": "local"}}))
        await connection.send(
            text(
                "response",
                {"context": {"serviceTag": "local"}, "audio": {"type": "inline", "streamId": stream_id}},
            )
        )
        cursor = LEAD_MS
        await connection.send(_audio_frame(request_id, stream_id, _tone(LEAD_MS)))
        for kind, value in _spoken_parts(voice):
            if kind == "mark":
                event = {"Type": "Bookmark", "Data": {"Offset": cursor * TICKS_PER_MS, "Bookmark": value}}
            else:
                boundary = {"Text": value, "Length": len(value), "BoundaryType": "WordBoundary"}
                data = {"Offset": cursor * TICKS_PER_MS, "Duration": WORD_MS * TICKS_PER_MS, "text": boundary}
                event = {"Type": "WordBoundary", "Data": data}
            await connection.send(text("audio.metadata", {"Metadata": [event]}))
            if kind == "word":
                await connection.send(_audio_frame(request_id, stream_id, _tone(WORD_MS + GAP_MS)))
                cursor += WORD_MS + GAP_MS
        await connection.send(_audio_frame(request_id, stream_id, _tone(TAIL_MS)))
        await connection.send(text("turn.end", {}))

    @contextmanager
    def running(self) -> Iterator[AzureSpeechServer]:
        started = threading.Event()

        async def main() -> None:
            self._server = await serve(
                self._serve,
                "127.0.0.1",
                0,
                process_request=self._upgrade,
                subprotocols=["USP"],  # type: ignore[list-item]
            )
            self.port = self._server.sockets[0].getsockname()[1]
            started.set()
            await self._server.wait_closed()

        thread = threading.Thread(target=self._loop.run_until_complete, args=(main(),), daemon=True)
        thread.start()
        started.wait(10)
        try:
            yield self
        finally:
            assert self._server is not None
            self._loop.call_soon_threadsafe(self._server.close)
            thread.join(10)
