"""Every page through the Flask test client: shell, language, pre-rendered content, errors."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from tests.helpers import parse_page, query_of, read_source_json
from webapp.pages import PAGES

PATHS = list(PAGES)
NAV_PATHS = [p.path for p in PAGES.values() if p.nav]
FOOTER_LINKS = {"/accessibilite": "Accessibilité", "/mentions-legales": "Mentions légales",
                "/donnees-personnelles": "Données personnelles", "/donnees": None}
IRIS_CODES = sorted(f["properties"]["CODE_IRIS"]
                    for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"])


def _internal(href: str) -> bool:
    return href.startswith("/") and not href.startswith("//")


def _path(href: str) -> str:
    return href.split("?")[0].split("#")[0]


@pytest.fixture(scope="module")
def pages(server):
    """The HTML of every page in both languages, fetched once."""
    c = server.test_client()
    out = {}
    for path in PATHS:
        for lang in ("fr", "en"):
            r = c.get(path + ("?lang=en" if lang == "en" else ""))
            out[(path, lang)] = (r.status_code, r.headers.get("Content-Type", ""), r.get_data(as_text=True))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PATHS)
def test_page_shell(pages, path, lang):
    status, ctype, html = pages[(path, lang)]
    assert status == 200
    assert ctype.startswith("text/html")
    doc = parse_page(html)
    assert doc.lang == lang
    assert doc.title.strip(), "empty <title>"
    assert doc.description and doc.description.strip(), "missing <meta name=description>"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PATHS)
def test_header_links_every_navigation_page(pages, path, lang):
    doc = parse_page(pages[(path, lang)][2])
    header = [a for a in doc.links_in("header") if "lang-switch" not in a["class"]]
    by_path = {}
    for a in header:
        if _internal(a["href"]):
            by_path.setdefault(_path(a["href"]), []).append(a)
    for nav_path in NAV_PATHS:
        assert nav_path in by_path, f"header has no link to {nav_path}"
        assert any(a["text"] for a in by_path[nav_path]), f"link to {nav_path} has no label"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PATHS)
def test_footer_links(pages, path, lang):
    doc = parse_page(pages[(path, lang)][2])
    footer = {_path(a["href"]): a["text"] for a in doc.links_in("footer") if _internal(a["href"])}
    for target, label in FOOTER_LINKS.items():
        assert target in footer, f"footer has no link to {target}"
        assert footer[target]
        if lang == "fr" and label:
            assert footer[target].startswith(label), footer[target]


@pytest.mark.parametrize("path", PATHS)
def test_english_links_keep_the_language(pages, path):
    doc = parse_page(pages[(path, "en")][2])
    links = doc.links_in("header") + doc.links_in("footer")
    internal = [a for a in links if _internal(a["href"]) and "lang-switch" not in a["class"]]
    assert len(internal) >= len(NAV_PATHS) + len(FOOTER_LINKS) + 1
    for a in internal:
        assert query_of(a["href"]).get("lang") == ["en"], a["href"]
    switch = [a for a in links if "lang-switch" in a["class"]]
    assert len(switch) == 1
    assert _path(switch[0]["href"]) == path
    assert "lang" not in query_of(switch[0]["href"])  # back to French


@pytest.mark.parametrize("path", PATHS)
def test_french_links_have_no_lang_and_switch_to_english(pages, path):
    doc = parse_page(pages[(path, "fr")][2])
    links = doc.links_in("header") + doc.links_in("footer")
    for a in links:
        if _internal(a["href"]) and "lang-switch" not in a["class"]:
            assert "lang" not in query_of(a["href"]), a["href"]
    switch = [a for a in links if "lang-switch" in a["class"]]
    assert len(switch) == 1 and query_of(switch[0]["href"]).get("lang") == ["en"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PATHS)
def test_prerendered_content_has_the_page_h1(pages, path, lang):
    doc = parse_page(pages[(path, lang)][2])
    h1 = [h["text"] for h in doc.h1 if h["region"] == "prerender"]
    assert len(h1) == 1, h1
    assert h1[0]
    assert doc.title.startswith(h1[0]), (doc.title, h1[0])
    assert [h for h in doc.h1 if h["region"] != "prerender"] == []


@pytest.mark.parametrize("path", PATHS)
def test_no_full_plotly_bundle_nor_polyfill(pages, path):
    for lang in ("fr", "en"):
        html = pages[(path, lang)][2]
        assert "plotly.min.js" not in html
        assert "/_dash-component-suites/plotly/" not in html
        assert "polyfill@" not in html
        doc = parse_page(html)
        if PAGES[path].static:  # plain HTML: nothing for a phone to run
            assert doc.scripts == [], path
        else:
            assert doc.scripts, "the page has its scripts"


def test_ecoles_prerender_shows_key_figures_and_filters(pages):
    doc = parse_page(pages[("/ecoles", "fr")][2])
    text = doc.text("prerender")
    for label in ("Écoles", "Collèges", "Lycées", "Privé sous contrat"):
        assert label in text
    html = pages[("/ecoles", "fr")][2]
    assert html.count('type="checkbox"') == 3
    # By default: every level, both sectors ("tous"), the whole town ("tous", chosen in the select).
    assert sorted(_checked(html)) == ["college", "ecole", "lycee", "tous"]
    assert re.findall(r'<option value="([^"]+)" selected>', html) == ["tous"]


def test_accessibility_page_states_conformity_and_remedy(pages):
    doc = parse_page(pages[("/accessibilite", "fr")][2])
    main = doc.text("prerender")
    assert "non conforme" in main
    assert "Défenseur des droits" in main
    assert "RGAA" in main
    doc_en = parse_page(pages[("/accessibilite", "en")][2])
    assert "not compliant" in doc_en.text("prerender")
    assert "Défenseur des droits" in doc_en.text("prerender")


@pytest.mark.parametrize("path", ["/nope", "/ecoles/2021", "/donnees/inconnu", "/accessibilité", "/ECOLES"])
def test_unknown_path_is_404_with_links(client, path):
    r = client.get(path)
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    doc = parse_page(html)
    assert "Page introuvable" in [h["text"] for h in doc.h1]
    targets = {_path(a["href"]) for a in doc.links_in("prerender")}
    assert {"/", "/ecoles", "/donnees"} <= targets
    assert doc.lang == "fr"


def test_unknown_path_in_english(client):
    r = client.get("/nope?lang=en")
    assert r.status_code == 404
    doc = parse_page(r.get_data(as_text=True))
    assert doc.lang == "en"
    assert all(query_of(a["href"]).get("lang") == ["en"] for a in doc.links_in("prerender"))


LEVELS_ALLOWED = ["ecole", "college", "lycee", "tous"]
SECTORS_ALLOWED = ["public", "prive", "tous"]


@pytest.mark.parametrize(
    ("query", "param", "allowed"),
    [
        ("niveau=xx", "niveau", LEVELS_ALLOWED),
        ("niveau=ecole,xx", "niveau", LEVELS_ALLOWED),
        ("niveau=" + "x" * 3000, "niveau", LEVELS_ALLOWED),
        ("niveau=%00", "niveau", LEVELS_ALLOWED),
        ("niveau=%C3%A9cole", "niveau", LEVELS_ALLOWED),
        ("niveau=,", "niveau", LEVELS_ALLOWED),
        ("secteur=autre", "secteur", SECTORS_ALLOWED),
        ("secteur=PUBLIC", "secteur", SECTORS_ALLOWED),
        ("secteur=%F0%9F%98%80", "secteur", SECTORS_ALLOWED),
        ("quartier=999", "quartier", IRIS_CODES + ["tous"]),
        ("quartier=62041'--", "quartier", IRIS_CODES + ["tous"]),
        ("niveau=xx&niveau=ecole", "niveau", LEVELS_ALLOWED),
        ("lang=de&secteur=autre", "secteur", SECTORS_ALLOWED),
    ],
)
def test_bad_query_on_ecoles_is_400_naming_the_parameter(client, query, param, allowed):
    r = client.get(f"/ecoles?{query}")
    assert r.status_code == 400
    doc = parse_page(r.get_data(as_text=True))
    assert doc.lang == "fr"
    main = doc.text("prerender")
    assert f"« {param} »" in main
    for value in allowed:
        assert value in main, f"allowed value {value} not listed"
    assert "Valeurs possibles" in main


def test_bad_query_message_in_english(client):
    r = client.get("/ecoles?secteur=autre&lang=en")
    assert r.status_code == 400
    doc = parse_page(r.get_data(as_text=True))
    assert doc.lang == "en"
    assert "secteur" in doc.text("prerender") and "Allowed values" in doc.text("prerender")


@pytest.mark.parametrize(
    "query",
    ["niveau=", "niveau=tous", "niveau=college", "niveau=lycee,ecole", "secteur=prive", "secteur=tous",
     "quartier=tous", f"quartier={IRIS_CODES[0]}", "niveau=college&niveau=xx", "lang=de", "lang=",
     "lang=en&lang=fr", "utm_source=x", "niveau=college&secteur=prive&quartier=tous"],
)
def test_valid_or_ignored_query_is_200(client, query):
    r = client.get(f"/ecoles?{query}")
    assert r.status_code == 200
    doc = parse_page(r.get_data(as_text=True))
    if "lang=de" in query or query in ("lang=",):
        assert doc.lang == "fr"


def _checked(html: str) -> list[str]:
    """Values of the checked inputs of a page."""
    out = []
    for part in html.split("<input")[1:]:
        tag = part.split(">")[0]
        if " checked" in tag:
            out.append(tag.split('value="')[1].split('"')[0])
    return out


def test_filters_from_the_query_are_prechecked(client):
    html = client.get(f"/ecoles?niveau=college&secteur=prive&quartier={IRIS_CODES[1]}").get_data(as_text=True)
    assert sorted(_checked(html)) == sorted(["college", "prive"])
    assert re.findall(r'<option value="([^"]+)" selected>', html) == [IRIS_CODES[1]]


# --- phone-first story pages (issue 14, item 5) --------------------------------------------------

STORY_PATHS = ["/ecoles", "/logement", "/frequentation", "/commerces", "/signalements"]
CATALOGUE = {e["slug"]: e for e in read_source_json("catalogue.json")["datasets"]}


def _demo(datasets) -> bool:
    return any(CATALOGUE[d].get("is_demo", False) for d in datasets)


def _content(html: str) -> str:
    return html.split('<div id="prerender">')[1].split("</main>")[0]


def _chart_blocks(html: str) -> dict[str, str]:
    """Each chart block of a page's pre-rendered copy, by its slug."""
    out = {}
    for part in _content(html).split("<section")[1:]:
        head = part.split(">")[0]
        if 'class="chart-block"' in head:
            out[re.search(r' id="([^"]+)"', head).group(1)] = part.split("</section>")[0]
    return out


