"""Command line: `flask --app wsgi db upgrade`, `flask --app wsgi db seed`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from webapp.i18n import ngettext

db_cli = AppGroup("db", help="Database schema and shipped data.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply the schema migrations (Alembic) up to REVISION (default: head)."""
    from webapp.data import migrate

    migrate.upgrade(current_app.extensions["arras_db"], revision)
    click.echo(f"Schema at {revision}.")


@db_cli.command("seed")
@click.option("--force", is_flag=True, help="Re-import every shipped file, even of datasets already served.")
def seed_command(force: bool) -> None:
    """Import the files shipped in data/sources of the datasets that serve nothing yet (all with --force)."""
    from webapp.demo import seed

    db = current_app.extensions["arras_db"]
    missing = None if force else seed.unserved(db)
    if missing == []:
        click.echo("Every dataset is served; nothing to do (use --force to re-import).")
        return
    counts = seed.seed(db, only=missing)
    click.echo("Seeded: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


datasets_cli = AppGroup("datasets", help="Dataset versions: import a file the way the editor workspace does.")


@datasets_cli.command("import")
@click.argument("slug")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", "publish_now", is_flag=True, help="Publish the version at once (otherwise it is staged).")
@click.option("--note", default="", help="Version note.")
@click.option("--by", "actor", default="cli", help="Who imports (kept in the version log).")
@click.option("--source-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date the producer published the file (default: unknown; the date already published stays).")
def import_command(slug: str, files: tuple[Path, ...], publish_now: bool, note: str, actor: str, source_date) -> None:
    """Validate FILES against SLUG's schema and keep them as a new version (exit 1 with the report if invalid).

    Several CSV files with the same columns (DVF: one a year) make one version together.
    """
    from webapp.data import publishing

    db = current_app.extensions["arras_db"]
    if not publishing.groups_of(slug):
        raise click.ClickException(f"unknown dataset {slug!r}")
    try:
        staged = publishing.stage_files(db, slug, [(f.read_bytes(), f.name) for f in files], actor, note=note,
                                        source_date=source_date.date() if source_date else None)
    except publishing.Rejected as exc:
        where = f" ({exc.file_name})" if exc.file_name and len(files) > 1 else ""
        refused = ngettext("Fichier refusé{where} : {n} problème. Rien n'a été publié.",
                           "Fichier refusé{where} : {n} problèmes. Rien n'a été publié.", exc.report.total, "fr",
                           where=where)
        click.echo(refused, err=True)
        click.echo(exc.report.text("fr"), err=True)
        sys.exit(1)
    changes = staged.changes
    click.echo(f"{slug} v{staged.version}: {staged.row_count} rows; +{changes['added']} -{changes['removed']} "
               f"~{changes['changed']} against the served version; period {staged.coverage or '-'}.")
    click.echo(f"Read as {staged.file_kind}; columns not used: {', '.join(staged.ignored_columns) or 'none'}.")
    if publish_now:
        publishing.publish(db, {slug: staged.version}, actor)
        click.echo(f"{slug} v{staged.version} published.")
    else:
        click.echo(f"Staged: preview and publish it at /editeur/donnees/{slug}/{staged.version}.")


@datasets_cli.command("rollback")
@click.argument("slug")
@click.argument("version", type=int)
@click.option("--by", "actor", default="cli")
def rollback_command(slug: str, version: int, actor: str) -> None:
    """Serve an earlier published VERSION of SLUG again."""
    from webapp.data import publishing

    try:
        publishing.publish(current_app.extensions["arras_db"], {slug: version}, actor, "rollback")
    except publishing.Refused as exc:
        raise click.ClickException(exc.en) from None
    click.echo(f"{slug} v{version} served again.")


@datasets_cli.command("demo-files")
def demo_files_command() -> None:
    """Write the demo files of data/sources again from the real files they are calibrated on."""
    from webapp.demo import commerce as demo_commerce
    from webapp.demo import housing as demo
    from webapp.demo import reports as demo_reports
    from webapp.demo import seed

    for path in [*demo.write_files(seed.SOURCES), *demo_commerce.write_files(seed.SOURCES),
                 *demo_reports.write_files(seed.SOURCES)]:
        click.echo(f"Wrote {path} ({path.stat().st_size} bytes).")


@datasets_cli.command("demo-footfall")
@click.option("--years", default="2021-2025", show_default=True, help="First and last year, e.g. 2021-2025.")
def demo_footfall_command(years: str) -> None:
    """Generate the demo footfall files (counters and Flux Vision) for YEARS and publish them.

    `db seed` imports the last 13 months only (a quick first start); this gives the benchmark and a
    demonstration the full period, through the editor's import path.
    """
    from webapp.data import publishing
    from webapp.demo import seed

    try:
        first, last = (int(y) for y in years.split("-"))
    except ValueError:
        raise click.BadParameter("write two years, e.g. 2021-2025", param_hint="--years") from None
    db = current_app.extensions["arras_db"]
    generated = seed.Generated(range(first, last + 1))
    staged = {}
    for entry in seed.load_catalogue():
        if "generated" in entry:
            content, name = generated.file(entry["generated"])
            staged[entry["slug"]] = publishing.stage(
                db, entry["slug"], content, name, "cli", note=f"Données de démonstration {first}-{last}.",
                build=False, coverage=f"{first} – {last}", is_demo=True)
            click.echo(f"{entry['slug']} v{staged[entry['slug']].version}: {staged[entry['slug']].row_count} rows.")
    publishing.publish(db, {slug: s.version for slug, s in staged.items()}, "cli")
    click.echo("Published.")


def register(server: Flask) -> None:
    server.cli.add_command(db_cli)
    server.cli.add_command(datasets_cli)
