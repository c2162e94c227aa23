r"""Contiguous, balanced partitions of a graph: an exact MILP and a local search.

Both take nodes (units: wijken or buurten) with a load :math:`w_i \ge 0`, an adjacency and a
number of regions :math:`K`, and minimise the **range** of the regions' loads,
:math:`\max_k L_k - \min_k L_k` with :math:`L_k = \sum_{i \in k} w_i`, over partitions into
:math:`K` non-empty regions that are each connected in the graph. Loads of regions fixed
beforehand (pinned teams) take part in the max and the min as constants.

**MILP** (flow-based contiguity after Shirabe 2005, with root-indexed regions so the
:math:`K!` relabellings of one partition are a single solution). Nodes are numbered
:math:`0..N-1` by decreasing load; region :math:`j` is identified by its *root*, its
lowest-numbered (heaviest) node.

.. math::

    \min\ z^{max} - z^{min} \quad\text{s.t.}\quad
    \sum_{j \le i} y_{ij} = 1 \ \forall i \ (\text{een\_team}), \qquad
    y_{ij} \le y_{jj} \ (\text{wortel}), \qquad \sum_j y_{jj} = K \ (\text{aantal\_teams})

    \sum_{(a,i) \in A_j} f^j_{ai} - \sum_{(i,b) \in A_j} f^j_{ib} = y_{ij}
    \ \forall i > j \ (\text{stroom}), \qquad
    f^j_{ab} \le M_j\, y_{aj},\ f^j_{ab} \le M_j\, y_{bj} \ (\text{capaciteit})

    z^{max} \ge \sum_i w_i y_{ij} \ (\text{hoogste}), \qquad
    z^{min} \le \sum_i w_i y_{ij} + W (1 - y_{jj}) \ (\text{laagste})

with :math:`y_{ij} \in \{0,1\}` (node :math:`i` in the region rooted at :math:`j`), defined
only for :math:`j \le i` and :math:`i` reachable from :math:`j` through nodes :math:`\ge j`;
:math:`f^j \ge 0` a flow from root :math:`j` on the arcs :math:`A_j` between nodes
:math:`\ge j` (none into the root) that delivers one unit to each member, through members
only, so every region is connected; :math:`M_j` the largest possible number of members
besides the root; :math:`W` the mean team load (an upper bound of :math:`z^{min}`). Solved
by HiGHS in-process (through PuLP's ``HiGHS`` interface, which drives highspy), started from
a given partition; the HiGHS status and MIP gap are reported.

**Local search** (for buurt level and large instances): several starts, each growing
:math:`K` regions from spread-out seeds (the lightest region takes its heaviest unassigned
neighbour) and then moving boundary nodes to a neighbouring region while the origin stays
connected and non-empty and the pair *(range, sum of squared deviations from the mean)*
decreases lexicographically; the best start is kept. It gives no optimality guarantee.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo._errors import ValidationError
from geo.adjacency import components, is_connected

__all__ = ["Partition", "local_search", "solve_milp"]


@dataclass(frozen=True)
class Partition:
    """A partition of nodes into regions.

    Attributes
    ----------
    labels
        Node → region number ``0..K-1``.
    method
        ``"milp"`` or ``"lokaal zoeken"``.
    optimal
        Whether the range is proven minimal.
    gap
        Relative MIP gap reported by HiGHS (``None`` for the local search).
    status
        Solver status text.
    seconds
        Wall time of the solve.
    """

    labels: Mapping[str, int]
    method: str
    optimal: bool
    gap: float | None
    status: str
    seconds: float


def _objective(loads: np.ndarray, fixed: np.ndarray) -> tuple[float, float]:
    allv = np.concatenate([loads, fixed])
    return float(allv.max() - allv.min()), float(((allv - allv.mean()) ** 2).sum())


def _better(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Lexicographic ``a < b`` with a tolerance, so rounding noise never cycles."""
    tol_range = 1e-9 * max(1.0, abs(b[0]))
    if a[0] < b[0] - tol_range:
        return True
    return abs(a[0] - b[0]) <= tol_range and a[1] < b[1] - 1e-9 * max(1.0, abs(b[1]))


