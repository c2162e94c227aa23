from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geo
from tests.conftest import synthetic_buurten, synthetic_dataset

THEMES = (
    geo.Theme("a", "Thema A", (), (("eenzaam", 1.0),)),
    geo.Theme("b", "Thema B", (), (("eenzaam", 1.0), ("stress", 3.0))),
)


def _frame() -> geo.IndicatorFrame:
    polys = synthetic_buurten()
    n = len(polys)
    vals = pd.DataFrame(
        {
            "inwoners": np.linspace(100, 1200, n),
            "pct_0_15": 0.0,
            "eenzaam": np.linspace(10, 40, n),
            "stress": np.linspace(20, 5, n),
        },
        index=polys.index,
    )
    return geo.build_indicators(synthetic_dataset(vals))


def test_index_is_100_at_the_municipal_average() -> None:
    frame = _frame()
    scores = geo.theme_scores(frame, THEMES, level="buurt")
    w = frame.info["volwassenen"]
    # base-weighted mean of a single-indicator index is exactly 100
    assert (scores.index["a"] * w).sum() / w.sum() == pytest.approx(100.0)
    avg = geo.municipal_average(frame)["eenzaam"]
    code = frame.values.index[3]
    assert scores.index.loc[code, "a"] == pytest.approx(
        100 * frame.values.loc[code, "eenzaam"] / avg
    )


def test_weighted_theme_index_and_need_count_by_hand() -> None:
    frame = _frame()
    scores = geo.theme_scores(frame, THEMES, level="buurt")
    avg = geo.municipal_average(frame)
    code = frame.values.index[0]
    v = frame.values.loc[code]
    expected = (100 * v["eenzaam"] / avg["eenzaam"] + 3 * 100 * v["stress"] / avg["stress"]) / 4
    assert scores.index.loc[code, "b"] == pytest.approx(expected)
    base = frame.info.loc[code, "volwassenen"]
    need = (v["eenzaam"] / 100 * base + 3 * v["stress"] / 100 * base) / 4
    assert scores.need.loc[code, "b"] == pytest.approx(need)


def test_pie_shares_sum_to_100_on_every_level(haarlem_profiles) -> None:
    for scores in (haarlem_profiles.buurt, haarlem_profiles.wijk, haarlem_profiles.team):
        sums = scores.shares.sum(axis=1)
        assert np.allclose(sums, 100.0)
    assert len(haarlem_profiles.team.shares) == 10
    assert len(haarlem_profiles.wijk.shares) == 21


def test_team_need_is_the_sum_of_buurt_need(haarlem_profiles) -> None:
    need = haarlem_profiles.team_need()
    # need counts per team use the team's own rates and bases; they must equal the sum of
    # the buurt need counts when every buurt has all indicators of the theme
    buurt_need = haarlem_profiles.buurt.need.groupby(haarlem_profiles.indicators.info["team"]).sum()
    assert need["psychosociaal"].to_numpy() == pytest.approx(
        buurt_need.loc[need.index, "psychosociaal"].to_numpy(), rel=1e-9
    )
    assert need["inwoners"].sum() == haarlem_profiles.indicators.info["inwoners"].sum()


def test_meerwijk_has_more_financial_need_than_the_city(haarlem_profiles) -> None:
    # independent check against the published RIVM wijk figure: Meerwijk's share of adults
    # with moeite met rondkomen is far above Haarlem's (RIVM 2020)
    assert haarlem_profiles.team.index.loc["Meerwijk", "financieel"] > 130
    assert haarlem_profiles.team.index.loc["Noord-Zuid", "financieel"] < 80


def test_theme_toml_validation_names_key_and_value(tmp_path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('[thema.x]\nnaam = "X"\nindicatoren = { bestaat_niet = 1.0, eenzaam = -2 }\n')
    with pytest.raises(
        geo.ValidationError, match=r"thema\.x\.indicatoren\.bestaat_niet: onbekende"
    ):
        geo.load_themes(path)
    with pytest.raises(geo.ValidationError, match=r"eenzaam: gewicht -2 moet een getal > 0"):
        geo.load_themes(path)
    broken = tmp_path / "b.toml"
    broken.write_text("[thema.x\n")
    with pytest.raises(geo.ValidationError, match="geen geldige TOML"):
        geo.load_themes(broken)


def test_default_themes_cover_the_disciplines() -> None:
    themes = geo.load_themes()
    keys = [t.key for t in themes]
    assert keys == ["financieel", "psychosociaal", "samenhang", "toegang", "zorg", "jeugd"]
    discs = {d for t in themes for d in t.disciplines}
    for d in ("schulddienstverlening", "GGZ", "opbouwwerk", "informatie & advies", "Wmo"):
        assert d in discs
