"""plotly.js's date and number format for each language of the site, from the same CLDR data as the site's own
texts (`webapp.formatting`): months "janv. févr. mars…", days, decimal comma, narrow no-break space.

plotly.js-locales' French writes "Jan", "Déc", "Jun": `python -m webapp.figures.locale` prints the script that
registers these formats instead; `assets/vendor/build.sh` appends it to the vendored plotly bundle, which both the
browser and the server's images (kaleido) draw with. tests/test_chart_grammar.py checks that the bundle ends with
what this module prints.
"""

from __future__ import annotations

import json
from typing import Any

from babel import dates, numbers

from webapp.formatting import LOCALES, short_months
from webapp.i18n import LANGS, SOURCE_LANG


def plotly_locale(lang: str) -> dict[str, Any]:
    """plotly.js's locale module for `lang`: its `format` (d3 time and number format) from CLDR."""
    locale = LOCALES[lang]
    days = dates.get_day_names("wide", context="format", locale=locale)
    short_days = dates.get_day_names("abbreviated", context="format", locale=locale)
    months = dates.get_month_names("wide", context="format", locale=locale)
    order = (6, 0, 1, 2, 3, 4, 5)  # Babel counts from Monday (0), d3 from Sunday
    return {
        "moduleType": "locale",
        "name": lang,
        "dictionary": {},
        "format": {
            "days": [days[d] for d in order],
            "shortDays": [short_days[d] for d in order],
            "months": [months[m] for m in range(1, 13)],
            "shortMonths": list(short_months(lang)),
            "decimal": numbers.get_decimal_symbol(locale),
            "thousands": numbers.get_group_symbol(locale),
            "periods": ["AM", "PM"],  # d3 needs them; the site writes 24-hour times
            "dateTime": "%A %e %B %Y, %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "grouping": [3],
            "currency": ["", "\u00a0€"],  # d3 needs one; the site writes amounts with webapp.formatting
            "year": "%Y",
            "month": "%b %Y",
            "dayMonth": "%-d %b",
            "dayMonthYear": "%-d %b %Y",
        },
    }


def registration_script() -> str:
    """The script that registers every language's format after plotly.js, the page's language the default."""
    modules = ",".join(json.dumps(plotly_locale(lang), ensure_ascii=False, sort_keys=True) for lang in LANGS)
    return ("/* Arras en données: plotly.js date and number formats from CLDR (python -m webapp.figures.locale) */\n"
            f"(function(){{var P=window.Plotly;if(!P){{return;}}[{modules}].forEach(function(m){{P.register(m);}});"
            "var l=(document.documentElement.getAttribute('lang')||'').slice(0,2);"
            f"P.setPlotConfig({{locale:{json.dumps(list(LANGS))}.indexOf(l)>=0?l:{json.dumps(SOURCE_LANG)}}});}})();\n")


if __name__ == "__main__":
    print(registration_script(), end="")
