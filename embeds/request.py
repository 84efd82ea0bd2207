"""A widget's address, validated: the chart, its parameters, language, theme and data version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from embeds.export import DIALECTS, CsvDialect
from webapp.charts import REGISTRY, Chart
from webapp.data import texts
from webapp.data.store import dataset_versions, get_db, serve_versions
from webapp.figures.base import THEMES
from webapp.i18n import LANGS, N_, SOURCE_LANG
from webapp.public_error import PublicError, bad_parameter

@dataclass(frozen=True)
class WidgetRequest:
    """A validated widget URL: chart, its parameters, language, theme and data version."""

    chart: Chart
    params: Any
    query: dict[str, str]  # the chart's own parameters, as given (for links and the cache key)
    lang: str
    theme: str
    stamp: str  # the version stamp of the data shown
    pinned: bool  # `v` was given: the response never changes
    preview: str = ""  # `apercu`: an editor's preview of a staged version ("slug~version"); never cached

    def key(self, *extra: object) -> str:
        # A new release, a change of city or hypercentre never reuse an old page (the store's cache key).
        from webapp.data.store import context

        raw = json.dumps([context().store.cache_key(), self.chart.slug, self.query, self.lang, self.theme, self.stamp, self.preview,
                          texts.token(), *extra],
                         sort_keys=True)
        return "widget:" + hashlib.sha256(raw.encode()).hexdigest()

    @property
    def etag(self) -> str:
        return self.key()[7:31]


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = args.get(name, default)
    if value not in allowed:
        raise bad_parameter(name, value, list(allowed))
    return value


def parse_csv_dialect(args: Mapping[str, str]) -> CsvDialect:
    """`format` of a widget's CSV: `standard` (default, for programs) or `excel-fr` (a French spreadsheet)."""
    return DIALECTS[_choice(args, "format", tuple(DIALECTS), "standard")]


def parse_widget(slug: str, args: Mapping[str, str]) -> WidgetRequest:
    """Validate a widget URL; raises a PublicError (404 unknown chart, 400 bad value, 410 past version)."""
    chart = REGISTRY.get(slug)
    if chart is None:
        raise _unknown(slug)
    lang = _choice(args, "lang", LANGS, SOURCE_LANG)
    theme = _choice(args, "theme", THEMES, "light")
    params = chart.parse(args)
    preview = args.get("apercu", "")
    if preview:
        serve_versions(_preview_versions(preview))
    stamp = chart.stamp(dataset_versions())
    pinned = "v" in args and not preview
    if pinned and args["v"] != stamp:
        past = _pinned_versions(chart, args["v"])
        if past is None:
            raise PublicError(410, N_("La version des données « {asked} » n'est plus servie ; la version actuelle est "
                                      "« {current} ». Retirez `v` de l'adresse pour suivre les dernières données."),
                              asked=args["v"], current=stamp)
        serve_versions(past)
        stamp = args["v"]
    query = {p.name: args[p.name] for p in chart.params if args.get(p.name) not in (None, "", p.default_value())}
    return WidgetRequest(chart, params, query, lang, theme, stamp, pinned, preview)


def _pinned_versions(chart: Chart, stamp: str) -> dict[str, int] | None:
    """The published dataset versions whose data a pinned widget (`v`) shows, if any still exist."""
    from webapp.data.publishing import groups_of, published_build_versions

    groups = {g.name: g for d in chart.depends for g in groups_of(d)}
    for group in groups.values():
        for versions in published_build_versions(get_db(), group):
            if chart.stamp(versions) == stamp:
                return versions
    return None


def _preview_versions(token: str) -> dict[str, int]:
    """`apercu=slug~version`: only a signed-in editor may see a version that is not served."""
    from flask_login import current_user

    from webapp.data import publishing

    slug, _, version = token.partition("~")
    if not current_user.is_authenticated or not version.isdigit():
        raise _unknown(token)
    db = get_db()
    with db.begin() as conn:
        row = publishing.version_row(conn, slug, int(version))
        if row is None or row.status == "discarded":
            raise _unknown(token)
        versions = {**publishing.served_versions(conn), slug: int(version)}
        for group in publishing.groups_of(slug):
            publishing.ensure_build(conn, group, versions)
    return versions


def _unknown(slug: str) -> PublicError:
    return PublicError(404, N_("Aucun graphique ne s'appelle « {slug} ». Graphiques disponibles : {names}."),
                       title=N_("Graphique introuvable"), slug=slug, names=", ".join(sorted(REGISTRY)))
