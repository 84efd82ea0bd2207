"""Warm widget responses served straight from memory, in front of Flask.

A widget page is the same bytes for a given URL, encoding and data version, and it is what news
articles load most. Each worker keeps the bytes Flask produced (status 200, public, no cookie) and
serves them again without routing, templating or compressing. Entries are tied to a token of every
dataset's version, read from the store at most every `ttl` seconds, so a publish reaches readers
within that delay (default 1 s).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.http import http_date

MAX_ENTRIES = 4096


@dataclass(frozen=True)
class _Entry:
    token: str
    etag: str | None
    headers: list[tuple[str, str]]
    body: bytes


class WidgetFastPath:
    """WSGI middleware: GET /embed/... answered from memory when the data has not changed."""

    def __init__(self, app: Callable, read_token: Callable[[], str], ttl: float = 1.0) -> None:
        self.app = app
        self.read_token = read_token
        self.ttl = ttl
        self._entries: dict[tuple[str, str, str], _Entry] = {}
        self._token = ""
        self._token_at = float("-inf")
        self._lock = threading.Lock()

    def token(self) -> str:
        now = time.monotonic()
        if now - self._token_at >= self.ttl:
            self._token, self._token_at = self.read_token(), now
        return self._token

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or not path.startswith("/embed/"):
            return self.app(environ, start_response)
        # Keyed by the whole Accept-Encoding header: the compression Flask chose for it is in the bytes.
        accepted = environ.get("HTTP_ACCEPT_ENCODING", "").lower().replace(" ", "")
        key = (path, environ.get("QUERY_STRING", ""), accepted)
        token = self.token()
        entry = self._entries.get(key)
        if entry is not None and entry.token == token:
            if entry.etag and environ.get("HTTP_IF_NONE_MATCH") == entry.etag:
                start_response("304 NOT MODIFIED", [h for h in _dated(entry.headers) if h[0] not in (
                    "Content-Length", "Content-Encoding", "Content-Type")])
                return []
            start_response("200 OK", _dated(entry.headers))
            return [entry.body]
        return self._fill(environ, start_response, key, token)

    def _fill(self, environ, start_response, key, token) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = seen.get("headers", [])
        names = {k.lower(): v for k, v in headers}
        if (seen.get("status", "").startswith("200") and "set-cookie" not in names
                and names.get("cache-control", "").startswith("public")):
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = _Entry(token, names.get("etag"), list(headers), body)
        return [body]


def _dated(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The stored headers with today's `Date` (a replayed answer is dated when it is sent)."""
    now = http_date()
    return [(k, now) if k.lower() == "date" else (k, v) for k, v in headers]


def versions_token(db) -> Callable[[], str]:
    """A reader of the token of every dataset's and story text's served version, for `WidgetFastPath`."""

    def read() -> str:
        rows = db.query_df("SELECT slug, version FROM dataset ORDER BY slug")
        texts = db.query_df("SELECT key, lang, version FROM text_current ORDER BY key, lang")
        raw = ",".join(f"{s}={v}" for s, v in zip(rows["slug"], rows["version"]))
        raw += ";" + ",".join(f"{k}:{lang}={v}" for k, lang, v in texts.itertuples(index=False))
        return hashlib.sha256(raw.encode()).hexdigest()

    return read
