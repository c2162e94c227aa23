"""National scale: the real RIVM 2020 file for all buurten, typology, need, synthetic data, map."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

import geo
from geo import national


@functools.cache
def _national() -> pd.DataFrame:
    return national.load_national()


@pytest.fixture
def nl() -> pd.DataFrame:
    return _national().copy()


def test_load_national_has_every_buurt_with_string_codes(nl) -> None:
    assert len(nl) == 13808
    assert nl.index.is_unique
    assert all(isinstance(c, str) and len(c) == 10 and c.startswith("BU") for c in nl.index)
    assert nl["gemeentecode"].nunique() == 355
    row = nl.loc["BU16800100"]
    assert row["gemeentecode"] == "GM1680"
    assert row["wijkcode"] == "WK168001"
    assert row["gemeentenaam"] == "Aa en Hunze"
    assert {"moeite_rondkomen", "eenzaam", "eenzaam_65plus", "ernstig_beperkt_65plus"} <= set(
        nl.columns
    )
    # complement columns are turned round: weinig_regie = 100 - MatigVeelRegieOverEigenLeven
    assert nl["weinig_regie"].dropna().between(0, 100).all()


def test_load_national_turns_suppressed_values_into_nan(nl) -> None:
    # '.' in the CBS export: 742 buurten have no 18+ estimate, more have no 65+ estimate
    assert nl["moeite_rondkomen"].isna().sum() == 742
    assert nl["eenzaam_65plus"].isna().sum() > 742
    values = nl.select_dtypes("number")
    assert (values.min() >= 0).all()
    assert (values.max() <= 100).all()


def test_load_national_reports_progress_and_rejects_bad_codes(tmp_path) -> None:
    calls: list[tuple[int, int, str]] = []
    national.load_national(progress=lambda d, t, s: calls.append((d, t, s)))
    assert [c[0] for c in calls] == [1, 2, 3]
    assert all(t == 3 for _, t, _ in calls)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ID,Leeftijd,Marges,Perioden,Codering_3,MoeiteMetRondkomen_38\n"
        "1,20300,MW00000,2020JJ00,BU1234,10.0\n"
    )
    with pytest.raises(geo.ValidationError, match=r"bad\.csv.*'BU1234' is geen buurtcode"):
        national.load_national(path_18plus=bad, path_65plus=bad)


def test_national_typology_is_reproducible_and_scales(nl) -> None:
    a = national.national_typology(nl, k=6, k_range=[6], seed=7)
    b = national.national_typology(nl, k=6, k_range=[6], seed=7)
    assert a.labels.equals(b.labels)
    assert a.method == "minibatch-kmeans"
    assert len(a.labels) == 13808
    assert a.labels.nunique() == 6
    assert len(set(a.centres.index)) == 6  # unique Dutch names
    assert "landelijk gestandaardiseerd" in a.reason
    assert len(a.assigned) == 742  # buurten without any value are assigned, not fitted


def test_national_typology_standardisation_modes_differ(nl) -> None:
    nat = national.national_typology(nl, k=5, k_range=[5])
    gem = national.national_typology(nl, standardise="gemeente", k=5, k_range=[5])
    assert "per gemeente" in gem.reason
    # the two modes answer different questions, so the partitions differ
    crosstab = pd.crosstab(nat.type_id, gem.type_id)
    assert (crosstab.max(axis=1) / crosstab.sum(axis=1)).min() < 0.9
    # per-gemeente z-scores: a municipality's buurten spread over several types
    per_gm = gem.type_id.groupby(nl["gemeentecode"]).nunique()
    assert per_gm[nl["gemeentecode"].value_counts() >= 20].min() >= 2
    with pytest.raises(geo.ValidationError, match="kies 'nationaal' of 'gemeente'"):
        national.national_typology(nl, standardise="provincie")


def test_national_team_need_uniform_base_is_consistent(nl) -> None:
    calls: list[str] = []
    with pytest.warns(UserWarning, match="thema jeugd"):
        need = national.national_team_need(nl, progress=lambda d, t, s: calls.append(s))
    assert need.index.names == ["gemeente", "team"]
    assert len(need) == nl["wijkcode"].nunique()
    assert "inwoners" not in need.columns
    assert "landelijk gemiddelde" in need.attrs["basis"]
    assert len(calls) == len(need.columns)
    # one-indicator theme computed independently: rate (gap-filled) x equal base per buurt
    themes = (geo.Theme("geld", "Geld", (), (("moeite_rondkomen", 1.0),)),)
    one = national.national_team_need(nl, themes=themes)
    adults = national.NL_INWONERS_2020 / national.NL_BUURTEN_2020 * national.NL_AANDEEL_18PLUS
    wijk = nl[nl["wijkcode"] == "WK168001"]["moeite_rondkomen"]
    assert wijk.notna().all()
    assert one.loc[("GM1680", "WK168001"), "geld"] == pytest.approx((wijk / 100 * adults).sum())
    # a wijk whose buurten are all suppressed gets the gemeente rate, never zero
    assert (one["geld"] > 0).all()


def test_national_team_need_with_population_base(nl) -> None:
    rng = np.random.default_rng(1)
    pop = pd.Series(rng.integers(0, 5000, len(nl)).astype(float), index=nl.index)
    themes = (geo.Theme("geld", "Geld", (), (("moeite_rondkomen", 1.0),)),)
    need = national.national_team_need(nl, basis=pop, themes=themes)
    assert need["inwoners"].sum() == pytest.approx(pop.sum())
    assert need.groupby(level="gemeente")["inwoners"].sum()["GM0392"] == pytest.approx(
        pop[nl["gemeentecode"] == "GM0392"].sum()
    )
    known = nl["moeite_rondkomen"].notna()
    lower = (nl["moeite_rondkomen"][known] / 100 * pop[known] * national.NL_AANDEEL_18PLUS).sum()
    assert need["geld"].sum() >= lower * 0.999
    with pytest.raises(geo.ValidationError, match=r"basis: geen bevolking voor 1 buurt"):
        national.national_team_need(nl, basis=pop.iloc[1:], themes=themes)
    neg = pop.copy()
    neg.iloc[0] = -5
    with pytest.raises(geo.ValidationError, match=r"basis: kolom inwoners: waarde -5\.0"):
        national.national_team_need(nl, basis=neg, themes=themes)