def _pulp_highs() -> type:
    import pulp

    return pulp.HiGHS


class _Quiet:
    """Silence stdout at the file-descriptor level (HiGHS may print a banner)."""

    def __enter__(self) -> None:
        sys.stdout.flush()
        self._saved = os.dup(1)
        self._null = open(os.devnull, "wb")
        os.dup2(self._null.fileno(), 1)

    def __exit__(self, *exc: object) -> None:
        os.dup2(self._saved, 1)
        os.close(self._saved)
        self._null.close()


def solve_milp(
    nodes: Sequence[str],
    neighbours: Mapping[str, Sequence[str]],
    weights: Mapping[str, float],
    k: int,
    *,
    fixed_loads: Sequence[float] = (),
    time_limit: float = 60.0,
    start_labels: Mapping[str, int] | None = None,
) -> Partition:
    """Solve the min-range contiguous partition exactly (see the module docstring).

    Parameters
    ----------
    nodes, neighbours, weights
        The graph and the node loads.
    k
        Number of regions.
    fixed_loads
        Loads of regions fixed beforehand.
    time_limit
        Seconds for HiGHS; at the limit the best partition found is returned with its gap.
    start_labels
        A contiguous partition to start from (e.g. from :func:`local_search`): HiGHS then
        starts with its range as the incumbent, and it is returned (as ``"lokaal zoeken"``,
        not optimal) when HiGHS stops without any solution.

    Returns
    -------
    Partition
        The partition.

    Raises
    ------
    ValidationError
        When no contiguous partition into ``k`` regions exists, or HiGHS found none in time.
    """
    import highspy
    import pulp

    start = time.perf_counter()
    # heaviest first: heavy units become roots, which solved Haarlem's wijk instances about
    # twice as fast as the given or the lightest-first order (8, 10 and 12 teams)
    order = sorted(nodes, key=lambda c: (-float(weights[c]), str(c)))
    n = len(order)
    pos = {c: i for i, c in enumerate(order)}
    w = np.array([float(weights[c]) for c in order])
    nbrs = [[pos[b] for b in neighbours[a] if b in pos] for a in order]
    prob = pulp.LpProblem("teamgebieden", pulp.LpMinimize)
    y: dict[tuple[int, int], pulp.LpVariable] = {}
    flows: dict[tuple[int, int, int], pulp.LpVariable] = {}
    reach: list[set[int]] = []
    for j in range(n):
        # nodes >= j reachable from j through nodes >= j
        seen = {j}
        stack = [j]
        while stack:
            for b in nbrs[stack.pop()]:
                if b > j and b not in seen:
                    seen.add(b)
                    stack.append(b)
        reach.append(seen)
        for i in seen:
            y[i, j] = prob.add_variable(f"in_team[{order[i]},{order[j]}]", cat="Binary")
    # valid bounds that tighten the relaxation: the largest load is at least the mean and
    # the heaviest single node, the smallest at most the mean
    mean = (float(w.sum()) + float(sum(fixed_loads))) / (k + len(fixed_loads))
    zmax = prob.add_variable(
        "hoogste_werklast", lowBound=max([*fixed_loads, mean, float(w.max(initial=0.0))])
    )
    zmin = prob.add_variable("laagste_werklast", lowBound=0.0, upBound=min([*fixed_loads, mean]))
    prob += zmax - zmin
    for i in range(n):
        prob += (
            pulp.lpSum(y[i, j] for j in range(i + 1) if (i, j) in y) == 1,
            f"een_team[{order[i]}]",
        )
    for (i, j), var in y.items():
        if i != j:
            prob += var <= y[j, j], f"wortel[{order[i]},{order[j]}]"
    prob += pulp.lpSum(y[j, j] for j in range(n)) == k, "aantal_teams"
    for j in range(n):
        members = reach[j]
        big_m = max(min(len(members), n - k + 1) - 1, 0)
        load = pulp.lpSum(w[i] * y[i, j] for i in members)
        prob += zmax >= load, f"hoogste[{order[j]}]"
        prob += zmin <= load + mean * (1 - y[j, j]), f"laagste[{order[j]}]"
        if big_m == 0:
            for i in members - {j}:
                prob += y[i, j] == 0, f"stroom[{order[i]},{order[j]}]"
            continue
        inflow: dict[int, list[pulp.LpVariable]] = {i: [] for i in members}
        outflow: dict[int, list[pulp.LpVariable]] = {i: [] for i in members}
        for a in sorted(members):
            for b in nbrs[a]:
                if b in members and b != j:
                    f = prob.add_variable(f"stroom[{order[a]},{order[b]},{order[j]}]", lowBound=0.0)
                    flows[a, b, j] = f
                    inflow[b].append(f)
                    outflow[a].append(f)
                    prob += f <= big_m * y[a, j], f"capaciteit_uit[{order[a]},{order[b]},{j}]"
                    prob += f <= big_m * y[b, j], f"capaciteit_in[{order[a]},{order[b]},{j}]"
        for i in members - {j}:
            prob += (
                pulp.lpSum(inflow[i]) - pulp.lpSum(outflow[i]) == y[i, j],
                f"stroom[{order[i]},{order[j]}]",
            )
    # no threads option: HiGHS has one global scheduler, and asking another thread count
    # than the first instance of the process (e.g. the formation model) makes run() fail
    solver = _WarmHiGHS(msg=False, timeLimit=float(time_limit))
    if start_labels is not None:
        solver.start = _start_values(
            start_labels, pos, nbrs, y, flows, (zmax, zmin), w, fixed_loads
        )
    with _Quiet():
        prob.solve(solver)
    h = prob.solverModel
    model_status = h.getModelStatus()
    text = h.modelStatusToString(model_status)
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if not has_solution:
        if model_status == highspy.HighsModelStatus.kInfeasible:
            raise ValidationError(
                f"geen indeling in {k} aaneengesloten teams mogelijk (HiGHS: {text})"
            )
        if start_labels is not None and solver.start:
            # HiGHS stopped without a solution of its own: the start is still a valid design
            return Partition(
                dict(start_labels),
                "lokaal zoeken",
                False,
                None,
                f"MILP zonder oplossing binnen {time_limit:g} s (HiGHS: {text}); "
                "ontwerp uit lokaal zoeken",
                time.perf_counter() - start,
            )
        raise ValidationError(
            f"HiGHS vond binnen {time_limit:g} s geen indeling in {k} teams ({text}); "
            "verhoog time_limit of gebruik method='lokaal'"
        )
    labels: dict[str, int] = {}
    roots = [j for j in range(n) if (y[j, j].value() or 0.0) > 0.5]
    rank = {j: r for r, j in enumerate(roots)}
    for (i, j), var in y.items():
        if (var.value() or 0.0) > 0.5:
            labels[order[i]] = rank[j]
    optimal = model_status == highspy.HighsModelStatus.kOptimal
    gap = max(float(info.mip_gap), 0.0) if math.isfinite(info.mip_gap) else None
    return Partition(labels, "milp", optimal, gap, text, time.perf_counter() - start)


