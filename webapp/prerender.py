"""Server-side HTML for a Dash layout, shown until the Dash app has rendered the same layout.

Readers get the text, key figures and data tables at once (and without JavaScript); the React
tree replaces it without moving anything because the markup and classes are the same.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape

_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}
_ATTR_NAMES = {"className": "class", "htmlFor": "for", "colSpan": "colspan", "rowSpan": "rowspan",
               "tabIndex": "tabindex", "dateTime": "datetime"}
_SKIP = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "setProps", "loading_state", "key"}


def _css_name(name: str) -> str:
    return re.sub(r"([A-Z])", r"-\1", name).lower()


def _style(style: dict[str, Any]) -> str:
    return ";".join(f"{_css_name(k)}:{v}" for k, v in style.items())


def _attrs(props: dict[str, Any]) -> str:
    out = []
    for name, value in props.items():
        if name in _SKIP or value is None or value is False:
            continue
        attr = _ATTR_NAMES.get(name, name)
        if name == "style":
            value = _style(value)
        if value is True:
            out.append(f" {attr}")
        else:
            out.append(f' {attr}="{escape(value)}"')
    return "".join(out)


def _options(props: dict[str, Any], kind: str) -> str:
    """dbc.Checklist / dbc.RadioItems, as their React components draw them (Bootstrap form-check)."""
    value = props.get("value")
    chosen = set(value) if isinstance(value, list) else {value}
    prefix = f"_dbcprivate_{'checklist' if kind == 'checkbox' else 'radioitems'}_{props.get('id')}_input_"
    items = []
    for opt in props.get("options", []):
        checked = " checked" if opt["value"] in chosen else ""
        input_id = escape(prefix + str(opt["value"]))
        # radios of one group share a name: one Tab stop, arrow keys move within it (as the live page draws them)
        group = f' name="{escape(props["name"])}"' if props.get("name") else ""
        items.append(
            f'<div class="form-check"><input id="{input_id}" class="form-check-input" type="{kind}"'
            f' value="{escape(opt["value"])}"{group}{checked}>'
            f'<label class="form-check-label" for="{input_id}">{render(opt["label"])}</label></div>'
        )
    return f'<div{_attrs({"id": props.get("id"), "className": props.get("className")})}>{"".join(items)}</div>'


def _select(props: dict[str, Any]) -> str:
    """dbc.Select, as its React component draws it (a native select)."""
    value = props.get("value")
    options = "".join(
        f'<option value="{escape(opt["value"])}"{" selected" if opt["value"] == value else ""}>'
        f'{escape(opt["label"])}</option>' for opt in props.get("options", []))
    return f'<select{_attrs({"id": props.get("id"), "className": "form-select " + (props.get("className") or "")})}>{options}</select>'


def render(node: Any) -> str:
    """HTML for a component tree (dash.html components, and the few others the site uses)."""
    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(render(n) for n in node)
    if isinstance(node, (str, int, float)):
        return str(escape(node))
    namespace, kind = node._namespace, node._type
    props = node.to_plotly_json()["props"]
    children = props.get("children")
    if namespace == "dash_html_components":
        tag = kind.lower()
        if isinstance(props.get("id"), dict):  # pattern-matching ids only matter to Dash
            props = {k: v for k, v in props.items() if k != "id"}
        if tag in _VOID:
            return f"<{tag}{_attrs(props)}>"
        return f"<{tag}{_attrs(props)}>{render(children)}</{tag}>"
    if kind == "Checklist":
        return _options(props, "checkbox")
    if kind == "RadioItems":
        return _options(props, "radio")
    if kind == "Select":
        return _select(props)
    if kind == "Input":  # dcc.Input: a native input
        keep = ("id", "name", "type", "value", "className", "placeholder", "autoComplete", "required")
        return f"<input{_attrs({k: props.get(k) for k in keep})}>"
    return ""  # Store, Location and other components that draw nothing
