"""The versioned store as a request sees it: the bound `Database`, dataset versions, versioned caching.

The data layer knows nothing of the web framework: the app factory binds a locator (`bind`) that
returns the running app's `Store` and the namespace of the current context (one per request, or per
application context outside a request), where the versions a request is served are kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import pandas as pd

from webapp.data.db import Database

F = TypeVar("F", bound=Callable[..., Any])


class Cache(Protocol):
    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> Any: ...


@dataclass(frozen=True)
class Store:
    """What the data layer reads through: the database, a shared cache and the settings of the site.

    `cache_key` is a prefix that changes with whatever shapes cached content beyond dataset versions
    (the assets' build, the content settings); `dataset_uses` comes from the chart registry above.
    """

    db: Database
    cache: Cache
    settings_of: Callable[[], Any]  # the site's settings as they are now (the app's, read on each call)
    cache_key: Callable[[], str]
    dataset_uses: Callable[[str], list[dict[str, Any]]] = lambda slug: []  # the charts that read a dataset

    @property
    def settings(self) -> Any:
        return self.settings_of()


@dataclass
class Context:
    """The current context: its store, a namespace kept for its duration, and whether it is a request."""

    store: Store
    scope: Any  # attributes set here live as long as the context
    request: bool


_locate: Callable[[], Context] | None = None


def bind(locate: Callable[[], Context]) -> None:
    """Tell the data layer how to find the current store (called by the app factory)."""
    global _locate
    _locate = locate


def context() -> Context:
    if _locate is None:
        raise RuntimeError("the store is not bound: create the app first (webapp.create_app)")
    return _locate()


def get_db() -> Database:
    return context().store.db


def get_settings() -> Any:
    """The running app's `Settings`."""
    return context().store.settings


def dataset_versions() -> dict[str, int]:
    """The version of every dataset this request is served, read once per request.

    The served versions, unless the request asked for others (`serve_versions`): an editor's
    preview of a staged version, a widget pinned to a past one.
    """
    scope = context().scope
    if getattr(scope, "dataset_versions", None) is None:
        df = get_db().query_df("SELECT slug, version FROM dataset")
        scope.dataset_versions = dict(zip(df["slug"], df["version"].astype(int)))
    return {**scope.dataset_versions, **(getattr(scope, "versions_override", None) or {})}


def serve_versions(versions: dict[str, int]) -> None:
    """Answer this request from these dataset versions instead of the served ones."""
    scope = context().scope
    scope.versions_override = dict(versions)
    scope.build_ids = {}


def build_id(group: str) -> int:
    """The build of `group`'s curated tables for the versions of this request."""
    from webapp.data.publishing import GROUPS

    key = GROUPS[group].key(dataset_versions())
    scope = context().scope
    if getattr(scope, "build_ids", None) is None:
        scope.build_ids = {}
    ids = scope.build_ids
    if key not in ids:
        found = get_db().scalar("SELECT id FROM build WHERE grp = :grp AND versions = :versions",
                                {"grp": group, "versions": key})
        if found is None:
            raise LookupError(f"no build of {group} for {key}")
        ids[key] = found
    return ids[key]


def datasets_meta() -> pd.DataFrame:
    return frame_from_cache(_datasets_meta())


def versioned(*datasets: str) -> Callable[[F], F]:
    """Memoize a function's plain-data result under a key holding the datasets' current versions.

    `versioned("*")` depends on every dataset.
    Results must be JSON-serialisable (dicts, lists, numbers, strings): no Figure or DataFrame
    objects, so every worker and Redis can share them and reading them back costs little.
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            versions = dataset_versions()
            names = sorted(versions) if datasets == ("*",) else datasets
            stamp = ",".join(f"{d}={versions.get(d, 0)}" for d in names)
            raw = json.dumps([args, kwargs], sort_keys=True, default=_key_default)
            store = context().store
            key = f"{fn.__module__}.{fn.__qualname__}|{store.cache_key()}|{stamp}|{hashlib.sha1(raw.encode()).hexdigest()}"
            hit = store.cache.get(key)
            if hit is not None:
                return hit
            value = fn(*args, **kwargs)
            store.cache.set(key, value)
            return value

        return wrapper  # type: ignore[return-value]

    return decorate


def _key_default(obj: Any) -> Any:
    if hasattr(obj, "key"):
        return obj.key()
    raise TypeError(f"cannot build a cache key from {type(obj).__name__}")


def frame_to_cache(df: pd.DataFrame) -> dict[str, Any]:
    """A DataFrame as plain JSON-able data (columns + rows, NaN as None)."""
    clean = df.astype(object).where(df.notna(), None)
    return {"columns": list(df.columns), "rows": clean.values.tolist()}


def frame_from_cache(data: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(data["rows"], columns=data["columns"])


@versioned("*")
def _datasets_meta() -> dict[str, Any]:
    df = get_db().query_df(
        "SELECT slug, title_fr, title_en, description_fr, description_en, theme, producer, licence, "
        "licence_url, source_url, frequency, coverage, last_update, version, is_demo, min_count FROM dataset ORDER BY slug"
    )
    df["last_update"] = df["last_update"].astype(str)
    return frame_to_cache(df)


@versioned("*")
def served_files() -> dict[str, str]:
    """The name of the file each dataset's served version was imported from."""
    df = get_db().query_df(
        "SELECT v.dataset_slug, v.file_name FROM dataset_version v JOIN dataset d "
        "ON d.slug = v.dataset_slug AND d.version = v.version"
    )
    return dict(zip(df["dataset_slug"], df["file_name"]))


def served_file(slug: str, name: str) -> bytes | None:
    """The bytes of the served version's file of `slug`, if it is called `name`."""
    if served_files().get(slug) != name:
        return None
    content = get_db().scalar(
        "SELECT f.content FROM dataset_file f JOIN dataset d ON d.slug = f.dataset_slug AND d.version = f.version "
        "WHERE f.dataset_slug = :slug", {"slug": slug})
    return bytes(content) if content is not None else None
