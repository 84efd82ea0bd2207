"""French (and English) number, percentage and date formats."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from webapp.formatting import (
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_school_year,
    plotly_separators,
)

NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NO_BREAK_SPACES = ("\u202f", "\u00a0")


def test_french_thousands_separator_is_narrow_no_break_space():
    assert fmt_number(12345.6) == f"12{NNBSP}346"
    assert fmt_number(1234567, "fr") == f"1{NNBSP}234{NNBSP}567"
    assert fmt_number(999, "fr") == "999"


def test_french_decimal_comma():
    assert fmt_number(1234.56, "fr", 1) == f"1{NNBSP}234,6"
    assert fmt_number(94.86, "fr", 1) == "94,9"
    assert fmt_number(0.5, "fr", 2) == "0,50"


def test_english_variants():
    assert fmt_number(12345.6, "en") == "12,346"
    assert fmt_number(1234.56, "en", 1) == "1,234.6"
    assert fmt_percent(87.5, "en") == "87.5%"
    assert fmt_date(date(2026, 11, 27), "en") == "27 November 2026"


def test_unknown_language_falls_back_to_french():
    assert fmt_number(1234.5, "de", 1) == f"1{NNBSP}234,5"


def test_french_percent():
    text = fmt_percent(87.5, "fr")
    assert text[:-2] == "87,5"
    assert text[-1] == "%"
    assert text[-2] in NO_BREAK_SPACES, f"the space before % must not break: {text!r}"
    assert fmt_percent(92.26, "fr", 0)[:-2] == "92"
    assert fmt_percent(100, "fr")[:-2] == "100,0"


def test_french_long_date():
    assert fmt_date(date(2026, 11, 27)) == "27 novembre 2026"
    assert fmt_date(date(2021, 4, 2), "fr") == "2 avril 2021"


def test_school_year():
    assert fmt_school_year(2021) == "2021-2022"


def test_plotly_separators():
    # Plotly wants the decimal symbol then the group symbol.
    assert plotly_separators("fr") == "," + NNBSP
    assert plotly_separators("en") == ".,"


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan, np.nan, np.float64("nan")])
def test_missing_values_give_a_dash(missing):
    assert fmt_number(missing) == "–"
    assert fmt_number(missing, "en", 1) == "–"
    assert fmt_percent(missing) == "–"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_fast_paths_say_what_babel_says(lang):
    """fmt_number (no decimals) and fmt_date skip Babel's pattern parsing: same text, checked against Babel."""
    import random
    from datetime import date, timedelta

    from babel import dates, numbers

    from webapp.formatting import LOCALES, fmt_date, fmt_number

    rng = random.Random(62041)
    values = [0, 0.5, 1.5, 2.5, 999.5, 1000, 12345.5, 1e6 - 0.5, 123456789.49] + [
        rng.uniform(0, 10 ** rng.randint(0, 9)) for _ in range(2000)] + [rng.randint(0, 10**9) for _ in range(200)]
    for v in values:
        assert fmt_number(v, lang) == numbers.format_decimal(v, format="#,##0", locale=LOCALES[lang]), v
    day = date(2015, 1, 1)
    while day < date(2027, 1, 1):
        expected = dates.format_date(day, format="long", locale=LOCALES[lang])
        if lang == "fr" and day.day == 1:  # French writes the first of the month as an ordinal
            expected = "1er" + expected[1:]
        assert fmt_date(day, lang) == expected, day
        day += timedelta(days=1)


def test_the_first_of_the_month_is_an_ordinal_in_french():
    from datetime import date

    from webapp.formatting import fmt_date, fmt_short_date

    assert fmt_date(date(2024, 12, 1), "fr") == "1er décembre 2024"
    assert fmt_date(date(2024, 12, 2), "fr") == "2 décembre 2024"
    assert fmt_date(date(2024, 12, 1), "en") == "1 December 2024"
    assert fmt_short_date(date(2025, 2, 1), "fr") == "1er févr."
    assert fmt_short_date(date(2025, 7, 11), "fr") == "11 juil."


def test_french_short_months_are_the_typographic_abbreviations():
    from webapp.formatting import short_months

    assert short_months("fr") == tuple("janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split())


def test_french_percent_has_a_narrow_no_break_space():
    assert fmt_percent(25, "fr", 0) == "25\u202f%"
    assert fmt_percent(87.5, "fr") == "87,5\u202f%"
    assert fmt_percent(25, "en", 0) == "25%"


def test_numeric_dates_for_tables():
    from datetime import date

    from webapp.formatting import fmt_numeric_date

    assert fmt_numeric_date(date(2024, 12, 1), "fr") == "01/12/2024"
