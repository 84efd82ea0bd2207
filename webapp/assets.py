"""Site assets under fingerprinted URLs, precompressed once, cached for a year by browsers and proxies."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from pathlib import Path

import brotli
from flask import Blueprint, Response, abort, current_app, request

ROOT = Path(__file__).resolve().parents[1] / "assets"
EMBEDS = Path(__file__).resolve().parents[1] / "embeds"  # the widgets' package: its scripts are assets too
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".txt")

bp = Blueprint("assets", __name__)
CODE = Path(__file__).resolve().parent


def build_id(*roots: Path) -> str:
    """A digest of the code, templates and assets: part of every cache key and widget ETag, so a
    deploy never serves what the previous release computed (a Redis cache outlives a release)."""
    digest = hashlib.sha256()
    for root in roots or (CODE, EMBEDS, ROOT):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class AssetStore:
    """Content hashes and compressed bodies of the files under `assets/` (and the widgets' `embeds/static/`),
    computed once per process."""

    def __init__(self, root: Path = ROOT, *more: Path) -> None:
        self.root = root
        self.roots = (root, *(more or (EMBEDS / "static",)))
        self.build = build_id(CODE, EMBEDS, root)
        self._digests: dict[str, str] = {}
        self._bodies: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def path(self, name: str) -> Path | None:
        for root in self.roots:
            path = (root / name).resolve()
            if path.is_file() and root.resolve() in path.parents:
                return path
        return None

    def digest(self, name: str) -> str:
        if name not in self._digests:
            path = self.path(name)
            if path is None:
                raise FileNotFoundError(name)
            self._digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return self._digests[name]

    def url(self, name: str) -> str:
        return f"/s/{self.digest(name)}/{name}"

    def body(self, name: str, encoding: str) -> bytes:
        key = (name, encoding)
        if key not in self._bodies:
            with self._lock:
                if key not in self._bodies:
                    raw = self.path(name).read_bytes()  # type: ignore[union-attr]
                    if encoding == "br":
                        raw = brotli.compress(raw, quality=11)
                    elif encoding == "gzip":
                        raw = gzip.compress(raw, compresslevel=9, mtime=0)
                    self._bodies[key] = raw
        return self._bodies[key]


@bp.route("/s/<digest>/<path:name>")
def serve(digest: str, name: str) -> Response:
    store: AssetStore = current_app.extensions["arras_assets"]
    if store.path(name) is None or store.digest(name) != digest:
        abort(404)
    accepted = request.headers.get("Accept-Encoding", "")
    encoding = "identity"
    if name.endswith(COMPRESSIBLE):
        encoding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else "identity"
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = Response(store.body(name, encoding), mimetype=mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
