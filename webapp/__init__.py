"""Arras en données: a town's data-visualisation site; `create_app` (in `webapp.factory`) builds it.

Importing a layer (`webapp.data`, `webapp.figures`…) does not import the whole app: `create_app`
is loaded on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from webapp.factory import create_app

        return create_app
    raise AttributeError(name)
