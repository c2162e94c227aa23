from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geo


def _blobs(rng: np.random.Generator, k: int = 3, per: int = 15) -> tuple[pd.DataFrame, np.ndarray]:
    centres = np.array([[30, 5, 10], [5, 30, 10], [10, 10, 35], [25, 25, 5]])[:k]
    x = np.vstack([c + rng.normal(0, 1.0, size=(per, 3)) for c in centres])
    idx = [f"BU0000{i:04d}" for i in range(len(x))]
    truth = np.repeat(np.arange(k), per)
    return pd.DataFrame(x, index=idx, columns=["eenzaam", "pct_65plus", "stress"]), truth


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = {(int(x), int(y)) for x, y in zip(a, b, strict=True)}
    return len(pairs) == len(set(a)) == len(set(b))


@pytest.mark.parametrize("method", ["kmeans", "ward"])
def test_auto_recovers_well_separated_types(rng, method) -> None:
    data, truth = _blobs(rng, k=3)
    typ = geo.fit_typology(data, k="auto", method=method, k_range=range(2, 7))
    assert typ.k == 3
    assert _same_partition(typ.type_id.to_numpy(), truth)
    assert "silhouet" in typ.reason
    assert set(typ.metrics.columns) >= {"k", "silhouette", "calinski_harabasz", "davies_bouldin"}
    assert list(typ.metrics["k"]) == [2, 3, 4, 5, 6]


def test_reproducible_with_seed(rng) -> None:
    data, _ = _blobs(rng, k=4)
    a = geo.fit_typology(data, k=4, seed=1)
    b = geo.fit_typology(data, k=4, seed=1)
    assert a.labels.equals(b.labels)
    assert a.metrics.equals(b.metrics)


def test_names_come_from_the_distinguishing_indicator(rng) -> None:
    data, truth = _blobs(rng, k=3)
    typ = geo.fit_typology(data, k=3)
    high_lonely = typ.labels[truth == 0].iloc[0]
    assert high_lonely.startswith("Veel eenzaam")
    high_old = typ.labels[truth == 1].iloc[0]
    assert "veel 65-plussers" in high_old.lower()
    assert typ.labels.nunique() == 3


def test_excluded_small_areas_are_assigned_not_fitted(rng) -> None:
    data, truth = _blobs(rng, k=3)
    outlier = data.index[0]
    data.loc[outlier] = [500.0, 500.0, 500.0]  # would distort a fit
    typ = geo.fit_typology(data, k=3, exclude=[outlier])
    assert typ.assigned == (outlier,)
    assert outlier in typ.labels.index
    rest = typ.type_id.drop(outlier).to_numpy()
    assert _same_partition(rest, np.delete(truth, 0))


def test_bad_arguments_are_rejected(rng) -> None:
    data, _ = _blobs(rng)
    with pytest.raises(geo.ValidationError, match="methode 'dbscan' onbekend"):
        geo.fit_typology(data, method="dbscan")
    with pytest.raises(geo.ValidationError, match="minstens 2 typen"):
        geo.fit_typology(data, k=1)
    with pytest.raises(geo.ValidationError, match="'veel'"):
        geo.fit_typology(data, k="veel")
    with pytest.raises(geo.ValidationError, match="Ward op 45 gebieden"):
        geo.fit_typology(data, method="ward", ward_max=10)


def test_haarlem_typology_excludes_small_buurten(haarlem_profiles) -> None:
    typ = haarlem_profiles.typology
    small = haarlem_profiles.indicators.info.index[haarlem_profiles.indicators.info["klein"]]
    assert set(typ.assigned) == set(small)
    assert len(typ.labels) == 111
    assert haarlem_profiles.buurten["type"].notna().all()
