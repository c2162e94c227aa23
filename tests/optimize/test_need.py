"""Need-based targets: calibration to the 2016 norm, base share, complexity factor."""

from __future__ import annotations

import pandas as pd
import pytest

import optimize


def test_citywide_targets_equal_teams_times_omvang_wordt(haarlem_need):
    s = optimize.load_scenario()
    tg = optimize.need_targets(haarlem_need, s)
    for d in s.disciplines:
        assert tg[d.key].sum() == pytest.approx(len(tg) * d.huidig)


def test_base_share_and_need_share():
    s = optimize.load_scenario().replace(basis_aandeel=0.5, complexiteit=0.0)
    themes = sorted({t for d in s.disciplines for t in d.behoefte})
    need = pd.DataFrame({t: [3.0, 1.0] for t in themes}, index=["A", "B"])
    tg = optimize.need_targets(need, s)
    # 24 h x (0.5 + 0.5 x 2 x 3/4) = 30 and 24 x (0.5 + 0.5 x 2 x 1/4) = 18
    assert tg.loc["A", "ggz"] == pytest.approx(30)
    assert tg.loc["B", "ggz"] == pytest.approx(18)
    unit = optimize.hours_per_need_unit(need, s)
    assert unit["ggz"] == pytest.approx(0.5 * 2 * 24 / 4)


def test_complexity_factor_uses_the_theme_index():
    s = optimize.load_scenario().replace(basis_aandeel=0.0, complexiteit=1.0)
    themes = sorted({t for d in s.disciplines for t in d.behoefte})
    need = pd.DataFrame({t: [100.0, 100.0] for t in themes}, index=["A", "B"])
    need["index_psychosociaal"] = [150.0, 50.0]
    tg = optimize.need_targets(need, s)
    assert tg.loc["A", "ggz"] == pytest.approx(2 * 24 * 0.75)
    flat = optimize.need_targets(need, s.replace(complexiteit=0.0))
    assert flat.loc["A", "ggz"] == pytest.approx(24)


def test_complete_need_fills_known_themes_only():
    s = optimize.load_scenario()
    need = pd.DataFrame({"financieel": [2.0, 1.0], "zorg": [1.0, 1.0]}, index=["A", "B"])
    known = ["financieel", "psychosociaal", "samenhang", "toegang", "zorg", "jeugd"]
    full, filled = optimize.complete_need(need, s, known_themes=known)
    assert filled == ["jeugd", "psychosociaal", "samenhang", "toegang"]
    assert "psychosociaal" not in need.columns  # input untouched
    tg = optimize.need_targets(full, s.replace(complexiteit=0.0))
    assert tg.loc["A", "ggz"] == pytest.approx(tg.loc["B", "ggz"])  # evenly spread
    assert tg.loc["A", "schulddienstverlening"] > tg.loc["B", "schulddienstverlening"]
    _, none = optimize.complete_need(full, s, known_themes=known)
    assert none == []
    typo = s.with_discipline("ggz", behoefte={"psychosocial": 1.0})
    partial, filled = optimize.complete_need(need, typo, known_themes=known)
    with pytest.raises(optimize.ValidationError, match="onbekend thema 'psychosocial'"):
        optimize.need_targets(partial, typo)
