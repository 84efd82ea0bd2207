"""Interface language: every user-facing string goes through gettext, one catalogue per language.

The strings in the code are the French text (the site speaks French first); each language has its
catalogue in `webapp/translations/<lang>/LC_MESSAGES/messages.po`, compiled to `.mo` at install
(`make install`). A third language is a new catalogue: `LANGS` lists the catalogues found.

- `_(message, lang, **kwargs)`: the translation, formatted with `str.format(**kwargs)` if given;
- `ngettext(singular, plural, n, lang, **kwargs)`: the plural form for `n` (`{n}` is formatted);
- `pgettext(context, message, lang, **kwargs)`: a message whose translation depends on its context;
- `N_(message)`: marks a string for extraction, translated later with `_(…, lang)`;
- `_l(message, **kwargs)`: a lazy text, a mapping from language to translation (`title[lang]`);
  `_nl(singular, plural, n, **kwargs)` a lazy plural.

`pybabel extract -F babel.cfg -k _l -k N_ -k _nl:1,2 -o messages.pot .` finds them (`make messages`).
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import urlencode

from babel import Locale
from babel.messages import mofile, pofile
from babel.support import Translations

SOURCE_LANG = "fr"
DOMAIN = "messages"
CATALOGUES = Path(__file__).with_name("translations")


def _catalogue_langs() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANG, *(lang for lang in found if lang != SOURCE_LANG))


LANGS: tuple[str, ...] = _catalogue_langs()


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang`; compiled in memory when its `.mo` is missing or older than its `.po`."""
    po = CATALOGUES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if not po.exists():
        if lang == SOURCE_LANG:
            return _gettext.NullTranslations()
        raise LookupError(f"no catalogue for language {lang!r}")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    with po.open("rb") as fp:
        catalog = pofile.read_po(fp, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    mofile.write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@functools.cache
def locale_of(lang: str) -> str:
    """The CLDR locale of a language's formats, from its catalogue's `Language` header ("fr_FR", "en_GB")."""
    po = CATALOGUES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po.exists():
        with po.open("rb") as fp:
            catalog = pofile.read_po(fp, domain=DOMAIN)
        if catalog.locale_identifier:
            return catalog.locale_identifier
    return lang


def parse_lang(value: str | None) -> str:
    """`lang` from the query string; anything but a known language falls back to French."""
    return value if value in LANGS else SOURCE_LANG


def _format(text: str, kwargs: Mapping[str, object], lang: str) -> str:
    if not kwargs:
        return text
    return text.format(**{k: (v[lang] if isinstance(v, Text) else v) for k, v in kwargs.items()})


def _(message: str, lang: str, /, **kwargs: object) -> str:
    """The translation of `message` in `lang`, formatted with `kwargs` when given."""
    return _format(translations(parse_lang(lang)).gettext(message), kwargs, lang)


def ngettext(singular: str, plural: str, n: float, lang: str, /, **kwargs: object) -> str:
    """The plural form of `lang` for `n`; `{n}` in the text is formatted with `n` unless given.

    A catalogue's rule counts whole numbers; for a decimal, the language's CLDR rule says whether it
    takes the singular ("1,5 jour" in French, "1.5 days" in English).
    """
    lang = parse_lang(lang)
    count = int(n) if float(n).is_integer() else (1 if _plural_category(lang, float(n)) == "one" else 2)
    return _format(translations(lang).ngettext(singular, plural, count), {"n": n, **kwargs}, lang)


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(locale_of(lang))


def _plural_category(lang: str, n: float) -> str:
    return _locale(lang).plural_form(n)


def pgettext(context: str, message: str, lang: str, /, **kwargs: object) -> str:
    """The translation of `message` in its `context` (the same French word, two meanings)."""
    return _format(translations(parse_lang(lang)).pgettext(context, message), kwargs, lang)


def N_(message: str) -> str:
    """Mark `message` for extraction; translate it where the language is known, with `_(message, lang)`."""
    return message


class Text(Mapping[str, str]):
    """A lazy translated text: `text[lang]` is its translation; `kwargs` may be texts themselves."""

    __slots__ = ("message", "kwargs", "context", "plural")

    def __init__(self, message: str, context: str | None = None, plural: str | None = None, **kwargs: object) -> None:
        self.message, self.context, self.plural, self.kwargs = message, context, plural, kwargs

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGS:
            raise KeyError(lang)
        if self.plural is not None:
            kwargs = {k: v for k, v in self.kwargs.items() if k != "count"}
            return ngettext(self.message, self.plural, self.kwargs["count"], lang, **kwargs)
        if self.context is not None:
            return pgettext(self.context, self.message, lang, **self.kwargs)
        return _(self.message, lang, **self.kwargs)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)

    def __hash__(self) -> int:
        return hash((self.message, self.context, tuple(sorted((k, str(v)) for k, v in self.kwargs.items()))))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return (self.message, self.context, self.kwargs) == (other.message, other.context, other.kwargs)
        return Mapping.__eq__(self, other)

    def __repr__(self) -> str:
        return f"Text({self.message!r})"


def _l(message: str, **kwargs: object) -> Text:
    """A text translated when its language is known: `_l("Écoles")["en"]` -> "Schools"."""
    return Text(message, **kwargs)


def _nl(singular: str, plural: str, count: float, /, **kwargs: object) -> Text:
    """A lazy plural: `_nl("{n} page", "{n} pages", 3)["en"]` -> "3 pages" (`{n}` is `count` unless
    `n=…` gives it formatted, as with `ngettext`)."""
    return Text(singular, plural=plural, count=count, **kwargs)


def all_langs(message: str) -> dict[str, str]:
    """A message in every language, as plain data (JSON answers, RDF literals)."""
    return {lang: _(message, lang) for lang in LANGS}


def localized(row: Mapping[str, object], field: str, lang: str) -> object:
    """A bilingual data column (`title_fr`, `title_en`): the one of `lang`, else the French one."""
    value = row.get(f"{field}_{lang}") if hasattr(row, "get") else None
    return value if value not in (None, "") else row[f"{field}_{SOURCE_LANG}"]


def of_city(city: str) -> str:
    """French "of" before a town's name, with elision: "d'Arras", "de Lens"."""
    return f"d'{city}" if city[:1].lower() in "aeiouyàâäéèêëîïôöùûü" else f"de {city}"


def href(path: str, lang: str, **params: str | None) -> str:
    """A site link that keeps the language: href('/ecoles', 'en') -> '/ecoles?lang=en'."""
    query = {k: v for k, v in params.items() if v}
    if lang != SOURCE_LANG:
        query["lang"] = lang
    return path + ("?" + urlencode(query) if query else "")