def test_quartier_filter_is_one_select_of_every_iris(client):
    html = client.get("/ecoles").get_data(as_text=True)
    select = re.search(r'<select id="ecoles-quartier"[^>]*>(.*?)</select>', html).group(1)
    assert sorted(re.findall(r'<option value="([^"]+)"', select)) == sorted(["tous", *IRIS_CODES])
    assert re.search(r'<label [^>]*for="ecoles-quartier">Quartier</label>', html)
    assert 'type="radio" value="620' not in html


@pytest.mark.parametrize("path", STORY_PATHS)
def test_filters_are_in_a_panel_that_folds(client, path):
    content = _content(client.get(path).get_data(as_text=True))
    assert content.count('<details class="filters" open>') == 1, "the filters are not in one foldable panel"
    panel = content.split('<details class="filters" open>')[1].split("</details>")[0]
    assert panel.startswith("<summary>")
    assert 'role="status"' not in panel  # heard with the panel folded too
    assert 'role="status"' in content


@pytest.mark.parametrize("path", STORY_PATHS)
def test_demo_data_said_once_under_the_title_and_badged(server, client, path):
    from webapp.charts import REGISTRY

    html = client.get(path).get_data(as_text=True)
    content = _content(html)
    blocks = _chart_blocks(html)
    charts = [c for c in REGISTRY.values() if c.story_path == path]
    assert sorted(blocks) == sorted(c.slug for c in charts)
    page_demo = any(_demo(c.datasets) for c in charts)
    assert content.count("callout-demo") == (1 if page_demo else 0)
    if page_demo:  # right under the title
        assert re.search(r"</h1><p class=\"callout callout-demo\">Données de démonstration", content), content[:600]
    for chart in charts:
        block = blocks[chart.slug]
        assert ("demo-badge" in block.split("</h2>")[0] + block.split("</h2>")[1][:200]) == _demo(chart.datasets), \
            chart.slug
        source = re.search(r'<p class="chart-source[^"]*">(.*?)</p>', block).group(1)
        assert "<strong" not in source, chart.slug
        all_demo = all(CATALOGUE[d].get("is_demo", False) for d in chart.datasets)
        mixed = [d for d in chart.datasets if CATALOGUE[d].get("is_demo", False)] if not all_demo else []
        # Said once at the end when every dataset is demo data; a short "(démo)" after each one otherwise.
        assert source.count("données de démonstration") == (1 if all_demo else 0), (chart.slug, source)
        assert source.count("(démo)") == len(mixed), (chart.slug, source)
    cards = re.findall(r'<div class="key-figure">(.*?)</div>', content)
    assert cards
    badged = ["demo-badge" in card for card in cards]
    assert badged == [page_demo] * len(cards), (path, badged)


