"""Command line: `flask --app wsgi db upgrade`, `flask --app wsgi db seed`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

db_cli = AppGroup("db", help="Database schema and shipped data.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply the schema migrations (Alembic) up to REVISION (default: head)."""
    from webapp.data import migrate

    migrate.upgrade(current_app.extensions["arras_db"], revision)
    click.echo(f"Schema at {revision}.")


@db_cli.command("seed")
@click.option("--force", is_flag=True, help="Re-import even if the store already holds data.")
def seed_command(force: bool) -> None:
    """Import the official files shipped in data/sources (once, unless --force)."""
    from webapp.data import seed

    db = current_app.extensions["arras_db"]
    if seed.is_seeded(db) and not force:
        click.echo("Already seeded; nothing to do (use --force to re-import).")
        return
    counts = seed.seed(db)
    click.echo("Seeded: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


def register(server: Flask) -> None:
    server.cli.add_command(db_cli)
