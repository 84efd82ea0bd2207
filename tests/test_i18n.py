"""One translation catalogue: every user-facing string through gettext, every catalogue complete."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp import i18n

ROOT = Path(__file__).resolve().parents[1]
MACHINERY = {ROOT / "webapp" / "i18n.py"}
BRANCH = re.compile(r"\blang\s*(==|!=)|\blang\s+(not\s+)?in\s*\(|==\s*lang\b|!=\s*lang\b")


def _sources() -> list[Path]:
    return [p for folder in ("webapp", "embeds") for p in (ROOT / folder).rglob("*")
            if p.suffix in (".py", ".html", ".js") and p not in MACHINERY and "__pycache__" not in p.parts]


def test_no_inline_language_branch_outside_the_catalogue_machinery():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in _sources()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if BRANCH.search(line)]
    assert found == [], "\n".join(found)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "--no-location", "-F", "babel.cfg",
                    "-k", "_l", "-k", "N_", "-k", "_nl:1,2", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with pot.open("rb") as fp:
        catalog = read_po(fp)
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def test_extraction_finds_the_strings(extracted):
    ids = {i if isinstance(i, str) else i[0] for _, i in extracted}
    # One string of each kind of source: a layout, a chart, a template, the editor, a plural.
    for sample in ("Aller au contenu", "Voir les données", "Graphiques disponibles :", "Mentions légales"):
        assert sample in ids, sample
    assert any(isinstance(i, tuple) for _, i in extracted), "no plural extracted"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_catalogue_translates_every_extracted_string(extracted, lang):
    po = ROOT / "webapp" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fp:
        catalog = read_po(fp)
    assert not catalog.fuzzy, f"{po} is marked fuzzy: Babel would skip it"
    entries = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalog if m.id}
    missing = sorted(map(str, extracted - set(entries)))
    assert missing == [], f"{len(missing)} strings missing from {lang}: {missing[:20]}"
    obsolete = sorted(map(str, set(entries) - extracted))
    assert obsolete == [], f"{len(obsolete)} strings of {lang} no longer in the code: {obsolete[:20]}"
    untranslated = [str(k) for k, m in entries.items()
                    if "fuzzy" in m.flags or not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == [], f"{len(untranslated)} untranslated in {lang}: {untranslated[:20]}"


def test_placeholders_survive_translation():
    po = ROOT / "webapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fp:
        catalog = read_po(fp)
    field = re.compile(r"\{(\w*)[^{}]*\}")
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        asked = set().union(*(set(field.findall(i)) for i in ids))
        allowed = asked | {"n"} | ({"city"} if "of_city" in asked else set())  # French elides: "d'Arras"
        for s in strings:
            if not set(field.findall(s)) <= allowed:
                wrong.append((m.id, s))
    assert wrong == [], wrong[:10]


def test_plurals_follow_each_language():
    """French: 0 and 1 are singular; English: only 1 (the catalogues' Plural-Forms)."""
    one, many = "Dictionnaire des données ({n} champ)", "Dictionnaire des données ({n} champs)"
    assert [i18n.ngettext(one, many, n, "fr") for n in (0, 1, 2)] == [
        "Dictionnaire des données (0 champ)", "Dictionnaire des données (1 champ)", "Dictionnaire des données (2 champs)"]
    assert [i18n.ngettext(one, many, n, "en") for n in (0, 1, 2)] == [
        "Data dictionary (0 fields)", "Data dictionary (1 field)", "Data dictionary (2 fields)"]


def test_a_lazy_text_is_a_mapping_of_every_language():
    text = i18n._l("Voir les données")
    assert dict(text) == {lang: i18n._("Voir les données", lang) for lang in i18n.LANGS}
    assert text["fr"] == "Voir les données" and text["en"] == "Show the data"


def test_a_third_language_is_a_new_catalogue(tmp_path):
    """Dropping a catalogue in webapp/translations/nl/ makes Dutch a language of the site: no code change."""
    import shutil

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    folder = ROOT / "webapp" / "translations" / "nl"
    assert not folder.exists(), "a Dutch catalogue already exists: this test would remove it"
    catalog = Catalog(locale="nl_NL", domain="messages", fuzzy=False)
    catalog.add("Voir les données", "Bekijk de gegevens")
    (folder / "LC_MESSAGES").mkdir(parents=True)
    try:
        with (folder / "LC_MESSAGES" / "messages.po").open("wb") as fp:
            write_po(fp, catalog)
        script = ("from webapp import i18n, formatting; "
                  "print(i18n.LANGS, i18n.parse_lang('nl'), i18n._('Voir les données', 'nl'), "
                  "formatting.fmt_number(1234.5, 'nl', 1), sep='|')")
        out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    finally:
        shutil.rmtree(folder)
    langs, parsed, text, number = out.stdout.strip().split("|")
    assert "nl" in langs and parsed == "nl" and text == "Bekijk de gegevens"
    assert number == "1.234,5"  # Dutch formats, from the catalogue's `Language: nl_NL`
