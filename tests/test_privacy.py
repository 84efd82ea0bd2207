"""Small counts: figures based on fewer units than a dataset's declared minimum are not published."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from webapp.data import privacy
from webapp.data import schools as q
from webapp.data.schools import SchoolFilter
from webapp.data.store import build_id, get_db, get_settings
from webapp.extensions import cache


def test_group_small_sums_the_small_categories_into_others():
    df = pd.DataFrame({"origin": ["62", "59", "80", "75", "02"], "visits": [120, 40, 3, 4, 2]})
    out, n = privacy.group_small(df, "origin", "visits", 5, "fr")
    assert n == 3
    assert out["visits"].min() >= 5
    assert out["visits"].sum() == df["visits"].sum()  # nothing lost: 3 + 4 + 2 = 9 in "autres"
    assert out.loc[out["origin"] == "autres", "visits"].item() == 3 + 4 + 2


def test_group_small_drops_an_others_row_that_is_itself_small():
    df = pd.DataFrame({"origin": ["62", "80", "75"], "visits": [120, 1, 2]})
    out, n = privacy.group_small(df, "origin", "visits", 5, "en")
    assert n == 2
    assert out["origin"].tolist() == ["62"]
    assert (out["visits"] >= 5).all()


def test_without_a_minimum_nothing_changes():
    df = pd.DataFrame({"origin": ["62", "80"], "visits": [120, 1]})
    assert privacy.group_small(df, "origin", "visits", None, "fr")[0].equals(df)
    assert privacy.suppress_small(df, "visits", ["visits"], None)[0].equals(df)
    assert privacy.notice(0, 5, "fr", grouped=True) == ""


def test_suppress_small_blanks_only_the_small_rows():
    df = pd.DataFrame({"school": ["a", "b", "c"], "candidates": [4, 30, 9], "rate": [100.0, 90.0, 77.8]})
    out, n = privacy.suppress_small(df, "candidates", ["rate"], 10)
    assert n == 2
    assert out["rate"].isna().tolist() == [True, False, True]
    assert out["candidates"].tolist() == [4, 30, 9]  # the count itself is not a figure about people


@pytest.fixture()
def min_count(server, db):
    """Declare a minimum on the brevet datasets for one test (as catalogue.json's `min_count` would)."""

    def declare(value: int | None) -> None:
        with db.begin() as conn:
            conn.execute(text("UPDATE dataset SET min_count = :m WHERE slug IN "
                              "('colleges-valeur-ajoutee', 'colleges-dnb-effectifs')"), {"m": value})
        with server.app_context():
            cache.clear()

    yield declare
    declare(None)


def test_the_brevet_chart_hides_rates_of_too_few_candidates_and_says_so(server, min_count):
    from webapp.charts import schools as sc

    with server.test_request_context():
        dnb = q.query_dnb(get_db(), build_id("ecoles"), get_settings().city_insee, SchoolFilter())
    counts = sorted(dnb["candidates"].unique())
    threshold = int(counts[len(counts) // 2])  # about half the collège-sessions fall below it
    small = int((dnb["candidates"] < threshold).sum())
    assert 0 < small < len(dnb)

    min_count(threshold)
    with server.test_request_context():
        view = sc.view_dnb(SchoolFilter(), "fr")
    table = pd.DataFrame(view["table"]["raw"], columns=["name", "sector", "session", "candidates", "rate", "va"])
    hidden = table[table["candidates"] < threshold]
    assert len(hidden) == small
    assert hidden["rate"].isna().all() and hidden["va"].isna().all()
    assert table.loc[table["candidates"] >= threshold, "rate"].notna().all()
    hidden_text = (f"{small} valeurs portant sur moins de {threshold} sont masquées" if small > 1
                   else f"{small} valeur portant sur moins de {threshold} est masquée")  # French: 0 and 1 singular
    assert hidden_text in view["summary"]
    bars = [y for trace in view["figure"]["data"] for y in (trace.get("x") or []) if isinstance(y, (int, float))]
    assert bars, "the chart still draws the collèges above the minimum"

    min_count(None)
    with server.test_request_context():
        view = sc.view_dnb(SchoolFilter(), "fr")
    assert "masquées" not in view["summary"]
    assert all(r[4] is not None for r in view["table"]["raw"])
