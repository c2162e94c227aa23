"""Team-area design: contiguity and balance on synthetic grids with a known best answer,
Haarlem against its indicative table, and the error paths."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import geo
from geo import _regions

# ------------------------------------------------------------------------------ helpers


def grid_profiles(
    rows: int,
    cols: int,
    need: list[float] | None = None,
    *,
    wijk_cols: int = 1,
    teams: list[str] | None = None,
    extra: list[tuple[float, float]] = (),
) -> geo.Profiles:
    """A rows × cols grid of 1 km boxes (EPSG:28992); buurt r,c in wijk (r, c // wijk_cols)."""
    recs = []
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    for i, (r, c) in enumerate(cells):
        x0, y0 = 100_000 + 1000 * c, 485_000 + 1000 * r
        recs.append(
            {
                "buurtcode": f"BU9999{i:04d}",
                "buurtnaam": f"Buurt {r}-{c}",
                "wijkcode": f"WK9999{r:02d}{c // wijk_cols:02d}",
                "wijknaam": f"Wijk {r}-{c // wijk_cols}",
                "geometry": box(x0, y0, x0 + 1000, y0 + 1000),
            }
        )
    for j, (x, y) in enumerate(extra):
        recs.append(
            {
                "buurtcode": f"BU9999{9000 + j:04d}",
                "buurtnaam": f"Eiland {j}",
                "wijkcode": f"WK999990{j:02d}",
                "wijknaam": f"Eiland {j}",
                "geometry": box(x, y, x + 1000, y + 1000),
            }
        )
    gdf = gpd.GeoDataFrame(recs, crs=28992).set_index("buurtcode")
    n = len(gdf)
    values = np.asarray(need if need is not None else [1.0] * n, float)
    gdf["inwoners"] = 1000.0
    gdf["team"] = teams if teams is not None else list(gdf["wijkcode"])
    need_frame = pd.DataFrame({"financieel": values}, index=gdf.index)
    scores = geo.ThemeScores(need_frame * 0 + 100, need_frame, need_frame * 0 + 100, {})
    return geo.Profiles(
        "GM9999", "Testgemeente", gdf, None, (), scores, scores, scores, None, ("Bron: test",)
    )  # type: ignore[arg-type]


def connected_by_union(profiles: geo.Profiles, codes) -> bool:
    """Independent contiguity oracle for rook grids: the boxes dissolve into one polygon."""
    union = shapely.union_all(profiles.buurten.geometry.loc[list(codes)].to_numpy())
    return union.geom_type == "Polygon"


def grid_connected(cells: set[tuple[int, int]], queen: bool) -> bool:
    steps = [(1, 0), (-1, 0), (0, 1), (0, -1)]
    if queen:
        steps += [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    start = next(iter(cells))
    seen, stack = {start}, [start]
    while stack:
        r, c = stack.pop()
        for dr, dc in steps:
            nb = (r + dr, c + dc)
            if nb in cells and nb not in seen:
                seen.add(nb)
                stack.append(nb)
    return seen == cells


def brute_force_range(rows: int, cols: int, w: list[float], k: int, queen: bool) -> float:
    """Smallest max-min over every labelling into k non-empty contiguous regions."""
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    best = np.inf
    for labels in itertools.product(range(k), repeat=len(cells)):
        if labels[0] != 0 or set(labels) != set(range(k)):
            continue
        regions = [{cells[i] for i in range(len(cells)) if labels[i] == j} for j in range(k)]
        if not all(grid_connected(reg, queen) for reg in regions):
            continue
        loads = [sum(w[i] for i in range(len(cells)) if labels[i] == j) for j in range(k)]
        best = min(best, max(loads) - min(loads))
    return float(best)


# ------------------------------------------------------------------------------ adjacency


def test_queen_and_rook_adjacency_on_a_grid():
    p = grid_profiles(2, 2)
    codes = list(p.buurten.index)  # 0 = (0,0), 1 = (0,1), 2 = (1,0), 3 = (1,1)
    queen = geo.buurt_adjacency(p.buurten.geometry)
    rook = geo.buurt_adjacency(p.buurten.geometry, contiguity="rook")
    assert codes[3] in queen.neighbours[codes[0]]  # diagonal corner
    assert codes[3] not in rook.neighbours[codes[0]]
    assert len(rook.edges) == 4
    assert len(queen.edges) == 6
    assert rook.bridges == ()
    assert queen.bridges == ()


def test_points_and_lines_are_named_not_passed_to_libpysal():
    from shapely.geometry import LineString, Point

    g = gpd.GeoSeries(
        [box(0, 0, 1, 1), Point(5, 5), LineString([(0, 2), (1, 2)])],
        index=["BU1", "BU2", "BU3"],
        crs=28992,
    )
    with pytest.raises(geo.ValidationError, match=r"zonder vlak .*: BU2, BU3"):
        geo.buurt_adjacency(g)


def test_island_is_joined_to_its_nearest_buurt():
    p = grid_profiles(1, 3, extra=[(100_000 + 3000 + 2500, 485_000)])  # 2.5 km east of the row
    adj = geo.buurt_adjacency(p.buurten.geometry)
    island = "BU99999000"
    assert adj.neighbours[island] == ("BU99990002",)  # the east end of the row
    assert adj.bridges == (("BU99990002", island),)
    areas = geo.design_team_areas(p, 2, unit="buurt", method="milp")
    team_of = areas.teams
    assert team_of[island] == team_of["BU99990002"]
    assert areas.bridges == adj.bridges


# ------------------------------------------------------------------------------ known answers


def test_equal_need_on_a_grid_splits_evenly_and_contiguously():
    p = grid_profiles(2, 4)
    areas = geo.design_team_areas(p, 2, unit="buurt", contiguity="rook")
    assert areas.method == "milp"
    assert areas.optimal
    assert areas.balance.workload_range == pytest.approx(0.0, abs=1e-9)
    assert sorted(areas.balance.summary["buurten"]) == [4, 4]
    for _, codes in areas.teams.groupby(areas.teams):
        assert connected_by_union(p, codes.index)


def test_contiguity_binds_a_known_instance():
    # a 1 x 4 row with need 3, 1, 1, 3 and two teams: without contiguity {3,1},{1,3} ties,
    # but also {3,3} / {1,1} is contiguous nowhere; the best contiguous split is the halves
    # (range 0) and the split into ends {3} and {1,1,3} (range 2) must not be chosen.
    p = grid_profiles(1, 4, [3.0, 1.0, 1.0, 3.0])
    areas = geo.design_team_areas(p, 2, unit="buurt", contiguity="rook")
    assert areas.balance.workload_range == pytest.approx(0.0)
    codes = list(p.buurten.index)
    assert areas.teams[codes[0]] == areas.teams[codes[1]] != areas.teams[codes[2]]
    # 3 teams on 3, 1, 1, 3: contiguous best is {3}, {1,1}, {3} with range 1
    three = geo.design_team_areas(p, 3, unit="buurt", contiguity="rook")
    assert three.balance.workload_range == pytest.approx(1.0)
    assert three.teams[codes[1]] == three.teams[codes[2]]


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(0, 9), min_size=6, max_size=6),
    st.integers(2, 3),
    st.booleans(),
)
def test_milp_matches_brute_force_on_small_grids(weights, k, queen):
    w = [float(v) for v in weights]
    nodes = [f"n{i}" for i in range(6)]
    cells = [(r, c) for r in range(2) for c in range(3)]
    neighbours = {
        nodes[i]: [
            nodes[j]
            for j in range(6)
            if i != j
            and (
                abs(cells[i][0] - cells[j][0]) + abs(cells[i][1] - cells[j][1]) == 1
                or (queen and abs(cells[i][0] - cells[j][0]) == abs(cells[i][1] - cells[j][1]) == 1)
            )
        ]
        for i in range(6)
    }
    part = _regions.solve_milp(nodes, neighbours, dict(zip(nodes, w, strict=True)), k)
    assert part.optimal
    loads = pd.Series(w, index=nodes).groupby(pd.Series(part.labels)).sum()
    assert len(loads) == k
    for r in range(k):
        assert grid_connected({cells[i] for i in range(6) if part.labels[nodes[i]] == r}, queen)
    assert loads.max() - loads.min() == pytest.approx(brute_force_range(2, 3, w, k, queen))


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 30), min_size=20, max_size=20), st.integers(2, 6), st.integers(0, 9))
def test_local_search_always_gives_k_contiguous_teams(weights, k, seed):
    p = grid_profiles(4, 5, [float(v) for v in weights])
    areas = geo.design_team_areas(p, k, unit="buurt", contiguity="rook", method="lokaal", seed=seed)
    assert areas.teams.nunique() == k
    for _, codes in areas.teams.groupby(areas.teams):
        assert connected_by_union(p, codes.index)
    assert areas.balance.summary["werklast"].sum() == pytest.approx(sum(weights))


