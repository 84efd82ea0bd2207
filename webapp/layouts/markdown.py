"""Markdown texts drawn as Dash components (server pre-rendering draws them like any layout)."""

from __future__ import annotations

from typing import Any

from dash import html

from webapp.data.texts import markdown_parser

_md = markdown_parser()


def to_dash(body: str, inline: bool = False) -> list[Any]:
    """Dash components of a Markdown text (server pre-rendering draws them like any layout)."""
    if inline:
        tokens = _md.parseInline(body)
        return _inline(tokens[0].children or []) if tokens else []
    out: list[Any] = []
    stack: list[tuple[Any, list[Any]]] = []
    tags = {"paragraph_open": html.P, "bullet_list_open": html.Ul, "ordered_list_open": html.Ol,
            "list_item_open": html.Li, "blockquote_open": html.Blockquote}
    for tok in _md.parse(body):
        target = stack[-1][1] if stack else out
        if tok.type in tags:
            stack.append((tags[tok.type], []))
        elif tok.type == "heading_open":
            stack.append((html.H3 if tok.tag in ("h1", "h2", "h3") else html.H4, []))
        elif tok.type.endswith("_close") and stack:
            component, children = stack.pop()
            (stack[-1][1] if stack else out).append(component(children))
        elif tok.type == "inline":
            target.extend(_inline(tok.children or []))
        elif tok.type in ("fence", "code_block"):
            target.append(html.Pre(tok.content))
        elif tok.type == "hr":
            target.append(html.Hr())
    return out


def _inline(tokens: list[Any]) -> list[Any]:
    out: list[Any] = []
    stack: list[tuple[Any, dict[str, Any], list[Any]]] = []
    for tok in tokens:
        target = stack[-1][2] if stack else out
        if tok.type == "text":
            target.append(tok.content)
        elif tok.type in ("softbreak",):
            target.append(" ")
        elif tok.type == "hardbreak":
            target.append(html.Br())
        elif tok.type == "code_inline":
            target.append(html.Code(tok.content))
        elif tok.type in ("strong_open", "em_open"):
            stack.append((html.Strong if tok.type == "strong_open" else html.Em, {}, []))
        elif tok.type == "link_open":
            stack.append((html.A, {"href": tok.attrGet("href")}, []))
        elif tok.type.endswith("_close") and stack:
            component, attrs, children = stack.pop()
            (stack[-1][2] if stack else out).append(component(children, **attrs))
    return out
