"""One public error: everything a visitor or an API client can get wrong, with its status and its message.

A bad parameter, an unknown slug, a version no longer served, a file that cannot be read: each is a
`PublicError` carrying an HTTP status, a message key (the French text, translated through the
catalogue) and the message's arguments, so that one handler (`webapp.errors`) answers it in the
request's language and format. Nothing else reaches a response: no traceback, no exception text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webapp.i18n import LANGS, N_, Text, _

TITLES = {
    400: N_("Adresse incorrecte"),
    404: N_("Page introuvable"),
    405: N_("Méthode non permise"),
    410: N_("Version des données indisponible"),
    413: N_("Fichier trop volumineux"),
    422: N_("Fichier illisible"),
    500: N_("Erreur du site"),
    503: N_("Service indisponible"),
}


class PublicError(Exception):
    """An answer other than 200 that the reader caused or must be told about.

    `message` is a catalogue message (a French literal marked for extraction), or a lazy text (`_nl(…)`
    for a plural); `arguments` fill its placeholders, and may be lazy texts themselves (`_l(…)`),
    translated in the same language.
    """

    def __init__(self, status: int, message: str | Text, /, title: str | None = None, **arguments: Any) -> None:
        super().__init__(message if isinstance(message, str) else message.message)
        self.status, self.key, self.arguments = status, message, arguments
        self.title_key = title or TITLES.get(status, TITLES[400])

    def message(self, lang: str) -> str:
        if isinstance(self.key, Text):  # a lazy text: a plural (`_nl`) or a message in context
            return self.key[lang]
        return _(self.key, lang, **self.arguments) if self.arguments else _(self.key, lang)

    def title(self, lang: str) -> str:
        return _(self.title_key, lang)

    def messages(self) -> dict[str, str]:
        return {lang: self.message(lang) for lang in LANGS}

    def as_json(self, lang: str) -> dict[str, Any]:
        """The body of a JSON answer: the message in the request's language, and in English."""
        return {"error": {"status": self.status, "message": self.message(lang), "message_en": self.message("en")}}

    def __str__(self) -> str:
        return self.message("en") if "en" in LANGS else self.message(LANGS[0])


def bad_parameter(name: str, value: str, allowed: Sequence[str] | Mapping[str, str]) -> PublicError:
    """A 400 for a query parameter's value, naming the parameter and what it may be.

    `allowed` is the list of allowed values, or a lazy text that says what the value may be.
    """
    if isinstance(allowed, Mapping):
        return PublicError(400, N_("Le paramètre « {name} » ne peut pas valoir « {value} » : {allowed}."),
                           name=name, value=value, allowed=allowed)
    error = PublicError(400, N_("Le paramètre « {name} » ne peut pas valoir « {value} ». Valeurs possibles : {allowed}."),
                        name=name, value=value, allowed=", ".join(allowed))
    error.allowed = list(allowed)
    return error
