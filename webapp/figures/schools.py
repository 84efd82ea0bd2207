"""Figures of the schools story."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from webapp.figures.base import (
    AREA_COLOR,
    GRID_COLOR,
    LEVEL_COLORS,
    REFERENCE_COLOR,
    SERIES_COLORS,
    base_layout,
    empty_figure,
    label_margin,
    polygon_paths,
    short_school_name,
)
from webapp.formatting import fmt_number, fmt_percent, fmt_school_year
from webapp.i18n import N_, _, pgettext

NO_DATA = N_("Aucun établissement ne correspond aux filtres choisis.")
NO_LYCEE = N_("Aucun lycée ne correspond aux filtres choisis : l'IPS n'est publié sur plusieurs années que pour les "
              "lycées.")
NO_COLLEGE = N_("Aucun collège ne correspond aux filtres choisis : le brevet ne concerne que les collèges.")
NO_ENROLMENT = N_("Aucun effectif publié pour les établissements choisis (les effectifs des écoles de la commune ne "
                  "sont pas dans les fichiers ouverts utilisés).")


# The level words have their context: here "école" is a primary school, whatever "École" means elsewhere.

def level_label(level: str, lang: str) -> str:
    """A school's level, as a trace name or a table cell: "École", "Collège", "Lycée"."""
    labels = {
        "ecole": pgettext("niveau scolaire", "École", lang),
        "college": pgettext("niveau scolaire", "Collège", lang),
        "lycee": pgettext("niveau scolaire", "Lycée", lang),
    }
    return labels.get(level, level)


def level_plural(level: str, lang: str) -> str:
    """The schools of a level, inside a sentence: "écoles", "collèges", "lycées"."""
    plurals = {
        "ecole": pgettext("niveau scolaire", "écoles", lang),
        "college": pgettext("niveau scolaire", "collèges", lang),
        "lycee": pgettext("niveau scolaire", "lycées", lang),
    }
    return plurals.get(level, level)


def sector_label(sector: str, lang: str) -> str:
    """A school's sector, as a table cell: "public", "privé sous contrat"."""
    labels = {"public": _("public", lang), "prive": _("privé sous contrat", lang)}
    return labels.get(sector, sector)


def unique_short_names(df: pd.DataFrame, lang: str) -> list[str]:
    """Short axis labels; where two schools share one, the level is added, then the full name, then a number."""
    levels = df["level"].map({lv: level_label(lv, lang) for lv in ("ecole", "college", "lycee")}).str.lower()
    labels = df["name"].map(short_school_name)
    dup = labels.duplicated(keep=False)
    labels = labels.where(~dup, labels + " (" + levels + ")")
    dup = labels.duplicated(keep=False)
    labels = labels.where(~dup, df["name"])
    counts: dict[str, int] = {}
    out = []
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
        out.append(label if counts[label] == 1 else f"{label} ({counts[label]})")
    return out


def build_map(schools: pd.DataFrame, iris: pd.DataFrame, selected_iris: str | None, lang: str,
              height: int = 400) -> dict[str, Any]:
    """IRIS outlines on a plain background and the located schools, by level and sector."""
    unknown = _("non connu", lang)
    traces: list[dict[str, Any]] = []
    lats: list[float] = []
    for row in iris.itertuples():
        xs, ys = polygon_paths(json.loads(row.geometry))
        lats += [y for y in ys if y is not None]
        chosen = row.code == selected_iris
        traces.append({
            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
            "fillcolor": "rgba(140,28,43,0.16)" if chosen else AREA_COLOR,
            "line": {"color": "#8c1c2b" if chosen else "#868e96", "width": 2 if chosen else 1},
            "hoveron": "fills", "hoverinfo": "text", "text": row.name, "name": row.name,
            "showlegend": False,
        })
    located = schools.dropna(subset=["latitude", "longitude"])
    for level, group in located.groupby("level", sort=False):
        custom = [
            [r.name, sector_label(r.sector, lang), r.priority_education or unknown,
             fmt_number(r.ips, lang, 1) if pd.notna(r.ips) else unknown, r.iris_name or ""]
            for r in group.itertuples()
        ]
        traces.append({
            "type": "scatter", "mode": "markers", "name": level_label(level, lang),
            "x": group["longitude"].tolist(), "y": group["latitude"].tolist(),
            "marker": {
                "size": 14, "color": LEVEL_COLORS[level],
                "symbol": ["diamond" if s == "prive" else "circle" for s in group["sector"]],
                "line": {"width": 2, "color": ["#000000" if str(p).startswith("REP") else "#ffffff"
                                              for p in group["priority_education"]]},
            },
            "customdata": custom,
            "hovertemplate": (
                "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[4]}<br>"
                + _("Éducation prioritaire\u202f: {value}", lang, value="%{customdata[2]}") + "<br>"
                + _("IPS\u202f: {value}", lang, value="%{customdata[3]}") + "<extra></extra>"
            ),
        })
    mean_lat = sum(lats) / len(lats) if lats else 50.29
    axis = {"visible": False, "fixedrange": True}
    layout = base_layout(
        lang, height,
        xaxis=dict(axis),
        yaxis=dict(axis, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat))),
        hovermode="closest", dragmode=False,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"},
    )
    return {"data": traces, "layout": layout}


