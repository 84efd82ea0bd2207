"""Typed settings: an explicit argument beats the environment, which beats the default."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any


class SettingsError(RuntimeError):
    """Raised when the configuration cannot run the site (e.g. no secret in production)."""


def _setting(default: Any, env: str, help: str) -> Any:
    return field(default=default, metadata={"env": env, "help": help})


CONTENT_SETTINGS = ("city_name", "city_insee", "city_department", "city_department_name", "city_site_url",
                    "city_primary_color", "contact_email", "publisher", "hypercentre_iris", "site_url")


@dataclass(frozen=True)
class Settings:
    """Every setting of the site, with its environment variable and a one-line help."""

    env: str = _setting("development", "ARRAS_ENV", "`production` refuses to start without a secret key.")
    secret_key: str = _setting("", "SECRET_KEY", "Signs sessions and forms; required in production.")
    database_url: str = _setting(
        "",
        "DATABASE_URL",
        "SQLAlchemy URL; empty: the embedded SQLite file `instance/arras.sqlite3`. "
        "Production: `postgresql+psycopg://user@host/db`.",
    )
    cache_type: str = _setting(
        "SimpleCache", "CACHE_TYPE", "flask-caching backend: `SimpleCache` (in-process) or `RedisCache`."
    )
    redis_url: str = _setting("redis://127.0.0.1:6379/0", "REDIS_URL", "Redis URL when CACHE_TYPE=RedisCache.")
    cache_timeout: int = _setting(3600, "CACHE_TIMEOUT", "Seconds a cached query result is kept.")
    embed_origins: tuple[str, ...] = _setting(
        ("https://www.arras.fr",),
        "EMBED_ORIGINS",
        "Space-separated origins allowed to frame the widgets (`*` for any).",
    )
    city_name: str = _setting("Arras", "CITY_NAME", "Name of the city shown on every page.")
    city_insee: str = _setting("62041", "CITY_INSEE", "INSEE code of the commune whose data is shown.")
    city_department: str = _setting("62", "CITY_DEPARTMENT", "Département code used for comparisons.")
    city_department_name: str = _setting("Pas-de-Calais", "CITY_DEPARTMENT_NAME", "Département name.")
    hypercentre_iris: tuple[str, ...] = _setting(
        ("620410801",), "HYPERCENTRE_IRIS", "Space-separated IRIS codes of the commerce observatory's hypercentre."
    )
    site_url: str = _setting(
        "", "SITE_URL", "Public root URL of this site (e.g. `https://donnees.arras.fr`): the DCAT identifiers; "
        "empty: the request's."
    )
    city_site_url: str = _setting("https://www.arras.fr", "CITY_SITE_URL", "The city's main website.")
    city_primary_color: str = _setting("#8c1c2b", "CITY_PRIMARY_COLOR", "Brand colour (≥ 4.5:1 on white).")
    contact_email: str = _setting(
        "accessibilite@example.invalid", "CONTACT_EMAIL", "Contact for accessibility and data questions."
    )
    publisher: str = _setting("Ville d'Arras", "PUBLISHER", "Legal publisher named in the legal notice.")
    widget_version_ttl: float = _setting(
        1.0, "WIDGET_VERSION_TTL", "Seconds a worker trusts its copy of the data versions for widgets."
    )
    seed_on_start: bool = _setting(False, "SEED_ON_START", "Create and seed the database at start-up.")
    upload_max_mb: int = _setting(100, "UPLOAD_MAX_MB", "Largest file an editor may upload, in MiB.")
    trusted_proxies: int = _setting(
        0, "TRUSTED_PROXIES", "Reverse proxies in front of the site whose X-Forwarded-For/-Proto are trusted."
    )
    signin_max_failures: int = _setting(
        5, "SIGNIN_MAX_FAILURES", "Failed sign-ins allowed per account in 15 minutes (four times that per address)."
    )

    def __post_init__(self) -> None:
        if self.env == "production" and not self.secret_key:
            raise SettingsError(
                "SECRET_KEY is not set: in production (ARRAS_ENV=production) the site refuses to start "
                "without it. Generate one with `python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        if self.cache_type not in ("SimpleCache", "RedisCache", "NullCache"):
            raise SettingsError(f"CACHE_TYPE must be SimpleCache, RedisCache or NullCache, not {self.cache_type!r}.")

    @property
    def content_key(self) -> str:
        """A digest of the settings that shape what pages and charts say (the city, its hypercentre…):
        part of every cache key and widget ETag, so changing one never serves the old content."""
        shown = {name: getattr(self, name) for name in CONTENT_SETTINGS}
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:12]

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `environ` (default: os.environ), with explicit overrides on top."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in overrides:
                values[f.name] = overrides[f.name]
            elif f.metadata["env"] in environ:
                values[f.name] = _parse(f, environ[f.metadata["env"]])
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _parse(f: dataclasses.Field, raw: str) -> Any:
    if isinstance(f.default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(f.default, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise SettingsError(f"{f.metadata['env']} must be a number, not {raw!r}.") from exc
    if isinstance(f.default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise SettingsError(f"{f.metadata['env']} must be an integer, not {raw!r}.") from exc
    if isinstance(f.default, tuple):
        return tuple(raw.split())
    return raw


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting: the README's configuration table."""
    rows = []
    for f in fields(Settings):
        default = " ".join(f.default) if isinstance(f.default, tuple) else str(f.default)
        rows.append((f.metadata["env"], default, f.metadata["help"]))
    return rows
