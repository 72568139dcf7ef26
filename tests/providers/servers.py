"""Local HTTP servers that speak DashScope's native and OpenAI's chat-completions wire formats.

Each answers from a script of replies, one per request, and records what the SDK really sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from pydantic import BaseModel

DASHSCOPE_PATH = "/api/v1/services/aigc/text-generation/generation"
OPENAI_PATH = "/v1/chat/completions"
Dialect = Literal["dashscope", "openai"]


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str = ""  # the model's text, for a 200
    error: str = ""  # the error message, otherwise
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    echo_auth: bool = False  # a hostile endpoint that repeats the Authorization header in its reply


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def ok(content: str | dict[str, Any] | BaseModel, **kwargs: Any) -> Reply:
    if isinstance(content, BaseModel):
        content = content.model_dump(mode="json")
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return Reply(content=text, **kwargs)


def _body(dialect: Dialect, reply: Reply, number: int, model: str, content: str) -> dict[str, Any]:
    request_id = f"req-{number}"
    if reply.status != 200:
        if dialect == "dashscope":
            return {"request_id": request_id, "code": f"E{reply.status}", "message": reply.error}
        return {"error": {"message": reply.error, "type": "error", "code": str(reply.status)}}
    if dialect == "dashscope":
        return {
            "request_id": request_id,
            "output": {
                "choices": [{"finish_reason": "stop", "message": {"role": "assistant", "content": content}}]
            },
            "usage": {"input_tokens": 100 + number, "output_tokens": 50, "total_tokens": 150 + number},
        }
    return {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 100 + number, "completion_tokens": 50, "total_tokens": 150 + number},
    }


class ScriptedServer:
    def __init__(self, dialect: Dialect, replies: list[Reply]) -> None:
        self.dialect = dialect
        self.replies = list(replies)
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        host, port = self._http.server_address[:2]
        root = f"http://{host!s}:{port}"
        self.base_url = f"{root}/api/v1" if dialect == "dashscope" else f"{root}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def _next(self, request: Request) -> tuple[int, Reply]:
        with self._lock:
            self.requests.append(request)
            number = len(self.requests)
            if not self.replies:
                return number, Reply(status=500, error="the test script has no reply left")
            return number, self.replies.pop(0)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = Request(self.path, headers, json.loads(raw or b"{}"))
                number, reply = server._next(request)
                time.sleep(reply.delay_s)
                content = reply.content
                if reply.echo_auth:
                    content = f"{content} {self.headers.get('Authorization', '')}"
                payload = json.dumps(
                    _body(server.dialect, reply, number, request.body.get("model", "?"), content),
                    ensure_ascii=False,
                ).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: pytest shows the assertions, not the access log."""

        return Handler

    @contextmanager
    def running(self) -> Iterator[ScriptedServer]:
        thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._http.shutdown()
            self._http.server_close()
