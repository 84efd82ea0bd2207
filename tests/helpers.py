"""Helpers shared by the test modules: the raw source files and a small HTML reader."""

from __future__ import annotations

import csv
import json
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"


# --- raw source files (read independently of the app's importers) ------------------------------

def read_source_csv(rel: str, sep: str = ";") -> list[dict[str, str]]:
    """Rows of a shipped CSV as dicts of strings (utf-8 with or without BOM)."""
    with open(SOURCES / rel, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=sep))


def read_source_json(rel: str) -> dict:
    return json.loads((SOURCES / rel).read_text(encoding="utf-8"))


# --- HTML helpers ------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageHTML(HTMLParser):
    """A small reading of a page: lang, title, meta description, links by region, H1s, region texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.description: str | None = None
        self.links: list[dict] = []  # {"region", "href", "text", "class"}
        self.h1: list[dict] = []  # {"region", "text"}
        self.texts: dict[str, list[str]] = {"header": [], "footer": [], "prerender": [], "all": []}
        self.scripts: list[str] = []
        self._stack: list[tuple[str, dict]] = []
        self._anchor: dict | None = None
        self._h1: dict | None = None
        self._in_title = False
        self.feed(html)
        self.close()

    def region(self) -> str | None:
        for tag, attrs in reversed(self._stack):
            if tag in ("header", "footer"):
                return tag
            if attrs.get("id") == "prerender":
                return "prerender"
        return None

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        elif tag == "title":
            self._in_title = True
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag not in _VOID:
            self._stack.append((tag, attrs))
        if tag == "a":
            self._anchor = {"region": self.region(), "href": attrs.get("href", ""), "text": "",
                            "class": attrs.get("class", "")}
        if tag == "h1":
            self._h1 = {"region": self.region(), "text": ""}

    def handle_startendtag(self, tag, attrs_list):
        self.handle_starttag(tag, attrs_list)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._anchor is not None:
            self._anchor["text"] = self._anchor["text"].strip()
            self.links.append(self._anchor)
            self._anchor = None
        if tag == "h1" and self._h1 is not None:
            self._h1["text"] = self._h1["text"].strip()
            self.h1.append(self._h1)
            self._h1 = None
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._anchor is not None:
            self._anchor["text"] += data
        if self._h1 is not None:
            self._h1["text"] += data
        if self._stack and self._stack[-1][0] in ("script", "style"):
            return
        region = self.region()
        if region:
            self.texts[region].append(data)
        self.texts["all"].append(data)

    def text(self, region: str) -> str:
        return " ".join(" ".join(self.texts[region]).split())

    def links_in(self, region: str) -> list[dict]:
        return [a for a in self.links if a["region"] == region]


def parse_page(html: str) -> PageHTML:
    return PageHTML(html)


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def formula_cells(rows: list[list[str]]) -> list[str]:
    """CSV cells a spreadsheet would run as a formula (numbers like -5.0 are values, not formulas)."""
    return [c for row in rows for c in row if c.startswith(FORMULA_START) and not _is_number(c)]


def stored_file(db, slug: str, version: int | None = None) -> tuple[bytes, str]:
    """The file (bytes, name) of a dataset version (default: the served one)."""
    from sqlalchemy import select

    from webapp.data import publishing
    from webapp.data import tables as t

    with db.engine.connect() as conn:
        version = version or publishing.served_versions(conn)[slug]
        row = publishing.version_row(conn, slug, version)
        content = conn.execute(select(t.dataset_file.c.content).where(
            t.dataset_file.c.dataset_slug == slug, t.dataset_file.c.version == version)).scalar_one()
    return bytes(content), row.file_name


def republish(db, slug: str, content: bytes | None = None, name: str | None = None) -> int:
    """Publish a new version of `slug` through the editor's path (its served file again by default)."""
    from webapp.data import publishing

    served, served_name = stored_file(db, slug)
    staged = publishing.stage(db, slug, content if content is not None else served, name or served_name, "test")
    publishing.publish(db, {slug: staged.version}, "test")
    return staged.version


def serve_again(db, slug: str, version: int) -> None:
    """Roll `slug` back to an earlier published version."""
    from webapp.data import publishing

    publishing.publish(db, {slug: version}, "test", "rollback")


@contextmanager
def second_app(app, settings, **changes):
    """Another app on the same database with some settings changed, disposed afterwards.

    Binding the shared flask-caching object to a new app makes that app its fallback outside any
    app context; it is pointed back at the session app so that later modules are unaffected.
    """
    from webapp import create_app
    from webapp.extensions import cache

    second = create_app(settings.replace(**changes))
    try:
        yield second
    finally:
        second.server.extensions["arras_db"].dispose()
        if getattr(cache, "app", None) is second.server:
            cache.app = app.server