def test_ecoles_opens_on_findings_against_the_department(client):
    from tests.helpers import read_source_csv

    ips = read_source_csv("schools/colleges-ips-2023-dep62.csv")
    town_uai = {r["numero_uai"] for r in read_source_csv("schools/colleges-adresse-geolocalisation-dep62.csv")
                if r["code_commune"] == "62041"}
    year = max(int(r["Rentrée scolaire"]) for r in ips)
    latest = [r for r in ips if int(r["Rentrée scolaire"]) == year]
    town = [float(r["IPS"]) for r in latest if r["UAI"] in town_uai]
    town_mean, dep_mean = sum(town) / len(town), sum(float(r["IPS"]) for r in latest) / len(latest)
    shown = lambda v: f"{v:.1f}".replace(".", ",")  # noqa: E731 - French decimal comma
    content = _content(client.get("/ecoles").get_data(as_text=True))
    takeaway = re.search(r'<p class="takeaway">(.*?)</p>', content).group(1)
    direction = "plus favorisé" if town_mean > dep_mean + 1 else "moins favorisé" if town_mean < dep_mean - 1 \
        else "proche"
    assert direction in takeaway and f"IPS de {shown(town_mean)} contre {shown(dep_mean)}" in takeaway, takeaway
    assert content.index('class="takeaway"') < content.index('class="key-figures"') < content.index('class="lead"')
    labels = re.findall(r'<p class="key-label">(.*?)</p>', content)
    assert f"IPS moyen des collèges en {year}-{year + 1}, contre {shown(dep_mean)} dans le Pas-de-Calais" in labels
    assert not any("avec un IPS publié" in label for label in labels), labels
    assert all("contre" in label for label in labels), labels