def build_ips(schools: pd.DataFrame, reference: pd.DataFrame, department: str, lang: str) -> dict[str, Any]:
    """Latest IPS of each school, grouped by level, each level with the département's mean."""
    rated = schools.dropna(subset=["ips"]).copy()
    if rated.empty:
        return empty_figure(_(NO_DATA, lang), lang)
    rated["label"] = unique_short_names(rated, lang)
    traces: list[dict[str, Any]] = []
    order: list[str] = []
    ref_x, ref_y, ref_custom = [], [], []
    for level in ("ecole", "college", "lycee"):
        group = rated[rated["level"] == level].sort_values("ips")
        if group.empty:
            continue
        year = int(group["ips_year"].max())
        ref = reference[(reference["level"] == level) & (reference["year"] == year)]
        if not ref.empty:
            label = f"{department} · {level_plural(level, lang)}"
            value = float(ref["ips"].iloc[0])
            ref_x.append(value)
            ref_y.append(label)
            ref_custom.append([_("Moyenne {dep} ({level})", lang, dep=department, level=level_plural(level, lang)),
                               fmt_number(value, lang, 1), fmt_school_year(year)])
            order.append(label)
        order += group["label"].tolist()
        traces.append(_hbar(level_label(level, lang), group["ips"].tolist(), group["label"].tolist(),
                            LEVEL_COLORS[level], [fmt_number(v, lang, 1) for v in group["ips"]],
                            [[n, fmt_number(v, lang, 1), fmt_school_year(year)]
                             for n, v in zip(group["name"], group["ips"])]))
    if ref_x:
        traces.append(_hbar(_("Moyenne {dep}", lang, dep=department),
                            ref_x, ref_y, REFERENCE_COLOR, [fmt_number(v, lang, 1) for v in ref_x], ref_custom))
    for trace in traces:
        trace["hovertemplate"] = ("<b>%{customdata[0]}</b><br>" + _("IPS {year}\u202f: {value}", lang,
                                                                     year="%{customdata[2]}", value="%{customdata[1]}")
                                  + "<extra></extra>")
    layout = base_layout(
        lang, 90 + 24 * len(order),
        xaxis={"title": {"text": _("IPS", lang)}, "gridcolor": GRID_COLOR, "fixedrange": True,
               "range": [0, max(140.0, float(rated["ips"].max()) + 18)], "dtick": 50, "tickangle": 0},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "fixedrange": True},
        barmode="overlay", bargap=0.25,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        margin={"l": label_margin(order), "r": 40, "t": 40, "b": 40},
    )
    return {"data": traces, "layout": layout}


def _hbar(name: str, xs: list[float], ys: list[str], color: str, texts: list[str],
          custom: list[list[str]], hovertemplate: str = "") -> dict[str, Any]:
    """One horizontal bar trace with its (French-formatted) values written at the end of the bars."""
    return {
        "type": "bar", "orientation": "h", "name": name, "x": xs, "y": ys, "marker": {"color": color},
        "text": texts, "textposition": "outside", "textfont": {"size": 12}, "constraintext": "none",
        "cliponaxis": False, "customdata": custom, "hovertemplate": hovertemplate,
    }


def build_ips_history(history: pd.DataFrame, reference: pd.DataFrame, department: str,
                      lang: str) -> dict[str, Any]:
    """IPS of each lycée over the school years, against the département's lycées."""
    lycees = history[history["level"] == "lycee"]
    if lycees.empty:
        return empty_figure(_(NO_LYCEE, lang), lang)
    traces = []
    for i, (uai, group) in enumerate(lycees.groupby("uai", sort=False)):
        name = group["name"].iloc[0]
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": short_school_name(name),
            "x": group["year"].tolist(), "y": group["ips"].tolist(),
            "line": {"color": SERIES_COLORS[i % len(SERIES_COLORS)], "width": 2},
            "customdata": [[name, fmt_number(v, lang, 1), fmt_school_year(y)] for v, y in zip(group["ips"], group["year"])],
            "hovertemplate": ("<b>%{customdata[0]}</b><br>"
                              + _("{label}\u202f: {value}", lang, label="%{customdata[2]}", value="%{customdata[1]}")
                              + "<extra></extra>"),
        })
    ref = reference[reference["level"] == "lycee"]
    traces.append({
        "type": "scatter", "mode": "lines",
        "name": _("Moyenne {dep} ({level})", lang, dep=department, level=level_plural("lycee", lang)),
        "x": ref["year"].tolist(), "y": ref["ips"].tolist(),
        "line": {"color": REFERENCE_COLOR, "width": 3, "dash": "dash"},
        "customdata": [[fmt_number(v, lang, 1), fmt_school_year(y)] for v, y in zip(ref["ips"], ref["year"])],
        "hovertemplate": (_("{label}\u202f: {value}", lang, label="%{customdata[1]}", value="%{customdata[0]}")
                          + "<extra>" + department + "</extra>"),
    })
    layout = base_layout(
        lang, 460,
        xaxis={"title": {"text": _("Année de rentrée", lang)}, "dtick": 1, "tickangle": 0, "fixedrange": True,
               "tickformat": "d"},
        yaxis={"title": {"text": _("IPS", lang)}, "gridcolor": GRID_COLOR, "fixedrange": True},
        hovermode="closest", margin={"l": 60, "r": 16, "t": 8, "b": 50},
    )
    return {"data": traces, "layout": layout}