def test_local_search_keeps_every_team_contiguous_on_a_larger_grid(rng):
    need = list(rng.integers(1, 20, size=120).astype(float))
    p = grid_profiles(10, 12, need)
    areas = geo.design_team_areas(p, 6, unit="buurt", contiguity="rook", method="lokaal")
    assert areas.method == "lokaal zoeken"
    assert not areas.optimal
    assert areas.gap is None
    assert areas.teams.nunique() == 6
    for _, codes in areas.teams.groupby(areas.teams):
        assert connected_by_union(p, codes.index)
    # balanced to within a few need units of the mean (sum 120 buurten × ~10)
    assert areas.balance.workload_spread < 0.05


def test_balance_on_inwoners_and_workload_base():
    p = grid_profiles(1, 4)
    p.buurten["inwoners"] = [100.0, 100.0, 300.0, 100.0]
    areas = geo.design_team_areas(p, 2, unit="buurt", balance="inwoners", workload_base=10.0)
    s = areas.balance.summary
    assert sorted(s["inwoners"]) == [200.0, 400.0]  # best contiguous split of the row
    assert s["werklast"].sum() == pytest.approx(4.0 + 10.0)
    assert areas.balance_on == "inwoners"


def test_wijk_level_keeps_wijken_whole_and_names_teams():
    p = grid_profiles(2, 4, wijk_cols=2)  # 4 wijken of 2 buurten
    areas = geo.design_team_areas(p, 2, unit="wijk")
    t = areas.table
    assert (t.groupby("wijkcode")["team"].nunique() == 1).all()
    assert set(areas.balance.summary.index) == set(t["team"])
    # each team is named after its wijken (two equal wijken: both names)
    for team, rows in t.groupby("team"):
        assert team == " & ".join(sorted(rows["wijknaam"].unique()))


