"""Story texts editors can change: narrative, chart captions and text alternatives, in Markdown.

Markdown is rendered by markdown-it-py with raw HTML disabled (it is shown as text) and its link
validation (no `javascript:`, `vbscript:`, `file:` or `data:` links): no markup, no script. Every
published version is kept; `text_current` says which one is served. A key never edited is served
the text shipped in the code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import and_, func, insert, select, update

from webapp.data import audit, store
from webapp.data import tables as t
from webapp.data.db import Database

MAX_LENGTH = 5000


def markdown_parser() -> MarkdownIt:
    """CommonMark without raw HTML nor images, with markdown-it's link validation."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


_md = markdown_parser()



@dataclass(frozen=True)
class Block:
    key: str
    label: dict[str, str]
    inline: bool  # a caption or an alternative: one paragraph, no lists or headings
    default: Callable[[str], str]


_BLOCKS: dict[str, Block] = {}


def register(key: str, label: dict[str, str], default: Callable[[str], str], inline: bool = False) -> Block:
    block = Block(key, label, inline, default)
    _BLOCKS[key] = block
    return block


def blocks() -> list[Block]:
    """Every registered text: the app factory loads the pages and the chart registry, which register theirs."""
    # A story's own texts ("ecoles.lead") before its charts' ("ecoles-ips.caption").
    return sorted(_BLOCKS.values(), key=lambda b: ("-" in b.key.split(".")[0], b.key))


def block(key: str) -> Block | None:
    blocks()
    return _BLOCKS.get(key)


def _served(db: Database) -> dict[tuple[str, str], tuple[int, str]]:
    """{(key, lang): (version, body)} of every edited text, read once per request."""
    ctx = store.context()
    if ctx.request and getattr(ctx.scope, "served_texts", None) is not None:
        return ctx.scope.served_texts
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.text_current.c.key, t.text_current.c.lang, t.text_current.c.version, t.text_version.c.body)
            .join(t.text_version, _same(t.text_version, t.text_current, "key", "lang", "version"))
        ).all()
    served = {(r.key, r.lang): (r.version, r.body) for r in rows}
    if ctx.request:
        ctx.scope.served_texts = served
    return served


def _db() -> Database:
    return store.get_db()


def current(key: str, lang: str) -> str:
    """The Markdown served for `key` in `lang`."""
    found = _served(_db()).get((key, lang))
    if found is not None:
        return found[1]
    b = block(key)
    return b.default(lang) if b else ""


def token() -> str:
    """Changes whenever a served text changes (part of the widgets' cache keys)."""
    served = _served(_db())
    raw = ",".join(f"{k}:{lang}={v}" for (k, lang), (v, _) in sorted(served.items()))
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def render(body: str, inline: bool = False) -> Markup:
    """Safe HTML of a Markdown text."""
    return Markup(_md.renderInline(body) if inline else _md.render(body))


def plain(body: str) -> str:
    """The text without its Markdown marks (for `alt` and `aria-label` attributes)."""
    tokens = _md.parseInline(body)
    words = []
    for tok in tokens:
        for child in tok.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return "".join(words).strip()


# --- editing ---------------------------------------------------------------------------------------

def _of(table: Any, key: str, lang: str) -> Any:
    """The rows of `table` that hold the text `key` in `lang`."""
    return and_(*(table.c[name] == value for name, value in (("key", key), ("lang", lang))))


def _same(a: Any, b: Any, *names: str) -> Any:
    return and_(*(a.c[name] == b.c[name] for name in names))


def history(db: Database, key: str, lang: str) -> list[Any]:
    with db.engine.connect() as conn:
        served = conn.execute(select(t.text_current.c.version).where(_of(t.text_current, key, lang))).scalar()
        rows = conn.execute(select(t.text_version).where(_of(t.text_version, key, lang))
                            .order_by(t.text_version.c.version.desc())).all()
    return [(r, r.version == served) for r in rows]


def publish(db: Database, key: str, lang: str, body: str, actor: str, note: str = "", address: str = "") -> int:
    """Keep `body` as a new version of the text and serve it; returns the version."""
    now = datetime.now(UTC)
    with db.begin() as conn:
        version = (conn.execute(select(func.max(t.text_version.c.version)).where(
            _of(t.text_version, key, lang))).scalar() or 0) + 1
        conn.execute(insert(t.text_version).values(key=key, lang=lang, version=version, status="published", body=body,
                                                   created_at=now, created_by=actor, published_at=now, note=note))
        _serve(conn, key, lang, version)
        audit.record(conn, actor, "text_publish", f"{key} ({lang}) v{version}", note, address)
    return version


def restore(db: Database, key: str, lang: str, version: int, actor: str, address: str = "") -> bool:
    """Serve an earlier version of a text again; False when there is no such version."""
    with db.begin() as conn:
        exists = conn.execute(select(t.text_version.c.version).where(
            _of(t.text_version, key, lang), t.text_version.c.version == version)).first()
        if exists:
            _serve(conn, key, lang, version)
            audit.record(conn, actor, "text_rollback", f"{key} ({lang}) v{version}", "", address)
    return bool(exists)


def _serve(conn: Any, key: str, lang: str, version: int) -> None:
    done = conn.execute(update(t.text_current).where(_of(t.text_current, key, lang))
                        .values(version=version)).rowcount
    if not done:
        conn.execute(insert(t.text_current).values(key=key, lang=lang, version=version))
