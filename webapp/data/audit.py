"""The audit log: sign-ins (and failed attempts), stages, publishes, rollbacks, text edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, insert, select

from webapp.data import tables as t


def record(conn: Connection, actor: str, action: str, target: str = "", detail: str = "", address: str = "") -> None:
    conn.execute(insert(t.audit_log).values(
        at=datetime.now(UTC), actor=actor[:254], action=action, target=target[:200], detail=detail,
        address=(address or "")[:64],
    ))


def recent_failures(conn: Connection, email: str, address: str, window: timedelta) -> tuple[int, int]:
    """Failed sign-ins in the last `window`: (for this account, from this address)."""
    since = datetime.now(UTC) - window
    base = select(func.count()).select_from(t.audit_log).where(
        t.audit_log.c.action == "signin_failed", t.audit_log.c.at >= since)
    by_account = conn.execute(base.where(t.audit_log.c.actor == email)).scalar_one()
    by_address = conn.execute(base.where(t.audit_log.c.address == address)).scalar_one()
    return by_account, by_address