def _start_values(
    labels: Mapping[str, int],
    pos: Mapping[str, int],
    nbrs: list[list[int]],
    y: Mapping[tuple[int, int], Any],
    flows: Mapping[tuple[int, int, int], Any],
    bounds: tuple[Any, Any],
    w: np.ndarray,
    fixed_loads: Sequence[float],
) -> dict[str, float]:
    """Values (by PuLP variable name) of a contiguous partition: y, tree flows, z."""
    regions: dict[int, list[int]] = {}
    for c, r in labels.items():
        regions.setdefault(r, []).append(pos[c])
    values: dict[str, float] = {}
    loads = []
    for members in regions.values():
        root = min(members)
        inside = set(members)
        parent: dict[int, int] = {}
        seen = [root]
        for a in seen:  # breadth-first spanning tree inside the region
            for b in nbrs[a]:
                if b in inside and b != root and b not in parent:
                    parent[b] = a
                    seen.append(b)
        if len(seen) != len(members) or any((i, root) not in y for i in members):
            return {}  # not contiguous in the model's sense: no start
        size = dict.fromkeys(members, 1)
        for b in reversed(seen[1:]):
            size[parent[b]] += size[b]
        for i in members:
            values[y[i, root].name] = 1.0
        for b, a in parent.items():
            values[flows[a, b, root].name] = float(size[b])
        loads.append(float(w[members].sum()))
    allv = [*loads, *fixed_loads]
    values[bounds[0].name] = max(allv)
    values[bounds[1].name] = min(allv)
    return values