def test_header_has_a_menu_button_for_phones(client):
    header = client.get("/ecoles").get_data(as_text=True).split("<header")[1].split("</header>")[0]
    button = re.search(r"<button [^>]*menu-toggle[^>]*>", header).group(0)
    assert 'aria-expanded="false"' in button and 'aria-controls="site-nav"' in button
    assert "hidden" in button  # shown by its script: without JavaScript the links stay in view
    assert '<nav id="site-nav"' in header


ODD_VALUES = ["", "xx", "\x00", "é", "😀", "'", '"', "<script>alert(1)</script>", "a" * 5000, ",", ",,",
              " ecole ", "TOUS", "null", "[]", "{}", "%", "\\", "../", "-1", "1e308", "ecole;college",
              "ecole,college,lycee,ecole", "\u202f", "\ufeff", "\r\n", "ecole\x00", "𝕖𝕔𝕠𝕝𝕖", "\u200b"]
ODD_RAW = ["niveau=%ZZ", "secteur=%C3%28", "quartier=%FF", "niveau&secteur", "=&=&", "&&&", "niveau[]=x",
           "niveau=ecole&niveau=xx", "lang=en&lang=fr", "lang=" + "e" * 10000, "a=%00&b=%0A", "%00=1"]


@pytest.mark.parametrize("path", PATHS)
def test_odd_query_strings_never_fail(client, path):
    failures = []
    story = path in ("/ecoles", "/logement", "/frequentation")  # their filters answer 400 to an unknown value
    for param in ("niveau", "secteur", "quartier", "type", "debut", "fin", "indicateur", "lieu", "zone", "categorie",
                  "evenement", "du", "au", "lang", "page"):
        for value in ODD_VALUES:
            qs = f"{param}={quote(value, safe='')}"
            status = client.get(f"{path}?{qs}").status_code
            expected = (200, 400) if story else (200,)
            if status not in expected:
                failures.append((qs[:60], status))
    for raw in ODD_RAW:
        status = client.get(f"{path}?{raw}").status_code
        if status not in ((200, 400) if story else (200,)):
            failures.append((raw[:60], status))
    assert failures == []