def test_keep_selected_wijken_whole_at_buurt_level():
    p = grid_profiles(1, 6, [5, 1, 1, 1, 1, 5], wijk_cols=2)
    split = geo.design_team_areas(p, 2, unit="buurt", contiguity="rook")
    assert split.balance.workload_range == pytest.approx(0.0)  # 5+1+1 | 1+1+5
    kept = geo.design_team_areas(p, 2, unit="buurt", contiguity="rook", keep_wijken=["WK99990001"])
    t = kept.table
    assert t.loc[t["wijkcode"] == "WK99990001", "team"].nunique() == 1
    assert kept.balance.workload_range == pytest.approx(2.0)


def test_pinned_team_stays_as_it_is():
    teams = ["Oost", "Oost", "Rest", "Rest", "Rest", "Rest"]
    p = grid_profiles(1, 6, [1, 1, 1, 1, 1, 1], teams=teams)
    areas = geo.design_team_areas(p, 3, unit="buurt", contiguity="rook", pinned=["Oost"])
    codes = list(p.buurten.index)
    assert (areas.teams[codes[:2]] == "Oost").all()
    assert (areas.teams[codes[2:]] != "Oost").all()
    assert areas.pinned == ("Oost",)
    assert areas.balance.summary.loc["Oost", "vastgezet"]
    assert areas.balance.workload_range == pytest.approx(0.0)
    by_codes = geo.design_team_areas(p, 3, unit="buurt", pinned={"Vast": codes[4:]})
    assert (by_codes.teams[codes[4:]] == "Vast").all()


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_teams": 7}, "meer vrije teams"),
        ({"n_teams": 0}, "geheel getal"),
        ({"n_teams": 2, "unit": "gemeente"}, "unit"),
        ({"n_teams": 2, "balance": "geld"}, "balance"),
        ({"n_teams": 2, "contiguity": "bishop"}, "queen"),
        ({"n_teams": 2, "method": "cbc"}, "method"),
        ({"n_teams": 2, "pinned": ["Bestaat niet"]}, "bestaat niet"),
        ({"n_teams": 2, "pinned": {"Los": ["BU99990000", "BU99990002"]}}, "aaneengesloten"),
        ({"n_teams": 1, "pinned": ["Oost"]}, "vrij team"),
        ({"n_teams": 2, "keep_wijken": ["WK0000"]}, "onbekende wijkcode"),
        ({"n_teams": 2, "time_limit": 0.0}, "time_limit"),
    ],
)
def test_error_paths(kwargs, match):
    p = grid_profiles(1, 6, teams=["Oost", "Oost", "Rest", "Rest", "Rest", "Rest"])
    n = kwargs.pop("n_teams")
    with pytest.raises(geo.ValidationError, match=match):
        geo.design_team_areas(p, n, unit=kwargs.pop("unit", "buurt"), **kwargs)


def test_bad_workload_is_named():
    p = grid_profiles(1, 3)
    bad = pd.Series([1.0, -1.0, np.nan], index=p.buurten.index)
    with pytest.raises(geo.ValidationError, match="BU99990001, BU99990002"):
        geo.design_team_areas(p, 2, unit="buurt", workload=bad)


