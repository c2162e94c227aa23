"""A named typology of buurten (profieltypen), seeded and reproducible.

Method, following the UK Output Area Classification and its city-level variants:

1. take the rate indicators of the themes (or a given list) for the buurten that are not
   flagged ``klein``; optionally ``log1p``-transform them; standardise each to z-scores
   *within the municipality* (or any table given);
2. cluster with k-means (``n_init=20``, fixed seed) or Ward's hierarchical method;
3. for every k in a range compute silhouette, Calinski-Harabasz and Davies-Bouldin;
   ``k="auto"`` picks the k with the highest silhouette among those whose smallest type
   has at least ``min_size`` buurten, and says so;
4. name each type in Dutch after the indicators whose mean z-score deviates most
   ("Veel 65-plussers, weinig huurwoningen");
5. assign the small buurten to the nearest type centre (they are not used to fit).

For large tables (national scale) MiniBatchKMeans and a sampled silhouette keep it fast;
Ward is refused above ``ward_max`` rows because it needs quadratic memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

from geo._errors import ValidationError
from geo.catalogue import indicator

__all__ = ["Typology", "fit_typology", "name_types"]

_LARGE = 3000

#: Phrases for indicators whose plain label reads badly after "veel"/"weinig".
_PHRASES: dict[str, tuple[str, str]] = {
    "geen_vrijwilligerswerk": ("weinig vrijwilligerswerk", "veel vrijwilligerswerk"),
    "stress": ("veel stress", "weinig stress"),
    "weinig_regie": ("weinig regie over eigen leven", "veel regie over eigen leven"),
    "pct_huurwoningen": ("veel huurwoningen", "veel koopwoningen"),
    "gezondheid_matig": ("minder goede ervaren gezondheid", "goede ervaren gezondheid"),
    "woz": ("hoge WOZ-waarde", "lage WOZ-waarde"),
    "inkomen_per_inwoner": ("hoog inkomen", "laag inkomen"),
}


def _phrase(key: str, z: float) -> str:
    if abs(z) < 0.25:
        return f"gemiddeld {indicator(key).label.lower()}"
    if key in _PHRASES:
        return _PHRASES[key][0 if z > 0 else 1]
    return f"{'veel' if z > 0 else 'weinig'} {indicator(key).label.lower()}"


@dataclass(frozen=True)
class Typology:
    """Result of :func:`fit_typology`.

    Attributes
    ----------
    labels
        Area code → type name.
    type_id
        Area code → type number (0-based, ordered by size).
    centres
        Type name × indicator: mean z-score of the fitted members.
    metrics
        One row per k: ``k``, ``silhouette``, ``calinski_harabasz``, ``davies_bouldin``,
        ``kleinste_type``.
    k
        The chosen number of types.
    reason
        Dutch sentence why this k.
    method
        ``kmeans`` or ``ward``.
    indicators
        The indicators used.
    assigned
        Codes that were not used to fit and were assigned to the nearest type.
    """

    labels: pd.Series
    type_id: pd.Series
    centres: pd.DataFrame
    metrics: pd.DataFrame
    k: int
    reason: str
    method: str
    indicators: tuple[str, ...]
    assigned: tuple[str, ...]


def _cluster(x: np.ndarray, k: int, method: str, seed: int) -> np.ndarray:
    if method == "ward":
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)
    if len(x) > _LARGE:
        model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=5, batch_size=2048)
        return model.fit_predict(x)
    return KMeans(n_clusters=k, random_state=seed, n_init=20).fit_predict(x)


def _metrics(x: np.ndarray, labels: np.ndarray, seed: int) -> dict[str, float]:
    sample = min(len(x), 2000)
    sil = silhouette_score(
        x, labels, sample_size=sample if len(x) > sample else None, random_state=seed
    )
    return {
        "silhouette": float(sil),
        "calinski_harabasz": float(calinski_harabasz_score(x, labels)),
        "davies_bouldin": float(davies_bouldin_score(x, labels)),
        "kleinste_type": int(np.bincount(labels).min()),
    }


def name_types(centres: pd.DataFrame, *, terms: int = 2) -> list[str]:
    """Name types after their most distinguishing indicators, in Dutch.

    Parameters
    ----------
    centres
        Type × indicator mean z-scores.
    terms
        How many indicators per name (more are added when names would repeat).

    Returns
    -------
    list of str
        One unique name per row, e.g. ``"Veel 65-plussers, weinig huurwoningen"``.
    """
    names: list[str] = []
    for _, row in centres.iterrows():
        order = row.abs().sort_values(ascending=False).index
        n = terms
        while True:
            parts = [_phrase(str(key), float(row[key])) for key in order[:n]]
            name = ", ".join(parts)
            name = name[0].upper() + name[1:]
            if name not in names or n >= len(order):
                break
            n += 1
        if name in names:
            name = f"{name} ({len(names) + 1})"
        names.append(name)
    return names


def fit_typology(
    values: pd.DataFrame,
    *,
    k: int | str = "auto",
    k_range: Sequence[int] = range(3, 9),
    method: str = "kmeans",
    log: bool = False,
    seed: int = 42,
    exclude: Sequence[str] = (),
    min_size: int = 3,
    ward_max: int = 5000,
) -> Typology:
    """Cluster areas into named profile types.

    Parameters
    ----------
    values
        Area × indicator values (rates); missing values are replaced by the column mean.
    k
        Number of types, or ``"auto"``.
    k_range
        The k values to evaluate (the fit-metric table always covers them, plus ``k``).
    method
        ``"kmeans"`` or ``"ward"``.
    log
        ``log1p``-transform before standardising (for skewed rates).
    seed
        Random seed (k-means and silhouette sampling).
    exclude
        Codes not used to fit (small buurten); assigned to the nearest centre afterwards.
    min_size
        ``auto`` only considers k whose smallest type has at least this many areas.
    ward_max
        Ward is refused above this many rows (quadratic memory).

    Returns
    -------
    Typology
        Labels, names, centres and the fit metrics per k.

    Raises
    ------
    ValidationError
        For a bad k, method, too few areas or too large a table for Ward.
    """
    if method not in ("kmeans", "ward"):
        raise ValidationError(f"methode {method!r} onbekend (kies kmeans of ward)")
    cols = [c for c in values.columns if values[c].notna().sum() > 1 and values[c].std() > 0]
    if not cols:
        raise ValidationError("typologie: geen indicatoren met spreiding")
    data = values[cols].astype(float)
    data = data.fillna(data.mean())
    if log:
        data = pd.DataFrame(np.log1p(data.clip(lower=0)), index=data.index, columns=cols)
    fit_mask = ~data.index.isin(list(exclude))
    fit = data[fit_mask]
    if method == "ward" and len(fit) > ward_max:
        raise ValidationError(
            f"Ward op {len(fit)} gebieden vraagt te veel geheugen (max {ward_max}); "
            "kies methode kmeans"
        )
    ks = sorted({int(x) for x in k_range} | ({int(k)} if not isinstance(k, str) else set()))
    if isinstance(k, str) and k != "auto":
        raise ValidationError(f"--types {k!r}: geef een getal of 'auto'")
    if not isinstance(k, str) and k < 2:
        raise ValidationError(f"--types {k}: minstens 2 typen")
    if not isinstance(k, str) and k >= len(fit):
        raise ValidationError(
            f"--types {k}: te veel typen voor {len(fit)} buurten (hoogstens {len(fit) - 1})"
        )
    ks = [x for x in ks if 2 <= x < len(fit)]
    if not ks:
        raise ValidationError(f"typologie: te weinig gebieden ({len(fit)}) voor de gevraagde k")
    scaler = StandardScaler().fit(fit.to_numpy())
    x = scaler.transform(fit.to_numpy())
    results: dict[int, np.ndarray] = {}
    rows = []
    for kk in ks:
        labels = _cluster(x, kk, method, seed)
        results[kk] = labels
        rows.append({"k": kk, **_metrics(x, labels, seed)})
    metrics = pd.DataFrame(rows)
    if isinstance(k, str):
        ok = metrics[metrics["kleinste_type"] >= min_size]
        pool = ok if not ok.empty else metrics
        best = pool.iloc[int(np.argmax(pool["silhouette"].to_numpy()))]
        chosen = int(best["k"])
        reason = (
            f"k = {chosen} gekozen: hoogste silhouetscore ({best['silhouette']:.2f}) van de "
            f"k-waarden {ks[0]}–{ks[-1]} waarbij elk type minstens {min_size} buurten heeft"
        )
    else:
        chosen = int(k)
        reason = f"k = {chosen} opgegeven door de gebruiker"
    labels = results[chosen]
    # order types by size (largest first) so numbering is stable and readable
    sizes = np.bincount(labels, minlength=chosen)
    order = np.argsort(-sizes, kind="stable")
    remap = np.empty_like(order)
    remap[order] = np.arange(chosen)
    labels = remap[labels]
    centres_z = np.vstack([x[labels == t].mean(axis=0) for t in range(chosen)])
    all_x = scaler.transform(data.to_numpy())
    dist = ((all_x[:, None, :] - centres_z[None, :, :]) ** 2).sum(axis=2)
    all_labels = dist.argmin(axis=1)
    all_labels[fit_mask] = labels
    centres = pd.DataFrame(centres_z, columns=cols)
    names = name_types(centres)
    centres.index = pd.Index(names, name="type")
    type_id = pd.Series(all_labels, index=data.index, name="type_nr")
    named = pd.Series([names[i] for i in all_labels], index=data.index, name="type", dtype=object)
    return Typology(
        labels=named,
        type_id=type_id,
        centres=centres,
        metrics=metrics,
        k=chosen,
        reason=reason,
        method=method,
        indicators=tuple(cols),
        assigned=tuple(str(c) for c in data.index[~fit_mask]),
    )