@pytest.mark.parametrize("path", ["/%00", "/ecoles%00", "/ecoles/", "/%C3%A9coles", "/" + "x" * 3000,
                                  "/ecoles/..%2Fdonnees", "/ecoles;x"])
def test_odd_paths_never_fail(client, path):
    assert client.get(path).status_code in (200, 301, 308, 404)


def test_lang_de_falls_back_to_french(client):
    r = client.get("/?lang=de")
    assert r.status_code == 200
    assert parse_page(r.get_data(as_text=True)).lang == "fr"


def test_create_app_twice_in_one_process(app, settings):
    """A second app built in the same process serves pages and callbacks, without duplicates."""
    from webapp import create_app

    second = create_app(settings)
    c = second.server.test_client()
    assert c.get("/ecoles").status_code == 200
    assert c.get("/nope").status_code == 404
    deps_first = app.server.test_client().get("/_dash-dependencies").get_json()
    deps_second = c.get("/_dash-dependencies").get_json()
    outputs = [d["output"] for d in deps_second]
    assert len(outputs) == len(set(outputs))
    assert sorted(outputs) == sorted(d["output"] for d in deps_first)
    payload = {"output": "page-content.children", "outputs": {"id": "page-content", "property": "children"},
               "inputs": [{"id": "url", "property": "pathname", "value": "/donnees"}],
               "state": [{"id": "url", "property": "search", "value": ""}], "changedPropIds": ["url.pathname"]}
    r = c.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json")
    assert r.status_code == 200
    assert "page-content" in r.get_json()["response"]
    second.server.extensions["arras_db"].dispose()


@pytest.mark.parametrize("path", ["/", "/ecoles", "/logement", "/frequentation", "/donnees"])
def test_every_id_of_a_page_is_unique(client, path):
    # Dash ties a callback to the element with its id: a filter sharing one with a chart section breaks it.
    ids = re.findall(r'\sid="([^"]+)"', client.get(path).get_data(as_text=True))
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert ids and repeated == [], repeated


def test_logement_opens_on_the_apartment_price_against_the_year_before(client):
    content = _content(client.get("/logement").get_data(as_text=True))
    takeaway = re.search(r'<p class="takeaway">(.*?)</p>', content).group(1)
    number = r"([\d\u202f]+)"
    m = re.search(rf"En (\d{{4}}), le prix médian d&#39;un appartement d&#39;Arras est de {number} € le m² : "
                  rf"([+\u2212]?)([\d,]+)\u202f% sur un an \({number} € en (\d{{4}})\)\.", takeaway)
    assert m, takeaway
    year, price, sign, change, previous_price, previous = m.groups()
    price, previous_price = (int(v.replace("\u202f", "")) for v in (price, previous_price))
    assert int(previous) == int(year) - 1
    # The change it states is the one between the two prices it states (rounded prices: within 0.1 point).
    stated = float(change.replace(",", ".")) * (-1 if sign == "\u2212" else 1)
    assert abs(stated - (price / previous_price - 1) * 100) < 0.1
    assert f"{price:,}".replace(",", "\u202f") + " €" in re.findall(r'<p class="key-value">(.*?)</p>', content)
    assert content.index("callout-demo") < content.index('class="takeaway"')


@pytest.mark.parametrize("path", ["/ecoles", "/logement", "/frequentation", "/commerces", "/signalements"])
def test_the_page_before_scripts_groups_its_radios(client, path):
    """The server's copy of the page (shown before Dash, or without JavaScript) draws each radio group with one
    name, as the live page does: one Tab stop a group, arrow keys within it."""
    import re

    html = client.get(path).get_data(as_text=True)
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', html)
    assert radios or path in ("/commerces", "/signalements"), path  # the stories with radio filters have them
    assert all(re.search(r'\bname="[^"]+"', r) for r in radios), [r for r in radios if "name=" not in r][:3]


def test_each_chart_offers_its_data_for_a_french_spreadsheet(client):
    import re

    html = client.get("/frequentation").get_data(as_text=True)
    plain = re.findall(r'href="(/embed/[a-z-]+\.csv[^"]*)"', html)
    excel = [h for h in plain if "format=excel-fr" in h]
    assert excel and len(excel) * 2 == len(plain), plain
    response = client.get(excel[0].replace("&amp;", "&"))
    assert response.status_code == 200 and ";" in response.get_data(as_text=True).splitlines()[0]
