"""Callbacks of the footfall story: filters (or a tap on a counting point) -> charts, and the URL."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from webapp.callbacks.router import URL_ID
from webapp.callbacks.stories import chart_outputs, chart_values, lang_of
from webapp.charts import BadParameter
from webapp.charts import footfall as fc
from webapp.layouts import footfall as page
from webapp.layouts.components import ids

MAP = "frequentation-carte"
PARAMS = (fc.PARAM_POINT, fc.PARAM_FROM, fc.PARAM_TO, fc.PARAM_EVENT, fc.PARAM_ZONE, fc.PARAM_CATEGORY)


def register(app: Dash) -> None:
    outputs = [*chart_outputs(fc.STORY), Output(page.STATUS_ID, "children")]
    inputs = [Input(page.POINT_ID, "value"), Input(page.FROM_ID, "value"), Input(page.TO_ID, "value"),
              Input(page.EVENT_ID, "value"), Input(page.ZONE_ID, "value"), Input(page.CATEGORY_ID, "value")]

    @app.callback(*outputs, *inputs, State(URL_ID, "search"), prevent_initial_call=True)
    def update_charts(*values):
        *chosen, search = values
        if not all(isinstance(v, str) for v in chosen):
            raise PreventUpdate
        lang = lang_of(search)
        try:
            f = fc.parse_filters(dict(zip(PARAMS, chosen)))
        except BadParameter:
            raise PreventUpdate from None
        return *chart_values(fc.STORY, f, fc.filter_query(f), lang), page.status_text(f, lang)

    # A tap on a counting point chooses it (its site_id is in the figure's layout.meta).
    app.clientside_callback(
        """
        function(click, payload) {
            var none = window.dash_clientside.no_update;
            if (!click || !click.points || !click.points.length || !payload) { return none; }
            var meta = (payload.figure.layout || {}).meta || {};
            var p = click.points[0];
            if (p.curveNumber !== meta.trace) { return none; }
            return (meta.points || [])[p.pointNumber] || none;
        }
        """,
        Output(page.POINT_ID, "value"),
        Input(f"{MAP}-graph", "clickData"), State(ids(MAP)["figure"], "data"),
        prevent_initial_call=True,
    )

    # The view is a shareable link: the query string follows the filters (no new history entry).
    app.clientside_callback(
        """
        function(point, first, last, event, zone, category) {
            var params = new URLSearchParams(window.location.search);
            var select = document.getElementById("MONTHS_ID");
            var months = select ? Array.prototype.map.call(select.options, function(o) { return o.value; })
                .filter(Boolean) : [];
            var set = function(k, v, dflt) { if (!v || v === dflt) { params.delete(k); } else { params.set(k, v); } };
            var lo = first, hi = last;
            if (lo && hi && lo > hi) { lo = last; hi = first; }
            set("lieu", point, "tous");
            set("debut", lo, months[0]);
            set("fin", hi, months[months.length - 1]);
            var events = document.getElementById("EVENTS_ID");
            var latest = events && events.options.length ? events.options[events.options.length - 1].value : "";
            if (event) { set("evenement", event, latest); params.delete("du"); params.delete("au"); }
            set("zone", zone, "tous");
            set("categorie", category, "tous");
            var q = params.toString();
            window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
            return window.dash_clientside.no_update;
        }
        """.replace("MONTHS_ID", page.FROM_ID).replace("EVENTS_ID", page.EVENT_ID),
        Output(page.STATUS_ID, "title"),
        *inputs,
        prevent_initial_call=True,
    )
