"""Adjacency of buurten and of groups of buurten, from their polygons (libpysal).

Two buurten are neighbours when their polygons share a boundary point (*queen*, the default)
or a boundary segment (*rook*), as computed by :meth:`libpysal.graph.Graph.build_contiguity`
on the EPSG:28992 polygons. Real divisions have parts no polygon touches: an island, a
buurt across a canal or river whose water polygon was left out (CBS ``water = 'JA'``), or a
generalised map with slivers between neighbours. The graph is then made connected, in a
documented way, so that every buurt can belong to a contiguous team area:

* an *island* (a buurt without any neighbour) is joined to its nearest buurt;
* while the graph has more than one connected part, the smallest part is joined to the
  nearest buurt outside it (shortest distance between polygons), one edge per step.

Every added edge is reported in :attr:`Adjacency.bridges`, so a map or a report can show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import shapely

from geo._errors import ValidationError

__all__ = ["Adjacency", "buurt_adjacency", "components", "group_adjacency", "is_connected"]

CONTIGUITY = ("queen", "rook")


@dataclass(frozen=True)
class Adjacency:
    """An undirected adjacency graph of areas.

    Attributes
    ----------
    nodes
        Area codes, in a fixed order.
    neighbours
        Code → the codes of its neighbours (tuples, sorted by code).
    contiguity
        ``"queen"`` or ``"rook"``.
    bridges
        Edges added to join islands and separate parts (pairs of codes), empty when the
        polygons alone connect every area.
    """

    nodes: tuple[str, ...]
    neighbours: Mapping[str, tuple[str, ...]]
    contiguity: str
    bridges: tuple[tuple[str, str], ...] = ()

    @property
    def edges(self) -> list[tuple[str, str]]:
        """Every undirected edge once, as ``(a, b)`` with ``a < b``."""
        return [(a, b) for a in self.nodes for b in self.neighbours[a] if a < b]


def _link(adj: dict[str, set[str]], a: str, b: str) -> None:
    adj[a].add(b)
    adj[b].add(a)


def components(nodes: Iterable[str], neighbours: Mapping[str, Iterable[str]]) -> list[set[str]]:
    """Return the connected parts of the subgraph on ``nodes``, largest first.

    Parameters
    ----------
    nodes
        The node subset.
    neighbours
        Node → neighbours (neighbours outside ``nodes`` are ignored).

    Returns
    -------
    list of set of str
        The parts.

    Examples
    --------
    >>> [sorted(p) for p in components("abc", {"a": ["b"], "b": ["a"], "c": []})]
    [['a', 'b'], ['c']]
    """
    todo = set(nodes)
    parts: list[set[str]] = []
    while todo:
        start = min(todo)
        part = {start}
        stack = [start]
        while stack:
            for nb in neighbours[stack.pop()]:
                if nb in todo and nb not in part:
                    part.add(nb)
                    stack.append(nb)
        todo -= part
        parts.append(part)
    return sorted(parts, key=lambda p: (-len(p), min(p)))


def is_connected(nodes: Iterable[str], neighbours: Mapping[str, Iterable[str]]) -> bool:
    """Return whether ``nodes`` form one connected part (an empty set does not)."""
    return len(components(nodes, neighbours)) == 1


def buurt_adjacency(
    geometry: pd.Series, *, contiguity: str = "queen", connect: bool = True
) -> Adjacency:
    """Build the adjacency of buurt polygons.

    Parameters
    ----------
    geometry
        A GeoSeries of (multi)polygons in a metric CRS (EPSG:28992), index = buurt code.
    contiguity
        ``"queen"`` (a shared boundary point suffices) or ``"rook"`` (a shared segment).
    connect
        Join islands and separate parts to their nearest buurt (see the module docstring).

    Returns
    -------
    Adjacency
        The graph.

    Raises
    ------
    ValidationError
        For an unknown contiguity, an empty or duplicated index, or a geometry that is not a
        (multi)polygon (the message names the buurten).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoSeries([box(0, 0, 1, 1), box(1, 1, 2, 2), box(5, 0, 6, 1)],
    ...                   index=["A", "B", "C"], crs=28992)
    >>> buurt_adjacency(g).neighbours["A"], buurt_adjacency(g, contiguity="rook").bridges
    (('B',), (('B', 'C'), ('A', 'B')))
    """
    from libpysal.graph import Graph

    if contiguity not in CONTIGUITY:
        raise ValidationError(f"contiguity {contiguity!r}: kies 'queen' of 'rook'")
    if len(geometry) == 0:
        raise ValidationError("geen buurten: de polygonenlaag is leeg")
    codes = [str(c) for c in geometry.index]
    if len(set(codes)) != len(codes):
        raise ValidationError("buurtcodes zijn niet uniek")
    kinds = shapely.get_type_id(geometry.to_numpy())
    bad = [c for c, t in zip(codes, kinds, strict=True) if t not in (3, 6)]  # (Multi)Polygon
    if bad:
        raise ValidationError(
            f"buurt(en) zonder vlak (punt, lijn of leeg): {', '.join(bad[:5])}"
            f"{' …' if len(bad) > 5 else ''}"
        )
    adj: dict[str, set[str]] = {c: set() for c in codes}
    if len(codes) > 1:
        geo_named = geometry.set_axis(codes)
        graph = Graph.build_contiguity(geo_named, rook=contiguity == "rook")
        adj_table = graph.adjacency.reset_index()
        for a, b, w in adj_table.itertuples(index=False):
            if w > 0 and a != b:
                _link(adj, str(a), str(b))
    bridges: list[tuple[str, str]] = []
    if connect:
        geoms = dict(zip(codes, geometry.to_numpy(), strict=True))
        while True:
            parts = components(codes, adj)
            if len(parts) <= 1:
                break
            small = parts[-1]
            inside = sorted(small)
            outside = [c for c in codes if c not in small]
            tree = shapely.STRtree([geoms[c] for c in outside])
            best: tuple[float, str, str] | None = None
            for c in inside:
                j = int(tree.nearest(geoms[c]))
                d = float(shapely.distance(geoms[c], geoms[outside[j]]))
                if best is None or d < best[0]:
                    best = (d, c, outside[j])
            assert best is not None  # both parts are non-empty
            _, a, b = best
            _link(adj, a, b)
            bridges.append((min(a, b), max(a, b)))
    neighbours = {c: tuple(sorted(adj[c])) for c in codes}
    return Adjacency(tuple(codes), neighbours, contiguity, tuple(bridges))


def group_adjacency(adjacency: Adjacency, groups: pd.Series) -> Adjacency:
    """Lift a buurt adjacency to groups of buurten (e.g. wijken).

    Two groups are neighbours when any of their buurten are (bridges included), so a
    group's adjacency never depends on re-dissolving polygons.

    Parameters
    ----------
    adjacency
        The buurt graph.
    groups
        Buurt code → group code, for every node of ``adjacency``.

    Returns
    -------
    Adjacency
        The group graph (nodes in order of first appearance).
    """
    mapping = {str(k): str(v) for k, v in groups.items()}
    missing = [c for c in adjacency.nodes if c not in mapping]
    if missing:
        raise ValidationError(f"buurten zonder groep: {', '.join(missing[:5])}")
    nodes = tuple(dict.fromkeys(mapping[c] for c in adjacency.nodes))
    adj: dict[str, set[str]] = {g: set() for g in nodes}
    for a in adjacency.nodes:
        for b in adjacency.neighbours[a]:
            ga, gb = mapping[a], mapping[b]
            if ga != gb:
                _link(adj, ga, gb)
    bridges = tuple(
        dict.fromkeys(
            (min(mapping[a], mapping[b]), max(mapping[a], mapping[b]))
            for a, b in adjacency.bridges
            if mapping[a] != mapping[b]
        )
    )
    neighbours = {g: tuple(sorted(adj[g])) for g in nodes}
    return Adjacency(nodes, neighbours, adjacency.contiguity, bridges)