class _WarmHiGHS(_pulp_highs()):  # type: ignore[misc]
    """PuLP's in-process HiGHS interface, handing HiGHS a starting solution."""

    start: dict[str, float] = {}  # noqa: RUF012 - replaced per instance

    def callSolver(self, lp: object) -> None:  # noqa: N802 - PuLP's method name
        """Set the start solution (when given), then run HiGHS."""
        import highspy

        h = lp.solverModel  # type: ignore[attr-defined]
        if self.start:
            variables = sorted(lp.variables(), key=lambda v: v.index)  # type: ignore[attr-defined]
            sol = highspy.HighsSolution()
            sol.col_value = [self.start.get(v.name, 0.0) for v in variables]
            sol.value_valid = True
            h.setSolution(sol)
        h.run()


def _seeds(
    order: list[str], nbrs: Mapping[str, Sequence[str]], k: int, rng: np.random.Generator
) -> list[str]:
    """Spread-out seeds: a random first, then repeatedly the node farthest (in hops)."""
    seeds = [order[int(rng.integers(len(order)))]]
    dist = _hops(seeds[0], nbrs, set(order))
    while len(seeds) < k:
        far = max(order, key=lambda c: (dist.get(c, math.inf), rng.random()))
        seeds.append(far)
        for c, d in _hops(far, nbrs, set(order)).items():
            dist[c] = min(dist.get(c, math.inf), d)
    return seeds


def _hops(start: str, nbrs: Mapping[str, Sequence[str]], allowed: set[str]) -> dict[str, float]:
    dist = {start: 0.0}
    frontier = [start]
    while frontier:
        nxt = []
        for a in frontier:
            for b in nbrs[a]:
                if b in allowed and b not in dist:
                    dist[b] = dist[a] + 1
                    nxt.append(b)
        frontier = nxt
    return dist


def _grow(
    parts: list[set[str]],
    counts: list[int],
    nbrs: Mapping[str, Sequence[str]],
    weights: Mapping[str, float],
    rng: np.random.Generator,
) -> dict[str, int]:
    """Grow regions from seeds inside each connected part (``counts`` regions per part)."""
    labels: dict[str, int] = {}
    region = 0
    for part, count in zip(parts, counts, strict=True):
        seeds = _seeds(sorted(part), nbrs, count, rng)
        left = set(part) - set(seeds)
        loads: dict[int, float] = {}
        frontier: dict[int, set[str]] = {}
        for s in seeds:
            labels[s] = region
            loads[region] = float(weights[s])
            frontier[region] = {b for b in nbrs[s] if b in left}
            region += 1
        while left:
            for r in frontier:
                frontier[r] &= left
            r = min((r for r in frontier if frontier[r]), key=lambda r: (loads[r], r))
            pick = max(frontier[r], key=lambda c: (float(weights[c]), c))
            labels[pick] = r
            loads[r] += float(weights[pick])
            left.discard(pick)
            frontier[r] |= {b for b in nbrs[pick] if b in left}
    return labels