def build_enrolment(enrolment: pd.DataFrame, lang: str) -> dict[str, Any]:
    """Pupils per collège and lycée, one bar per school year."""
    if enrolment.empty:
        return empty_figure(_(NO_ENROLMENT, lang), lang)
    schools = enrolment.drop_duplicates("uai").sort_values(["level", "name"])
    labels = dict(zip(schools["uai"], unique_short_names(schools, lang)))
    order = [labels[u] for u in schools["uai"]]
    traces = []
    for i, (year, group) in enumerate(enrolment.groupby("year")):
        traces.append(_hbar(
            _("Rentrée {year}", lang, year=fmt_school_year(year)), group["pupils"].tolist(),
            [labels[u] for u in group["uai"]], SERIES_COLORS[i % len(SERIES_COLORS)],
            [fmt_number(v, lang) for v in group["pupils"]],
            [[n, fmt_number(v, lang), fmt_school_year(year)] for n, v in zip(group["name"], group["pupils"])],
            "<b>%{customdata[0]}</b><br>"
            + _("{year}\u202f: {n} élèves", lang, year="%{customdata[2]}", n="%{customdata[1]}") + "<extra></extra>",
        ))
    # A slot per school and year (plotly keeps it for every school, drawn or not), each as tall as its label.
    height = 90 + 24 * len(order) * max(1, len(traces))
    layout = base_layout(
        lang, height,
        xaxis={"title": {"text": _("élèves", lang)}, "gridcolor": GRID_COLOR, "fixedrange": True,
               "separatethousands": True},  # "1 500" like the bar labels
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "fixedrange": True},
        barmode="group", bargap=0.15, margin={"l": label_margin(order), "r": 48, "t": 30, "b": 40},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "reversed"},
    )
    return {"data": traces, "layout": layout}


def build_dnb(dnb: pd.DataFrame, reference: pd.DataFrame, department: str, lang: str) -> dict[str, Any]:
    """Brevet success rate per collège and session, with the département's rate."""
    if dnb.empty:
        return empty_figure(_(NO_COLLEGE, lang), lang)
    schools = dnb.drop_duplicates("uai").sort_values("name")
    labels = dict(zip(schools["uai"], unique_short_names(schools.assign(level="college"), lang)))
    ref_label = department
    order = [ref_label] + [labels[u] for u in schools["uai"]]
    traces = []
    for i, (session, group) in enumerate(dnb.groupby("session")):
        ref = reference[reference["session"] == session]
        ys = [labels[u] for u in group["uai"]] + ([ref_label] if not ref.empty else [])
        xs = group["success_rate"].tolist() + ([float(ref["success_rate"].iloc[0])] if not ref.empty else [])
        names = group["name"].tolist() + ([department] if not ref.empty else [])
        cands = group["candidates"].tolist() + ([int(ref["candidates"].iloc[0])] if not ref.empty else [])
        traces.append(_hbar(
            _("Session {year}", lang, year=session), xs, ys, SERIES_COLORS[i % len(SERIES_COLORS)],
            [fmt_percent(x, lang, 0) for x in xs],
            [[n, fmt_percent(x, lang), fmt_number(c, lang), str(session)] for n, x, c in zip(names, xs, cands)],
            "<b>%{customdata[0]}</b><br>" + _("{year}\u202f: {rate} ({n} candidats)", lang, year="%{customdata[3]}",
                                              rate="%{customdata[1]}", n="%{customdata[2]}") + "<extra></extra>",
        ))
    height = 90 + 24 * len(order) * max(1, len(traces))  # a bar a value, each as tall as its label
    layout = base_layout(
        lang, height,
        xaxis={"title": {"text": "%"}, "range": [0, 112], "gridcolor": GRID_COLOR, "fixedrange": True,
               "tickvals": [0, 25, 50, 75, 100]},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "fixedrange": True},
        barmode="group", bargap=0.15, margin={"l": label_margin(order), "r": 40, "t": 30, "b": 40},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "reversed"},
    )
    return {"data": traces, "layout": layout}
