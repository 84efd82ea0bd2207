"""Editor accounts: Argon2id passwords, sessions (flask-login), throttled sign-in, the `users` command.

Accounts exist only when created from the command line; there is no default account or password.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask import Flask, current_app, request
from flask.cli import AppGroup
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin
from sqlalchemy import func, insert, select, update

from webapp.data import audit
from webapp.data import tables as t
from webapp.data.db import Database
from webapp.i18n import _l

ROLES = ("editor", "admin")
MIN_PASSWORD = 12
THROTTLE_WINDOW = timedelta(minutes=15)
ADDRESS_FACTOR = 4  # an address may fail for a few accounts (a shared office) before it is throttled

hasher = PasswordHasher()  # Argon2id, argon2-cffi's defaults (RFC 9106 low-memory profile)
login_manager = LoginManager()
_DUMMY_HASH = hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class User(UserMixin):
    id: int
    email: str
    role: str

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class SignInRefused(Exception):
    def __init__(self, fr: str, en: str, status: int = 401) -> None:
        super().__init__(en)
        self.fr, self.en, self.status = fr, en, status

    @classmethod
    def of(cls, text: Mapping[str, str], status: int = 401) -> SignInRefused:
        """From a lazy text (`_l("…")`)."""
        return cls(text["fr"], text["en"], status)


def _db() -> Database:
    return current_app.extensions["arras_db"]


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    with _db().engine.connect() as conn:
        row = conn.execute(select(t.app_user).where(t.app_user.c.id == int(user_id), t.app_user.c.active)).first()
    return User(row.id, row.email, row.role) if row else None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(db: Database, email: str, password: str, role: str) -> None:
    email = normalise_email(email)
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if "@" not in email:
        raise ValueError("not an e-mail address")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
    with db.begin() as conn:
        if conn.execute(select(t.app_user.c.id).where(t.app_user.c.email == email)).first():
            raise ValueError(f"{email} already has an account")
        conn.execute(insert(t.app_user).values(
            email=email, password_hash=hasher.hash(password), role=role, active=True, created_at=datetime.now(UTC)))
        audit.record(conn, "cli", "user_create", email, role)


def set_active(db: Database, email: str, active: bool) -> None:
    email = normalise_email(email)
    with db.begin() as conn:
        done = conn.execute(update(t.app_user).where(t.app_user.c.email == email).values(active=active)).rowcount
        if not done:
            raise ValueError(f"no account for {email}")
        audit.record(conn, "cli", "user_enable" if active else "user_disable", email)


def authenticate(db: Database, email: str, password: str, address: str, max_failures: int) -> User:
    """The user, or `SignInRefused`. Failures are logged; too many close the door for a while."""
    email = normalise_email(email)[:254]
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    refusal = None
    with db.begin() as conn:  # committed before any refusal is raised: failures must be counted
        by_account, by_address = audit.recent_failures(conn, email, address, THROTTLE_WINDOW)
        row = conn.execute(select(t.app_user).where(t.app_user.c.email == email)).first()
        if by_account >= max_failures or by_address >= max_failures * ADDRESS_FACTOR:
            audit.record(conn, email, "signin_throttled", "", "", address)
            refusal = SignInRefused.of(_l("Trop de tentatives de connexion échouées : réessayez dans {minutes} "
                                          "minutes.", minutes=minutes), 429)
        else:
            try:
                hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
                ok = row is not None and row.active
            except (VerifyMismatchError, InvalidHashError):
                ok = False
            if ok:
                if hasher.check_needs_rehash(row.password_hash):
                    conn.execute(update(t.app_user).where(t.app_user.c.id == row.id)
                                 .values(password_hash=hasher.hash(password)))
                audit.record(conn, email, "signin", "", "", address)
            else:
                audit.record(conn, email, "signin_failed", "", "", address)
                refusal = SignInRefused.of(_l("Adresse électronique ou mot de passe incorrect."))
    if refusal is not None:
        raise refusal
    return User(row.id, row.email, row.role)


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is `Secure` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def secret_key(instance_path: str) -> str:
    """A development secret kept in the instance folder, shared by every worker of this machine.

    Written to a temporary file then linked into place: a worker starting at the same moment reads
    either no file or the whole key, never an empty one.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"secret_key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another worker was first: use its key
        finally:
            tmp.unlink()
    return path.read_text().strip()


def init_app(server: Flask) -> None:
    server.session_interface = SessionInterface()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax")
    login_manager.init_app(server)
    login_manager.session_protection = "basic"
    server.cli.add_command(users_cli)


# --- command line -------------------------------------------------------------------------------

users_cli = AppGroup("users", help="Editor accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="editor: datasets and texts; admin: also the audit log.")
def create_command(email: str, role: str) -> None:
    """Create an account; the password is asked twice (never on the command line)."""
    password = click.prompt("Mot de passe / password", hide_input=True, confirmation_prompt=True)
    try:
        create_user(_db(), email, password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Account created: {normalise_email(email)} ({role}).")


@users_cli.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Disable an account: it can no longer sign in, and its open sessions end."""
    _set_active_command(email, False)


@users_cli.command("enable")
@click.argument("email")
def enable_command(email: str) -> None:
    """Enable a disabled account again."""
    _set_active_command(email, True)


def _set_active_command(email: str, active: bool) -> None:
    try:
        set_active(_db(), email, active)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Account {'enabled' if active else 'disabled'}: {normalise_email(email)}.")


@users_cli.command("list")
def list_command() -> None:
    """Every account with its role and state."""
    with _db().engine.connect() as conn:
        rows = conn.execute(select(t.app_user).order_by(func.lower(t.app_user.c.email))).all()
    for row in rows:
        click.echo(f"{row.email}\t{row.role}\t{'active' if row.active else 'disabled'}")