def local_search(
    nodes: Sequence[str],
    neighbours: Mapping[str, Sequence[str]],
    weights: Mapping[str, float],
    k: int,
    *,
    fixed_loads: Sequence[float] = (),
    seed: int = 0,
    restarts: int = 8,
    time_limit: float = 30.0,
) -> Partition:
    """Find a contiguous partition with a small range by local search (module docstring).

    Parameters
    ----------
    nodes, neighbours, weights
        The graph and the node loads.
    k
        Number of regions.
    fixed_loads
        Loads of regions fixed beforehand.
    seed
        Random seed (the result is deterministic for a seed).
    restarts
        Number of starts.
    time_limit
        Seconds; no new start begins after it.

    Returns
    -------
    Partition
        The best partition found (``optimal`` is ``False``).

    Raises
    ------
    ValidationError
        When the graph has more connected parts than ``k``.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    order = list(nodes)
    allowed = set(order)
    nbrs = {a: [b for b in neighbours[a] if b in allowed] for a in order}
    parts = components(order, nbrs)
    if len(parts) > k:
        raise ValidationError(
            f"de gebieden vallen in {len(parts)} losse delen: minstens {len(parts)} teams nodig"
        )
    part_w = np.array([sum(float(weights[c]) for c in p) for p in parts])
    counts = [1] * len(parts)
    for _ in range(k - len(parts)):
        share = [
            (part_w[i] / counts[i] if counts[i] < len(parts[i]) else -1.0)
            for i in range(len(parts))
        ]
        counts[int(np.argmax(share))] += 1
    fixed = np.asarray(list(fixed_loads), float)
    w = {c: float(weights[c]) for c in order}
    best: tuple[tuple[float, float], dict[str, int]] | None = None
    runs = 0
    while runs < max(restarts, 1) and (runs == 0 or time.perf_counter() - start < time_limit):
        labels = _grow(parts, counts, nbrs, w, rng)
        labels = _improve(labels, nbrs, w, k, fixed, rng)
        loads = np.zeros(k)
        for c, r in labels.items():
            loads[r] += w[c]
        score = _objective(loads, fixed)
        if best is None or _better(score, best[0]):
            best = (score, labels)
        runs += 1
    assert best is not None
    return Partition(
        best[1], "lokaal zoeken", False, None, f"{runs} starts", time.perf_counter() - start
    )


def _improve(
    labels: dict[str, int],
    nbrs: Mapping[str, Sequence[str]],
    w: Mapping[str, float],
    k: int,
    fixed: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, int]:
    """Move boundary nodes while (range, squared deviation) decreases."""
    labels = dict(labels)
    members: list[set[str]] = [set() for _ in range(k)]
    loads = np.zeros(k)
    for c, r in labels.items():
        members[r].add(c)
        loads[r] += w[c]
    score = _objective(loads, fixed)
    order = sorted(labels)
    improved = True
    while improved:
        improved = False
        for idx in rng.permutation(len(order)):
            c = order[int(idx)]
            a = labels[c]
            if len(members[a]) == 1:
                continue
            targets = sorted({labels[b] for b in nbrs[c]} - {a})
            if not targets:
                continue
            best_move: tuple[tuple[float, float], int] | None = None
            for b in targets:
                loads[a] -= w[c]
                loads[b] += w[c]
                cand = _objective(loads, fixed)
                loads[a] += w[c]
                loads[b] -= w[c]
                if _better(cand, score) and (best_move is None or _better(cand, best_move[0])):
                    best_move = (cand, b)
            if best_move is None:
                continue
            rest = members[a] - {c}
            if not is_connected(rest, nbrs):
                continue
            cand, b = best_move
            members[a].discard(c)
            members[b].add(c)
            loads[a] -= w[c]
            loads[b] += w[c]
            labels[c] = b
            score = cand
            improved = True
    return labels