def test_buurten_without_polygons_are_named():
    p = grid_profiles(1, 3)
    p.buurten.loc["BU99990001", "geometry"] = None
    with pytest.raises(geo.ValidationError, match="zonder polygoon: BU99990001"):
        geo.design_team_areas(p, 2, unit="buurt")


def test_too_many_parts_for_local_search():
    nodes = ["a", "b", "c"]
    with pytest.raises(geo.ValidationError, match="3 losse delen"):
        _regions.local_search(nodes, {"a": [], "b": [], "c": []}, dict.fromkeys(nodes, 1.0), 2)


def test_milp_infeasible_without_adjacency():
    nodes = ["a", "b", "c"]
    with pytest.raises(geo.ValidationError, match="geen indeling"):
        _regions.solve_milp(nodes, {"a": [], "b": [], "c": []}, dict.fromkeys(nodes, 1.0), 2)


# ------------------------------------------------------------------------------ n-table


def test_team_count_table_suggests_from_the_norm():
    p = grid_profiles(2, 6)
    counts = geo.team_count_table(p, range(2, 7), professionals=36, unit="buurt")
    t = counts.table
    assert list(t.index) == [2, 3, 4, 5, 6]
    assert t.loc[4, "professionals_per_team"] == pytest.approx(9.0)
    assert counts.suggested == 4  # only 36 / 4 = 9 lies within 8–10
    assert t["werklast_gemiddeld"].mul(t.index).round(6).eq(12.0).all()
    assert set(counts.designs) == {2, 3, 4, 5, 6}
    none = geo.team_count_table(p, [2, 3], unit="buurt")
    assert none.suggested is None
    assert "professionals_per_team" not in none.table
    nearest = geo.team_count_table(p, [2, 3], professionals=100, unit="buurt")
    assert nearest.suggested == 3  # 100 / 9 = 11.1 teams: 3 is nearest
    with pytest.raises(geo.ValidationError, match="norm"):
        geo.team_count_table(p, [2], norm=(10, 8))


# ------------------------------------------------------------------------------ Haarlem


def test_haarlem_wijk_level_ten_teams_beats_the_indicative_table(haarlem_profiles):
    p = haarlem_profiles
    current = geo.area_balance(p)
    areas = geo.design_team_areas(p, 10, unit="wijk", time_limit=120)
    assert areas.method == "milp"
    assert areas.teams.nunique() == 10
    assert areas.balance.workload_spread < current.workload_spread
    assert areas.balance.workload_max_min < current.workload_max_min
    adj = geo.buurt_adjacency(p.buurten.geometry)
    from geo.adjacency import is_connected

    for _, codes in areas.teams.groupby(areas.teams):
        assert is_connected(list(codes.index), adj.neighbours)
    assert (areas.table.groupby("wijkcode")["team"].nunique() == 1).all()


def test_team_areas_map_shows_both_layers_escaped():
    teams = ["<script>x</script>"] * 3 + ["Rest"] * 3
    p = grid_profiles(1, 6, teams=teams)
    areas = geo.design_team_areas(p, 2, unit="buurt")
    html = geo.team_areas_map(areas, p).get_root().render()
    assert "Nieuwe teamgebieden" in html
    assert "Huidige teamgebieden" in html
    assert "<script>x</script>" not in html
    assert "Bron: CBS" in html


def test_milp_without_a_solution_falls_back_to_its_start(monkeypatch):
    # HiGHS that never runs (as when it stops before any solution of its own): the start
    # design is returned, marked as not optimal; without a start it is a named error
    monkeypatch.setattr(_regions._WarmHiGHS, "callSolver", lambda self, lp: None)
    nodes = ["a", "b", "c", "d"]
    nb = {"a": ["b"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c"]}
    w = dict.fromkeys(nodes, 1.0)
    start = {"a": 0, "b": 0, "c": 1, "d": 1}
    part = _regions.solve_milp(nodes, nb, w, 2, start_labels=start)
    assert dict(part.labels) == start
    assert part.method == "lokaal zoeken"
    assert not part.optimal
    assert "MILP zonder oplossing" in part.status
    with pytest.raises(geo.ValidationError, match="geen indeling in 2 teams"):
        _regions.solve_milp(nodes, nb, w, 2)


def test_milp_after_another_highs_model_in_the_same_process():
    # the formation optimiser solves first in the CLI and the app; HiGHS's global thread
    # scheduler is then set up, and a second model asking another thread count failed
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVar(0.0, 1.0)
    h.changeColCost(0, 1.0)
    h.run()
    nodes = ["a", "b", "c", "d"]
    nb = {"a": ["b"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c"]}
    part = _regions.solve_milp(nodes, nb, dict.fromkeys(nodes, 1.0), 2)
    assert part.optimal
    assert part.method == "milp"
