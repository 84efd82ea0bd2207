"""One formatting layer for numbers, percentages and dates, from Babel's CLDR data.

French: thousands separated by a narrow no-break space (U+202F), decimal comma, "12,5 %" (no-break
space before % as CLDR has it),
"27 novembre 2026". The same functions serve hover labels, ticks, tables, key figures and sentences.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

from babel import Locale, dates, numbers

from webapp.i18n import LANGS, SOURCE_LANG, locale_of, pgettext

LOCALES = {lang: locale_of(lang) for lang in LANGS}  # from each catalogue's `Language` header


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES[SOURCE_LANG])


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@lru_cache(maxsize=8)
def _group_symbol(lang: str) -> str:
    return numbers.get_group_symbol(_locale(lang))


def fmt_number(value: float | None, lang: str = "fr", decimals: int = 0) -> str:
    """12345.6 -> '12 346' (fr, narrow no-break space) or '12,346' (en); missing -> '–'."""
    if _missing(value):
        return "–"
    if decimals == 0 and 0 <= value < 1e15:
        # What Babel's "#,##0" gives (half-even rounding, CLDR group symbol) without parsing its pattern
        # on every call: a table of five years of days formats ten thousand numbers.
        return f"{round(float(value)):,}".replace(",", _group_symbol(lang))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(value, format=pattern, locale=_locale(lang))


def fmt_percent(value: float | None, lang: str = "fr", decimals: int = 1) -> str:
    """A percentage given in percent points: 87.5 -> '87,5 %'."""
    if _missing(value):
        return "–"
    base = Locale.parse(_locale(lang)).percent_formats[None].pattern  # fr: "#,##0\u00a0%" (CLDR)
    pattern = base.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""), 1)
    # French typography sets a narrow no-break space (U+202F) before %, where CLDR has a no-break space.
    return numbers.format_percent(value / 100, format=pattern, locale=_locale(lang)).replace("\u00a0%", "\u202f%")


@lru_cache(maxsize=8)
def _long_months(lang: str) -> dict[int, str] | None:
    """The month names of the locale's long date format when it is 'd MMMM y' (fr_FR, en_GB), else None."""
    if dates.get_date_format("long", locale=_locale(lang)).pattern != "d MMMM y":
        return None
    return dict(dates.get_month_names("wide", locale=_locale(lang)))


def day_number(day: int, lang: str = "fr") -> str:
    """The day of the month as a date writes it: 1 -> '1er' in French (an ordinal), '1' in English."""
    return pgettext("the first day of a month, in a date", "1er", lang) if day == 1 else str(day)


def fmt_date(value: date, lang: str = "fr") -> str:
    """date(2026, 11, 27) -> '27 novembre 2026' (fr) or '27 November 2026' (en); the 1st: '1er décembre 2024'."""
    months = _long_months(lang)
    if months is None:
        return dates.format_date(value, format="long", locale=_locale(lang))
    # Babel's "d MMMM y", without parsing it each time
    return f"{day_number(value.day, lang)} {months[value.month]} {value.year}"


@lru_cache(maxsize=8)
def short_months(lang: str = "fr") -> tuple[str, ...]:
    """CLDR's abbreviated month names, January first: 'janv.', 'févr.', 'mars' … 'déc.' (fr)."""
    names = dates.get_month_names("abbreviated", context="format", locale=_locale(lang))
    return tuple(names[m] for m in range(1, 13))


def fmt_short_date(value: date, lang: str = "fr") -> str:
    """date(2024, 12, 1) -> '1er déc.' (fr), '1 Dec' (en): a day on a time axis."""
    return f"{day_number(value.day, lang)} {short_months(lang)[value.month - 1]}"


def fmt_numeric_date(value: date, lang: str = "fr") -> str:
    """date(2024, 12, 1) -> '01/12/2024' (fr), CLDR's short date with a four-digit year: a date in a table."""
    pattern = dates.get_date_format("short", locale=_locale(lang)).pattern
    return dates.format_date(value, format=pattern.replace("yyyy", "y").replace("yy", "y"), locale=_locale(lang))


def fmt_school_year(year: int, lang: str = "fr") -> str:
    """2021 -> '2021-2022': a school year is named by its two calendar years."""
    return f"{year}-{year + 1}"


@lru_cache(maxsize=4)
def plotly_separators(lang: str = "fr") -> str:
    """Plotly's `layout.separators`: decimal symbol then group symbol, from CLDR."""
    loc = Locale.parse(_locale(lang))
    return numbers.get_decimal_symbol(loc) + numbers.get_group_symbol(loc)


def month_text(month: str, lang: str = "fr") -> str:
    """'2024-12' -> 'décembre 2024' (fr), 'December 2024' (en)."""
    return fmt_date(date.fromisoformat(month + "-01"), lang).split(" ", 1)[1]  # "1er décembre 2024" -> "décembre 2024"


def upper_first(text: str) -> str:
    """'rue Gambetta' -> 'Rue Gambetta' (str.capitalize would lower the rest: 'Place des héros')."""
    return text[:1].upper() + text[1:]
