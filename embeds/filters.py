"""The filters a widget shows, in words: « Filtre : secteur public » under its title and in its images."""

from __future__ import annotations

import re

from embeds.export import ISO_MONTH
from embeds.request import WidgetRequest
from webapp.charts import Param
from webapp.charts.geography import iris_choices
from webapp.data.store import frame_from_cache
from webapp.formatting import month_text
from webapp.i18n import ngettext

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")  # "Quartier (code IRIS)" -> "Quartier"


def _label(param: Param, lang: str) -> str:
    text = _PARENTHESIS.sub("", param.label[lang]).strip()
    return text[:1].lower() + text[1:]


def _value(param: Param, value: str, lang: str) -> str:
    """A parameter's value for reading: an IRIS code by its quartier's name, a month in words."""
    label_of = getattr(param, "label_of", None)  # a chart that names its values says so
    if callable(label_of):
        return ", ".join(label_of(v, lang) for v in value.split(",")) if param.multiple else label_of(value, lang)
    if ISO_MONTH.match(value):
        return month_text(value, lang)
    iris = frame_from_cache(iris_choices())
    names = dict(zip(iris["code"], iris["name"]))
    return ", ".join(names.get(v, v) for v in value.split(",")) if param.multiple else names.get(value, value)


def filter_line(w: WidgetRequest) -> str:
    """'Filtre : secteur public' (or '' without filter): the parameters given that are not the default."""
    parts = [f"{_label(p, w.lang)} {_value(p, w.query[p.name], w.lang)}" for p in w.chart.params if p.name in w.query]
    if not parts:
        return ""
    return ngettext("Filtre : {filters}", "Filtres : {filters}", len(parts), w.lang, filters=" ; ".join(parts))
