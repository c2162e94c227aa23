"""``wijkteam allocate`` and ``wijkteam sweep``: the formation from the command line.

Exit codes: 0 optimal (or feasible within the gap), 2 bad input, 3 infeasible scenario.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import safeio
from wijkteam._inputs import EXIT_INFEASIBLE, EXIT_OK, add_data_args, input_paths, load_inputs
from wijkteam._inputs import say as _say
from wijkteam._teams import own_teams

__all__ = ["add_parsers", "run_allocate", "run_sweep"]


def _euros(value: str) -> float:
    """Parse an amount the Dutch way (``5.920.000``, ``€ 5.920.000``, ``5,92 mln``, …)."""
    import optimize  # lazily, as everywhere in the CLI

    try:
        return optimize.parse_amount(value, name="")
    except optimize.ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is geen geheel getal") from None
    if not 2 <= n <= 100_000:
        raise argparse.ArgumentTypeError(f"{value!r}: kies tussen 2 en 100000 stappen")
    return n


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", help="scenariobestand (TOML); standaard Haarlem")
    add_data_args(p)
    p.add_argument("--mode", choices=["lp", "milp"], default="lp", help="lp of milp (blokken)")
    p.add_argument("--out", default="uitvoer", help="uitvoermap (standaard: uitvoer)")


def add_parsers(sub: Any) -> None:
    """Register ``allocate`` and ``sweep`` on the CLI's subparsers."""
    a = sub.add_parser("allocate", help="optimale formatie per team binnen het budget")
    _data_args(a)
    a.add_argument(
        "--budget",
        type=_euros,
        help="budgetplafond in euro per jaar (met --alle-gemeenten: per team)",
    )
    a.add_argument(
        "--alle-gemeenten",
        action="store_true",
        help="formatie voor alle gemeenten (landelijke RIVM-gegevens, team = wijk)",
    )
    a.set_defaults(func=run_allocate)
    s = sub.add_parser("sweep", help="budget tegen tekort (Pareto-curve)")
    _data_args(s)
    s.add_argument("--budget-min", type=_euros, required=True)
    s.add_argument("--budget-max", type=_euros, required=True)
    s.add_argument("--steps", type=_positive_int, default=21)
    s.set_defaults(func=run_sweep)


def _profiles(args: argparse.Namespace) -> Any:
    import geo

    dataset = own_teams(load_inputs(args))
    themes = geo.load_themes(args.themas) if args.themas else None
    return geo.build_profiles(dataset, themes=themes), themes or geo.load_themes()


#: What to do when a scenario does not fit the data (Dutch, one line).
FIT_HINT = (
    "maak een passend scenario met `wijkteam scenario <dezelfde gegevensopties> --out "
    "scenario.toml` en geef het mee met --scenario scenario.toml"
)


def fit_warnings(scenario: Any, need: Any, *, gemeente: str, default: bool) -> list[str]:
    """Say in Dutch where a scenario's teams or themes do not fit the loaded data."""
    teams = [str(t) for t in need.index]
    out = []
    named = list(dict.fromkeys([*scenario.huidig_per_team, *scenario.vastgezet]))
    if default and gemeente != "GM0392":
        out.append(
            f"het standaardscenario is gemaakt voor Haarlem (tien teams, budget "
            f"{_euro_text(scenario.budget)}), deze gegevens hebben {len(teams)} teams "
            f"({', '.join(teams[:6])}{'…' if len(teams) > 6 else ''}): {FIT_HINT}"
        )
    elif named:
        unknown = [t for t in named if t not in teams]
        missing = [t for t in teams if t not in scenario.huidig_per_team]
        if unknown or missing:
            parts = []
            if unknown:
                parts.append(
                    f"teams van het scenario niet in de gegevens: {', '.join(unknown[:5])}"[:300]
                )
            if missing:
                parts.append(
                    f"teams in de gegevens zonder huidige formatie: {', '.join(missing[:5])}"
                )
            out.append(f"scenario past niet op de teams ({'; '.join(parts)}): {FIT_HINT}")
    return out


def _euro_text(amount: float) -> str:
    import optimize

    return str(optimize.euro(amount))


def _model(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    import optimize

    scenario = optimize.load_scenario(args.scenario)
    _say("1/4 gegevens en behoefte per team…")
    import warnings

    profiles, themes = _profiles(args)
    team_need = profiles.team_need()
    known = [t.key for t in themes]
    unknown = [t for t in scenario.themes if t not in known and t not in team_need.columns]
    if unknown:  # discipline_need names them; say first what to do about it
        warnings.warn(
            f"thema('s) {', '.join(unknown)} van het scenario komen niet voor in de "
            f"themaconfiguratie ({', '.join(known)}): {FIT_HINT}",
            stacklevel=1,
        )
    for line in fit_warnings(
        scenario, team_need, gemeente=profiles.gemeentecode, default=args.scenario is None
    ):
        warnings.warn(line, stacklevel=1)
    need, filled = optimize.complete_need(team_need, scenario, known_themes=known)
    for theme in filled:
        warnings.warn(
            f"thema {theme}: geen gegevens; de behoefte is gelijk verdeeld over de teams "
            f"(het scenario gebruikt het wel): {FIT_HINT}",
            stacklevel=1,
        )
    _say(f"2/4 model bouwen ({len(need)} teams, {len(scenario.disciplines)} disciplines)…")
    model = optimize.FormationModel.from_frames(scenario, need, mode=args.mode)
    return scenario, profiles, model


def _infeasible(exc: Any) -> int:
    import optimize

    label = "oplosser" if isinstance(exc, optimize.SolverError) else "onhaalbaar"
    for line in exc.lines:
        sys.stderr.write(f"wijkteam: {label}: {line}\n")
    return EXIT_INFEASIBLE


def _nl1(value: float) -> str:
    """One decimal with a Dutch decimal comma, thousands with a point (``2.871,0``)."""
    return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _summary(result: Any) -> str:
    import optimize

    totals = result.team_totals()
    rows = [
        f"{'team':<38} {'uren':>7} {'fte':>6} {'kosten*':>12} {'dekking':>8}",
    ]
    for team, r in totals.iterrows():
        rows.append(
            f"{str(team)[:38]:<38} {_nl1(r['uren']):>7} {_nl1(r['fte']):>6} "
            f"{optimize.euro(r['kosten']):>12} {optimize.pct(r['dekking']):>8}"
        )
    rows.append(
        f"{'totaal':<38} {_nl1(totals['uren'].sum()):>7} {_nl1(totals['fte'].sum()):>6} "
        f"{optimize.euro(totals['kosten'].sum()):>12}"
    )
    rows.append(
        f"Status: {result.status} ({result.mode}); budget {optimize.euro(result.scenario.budget)},"
        f" gebruikt {optimize.euro(result.budget_used)}; grootste relatieve tekort "
        f"{optimize.pct(result.max_tekort)}. * kosten van alle financiers (ook Zvw, CJG). "
        "Bron: CBS, RIVM, PDOK."
    )
    if result.mode == "milp":
        persons = round(float(totals["personen"].sum()))
        rows.append(
            f"Hele blokken van {optimize.hours(result.scenario.blok_uren)} uur; {persons} personen "
            "(door de oplosser gekozen, binnen de contracturen en de teamgrootte)"
            + (
                f"; {len(result.off_block)} cel(len) niet in hele blokken."
                if result.off_block
                else "."
            )
        )
    rows.append(headline(result))
    return "\n".join(rows)


def headline(result: Any) -> str:
    """Say what "grootste tekort" means next to the coverage figures (Dutch, one line).

    The largest relative shortfall is what the *budget* leaves unpaid of the attainable need
    (need clipped to the bounds per team); the hours the bounds themselves keep out (maximum
    hours, maximum change, pinned cells) are a separate gap — that is why coverage can be
    below 100% while the largest shortfall is 0%.
    """
    import optimize

    # one split for CLI and app: the two parts add up to the total shortfall
    budget_gap, bounds_gap = optimize.shortfall_split(result)
    cover = result.team_totals()["dekking"]
    low, high = float(cover.min()), float(cover.max())
    return (
        f"Grootste tekort {optimize.pct(result.max_tekort)} = het grootste deel van de haalbare "
        f"behoefte dat het budget niet betaalt ({optimize.hours(budget_gap)} uur per week in "
        f"totaal); los daarvan houden de grenzen per team (maximum uren, maximale wijziging, "
        f"vastgezette uren) {optimize.hours(bounds_gap)} uur per week buiten bereik. Samen geeft "
        f"dat de dekking van {optimize.pct(low)} tot {optimize.pct(high)} per team."
    )


def run_allocate(args: argparse.Namespace) -> int:
    """Run ``wijkteam allocate``."""
    import geo
    import optimize

    if args.alle_gemeenten:
        return _run_national(args)
    try:
        scenario, profiles, model = _model(args)
        _say("3/4 optimaliseren…")
        result = model.solve(budget=args.budget)
    except optimize.InfeasibleError as exc:
        return _infeasible(exc)
    _say("4/4 tabellen en kaart schrijven…")
    labels = {d.key: d.naam for d in scenario.disciplines}
    html = None
    if geo.has_polygons(profiles):
        fmap = geo.formation_map(result.coverage, profiles=profiles, labels=labels)
        html = fmap.get_root().render()
    else:
        _say("wijkteam: let op: kaart_formatie.html overgeslagen: geen buurtpolygonen")
    written = optimize.write_formation_outputs(
        result, args.out, map_html=html, protect=input_paths(args)
    )
    print(_summary(result))
    for line in result.explanation:
        print(f"- {line}")
    for path in written:
        print(path)
    return EXIT_OK


def run_sweep(args: argparse.Namespace) -> int:
    """Run ``wijkteam sweep``."""
    import numpy as np

    import optimize

    if args.budget_max < args.budget_min:
        raise optimize.ValidationError(
            f"--budget-max ({args.budget_max:,.0f}) is kleiner dan --budget-min "
            f"({args.budget_min:,.0f})"
        )
    try:
        _, _, model = _model(args)
    except optimize.InfeasibleError as exc:
        return _infeasible(exc)
    budgets = np.linspace(args.budget_min, args.budget_max, args.steps)
    _say(f"3/4 {len(budgets)} budgetten doorrekenen…")

    def progress(done: int, total: int, text: str) -> None:
        if done == total or done % max(1, total // 10) == 0:
            _say(f"    {done}/{total} ({text})")

    frame = optimize.budget_sweep(model, budgets, progress=progress)
    _say("4/4 sweep.csv en grafiek schrijven…")
    out = Path(args.out)
    table = frame.rename(
        columns={
            "budget": "Budget (€)",
            "max_tekort": "Grootste tekort",
            "totaal_tekort": "Totaal tekort (uren per week)",
            "budget_gebruikt": "Budget gebruikt (€)",
            "haalbaar": "Haalbaar",
        }
    )
    text = table.to_csv(sep=";", decimal=",", index=False, float_format="%.4f")
    files = {
        "sweep.csv": (text + "# Bron: CBS, RIVM\n").encode("utf-8-sig"),
        "sweep.png": _chart(frame),
    }
    written = safeio.write_files(out, files, protect=input_paths(args))
    feasible = frame[frame["haalbaar"]]
    if len(feasible):
        print(
            f"{len(frame)} budgetten; haalbaar vanaf {optimize.euro(feasible['budget'].min())};"
            f" grootste tekort van {optimize.pct(feasible['max_tekort'].max())} naar "
            f"{optimize.pct(feasible['max_tekort'].min())}."
        )
        enough = feasible[feasible["max_tekort"] < 1e-6]
        if len(enough):
            print(
                f"Vanaf {optimize.euro(enough['budget'].min())} is er geen tekort meer door het "
                "budget (wat dan nog ontbreekt, komt door de grenzen per team)."
            )
    else:
        print(f"{len(frame)} budgetten; geen enkel budget is haalbaar.")
    for path in written:
        print(path)
    return EXIT_OK


def _chart(frame: Any) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    ax.plot(frame["budget"] / 1e6, 100 * frame["max_tekort"], marker="o", ms=3, label="grootste")
    ax.set_xlabel("budget (miljoen euro per jaar)")
    ax.set_ylabel("grootste relatieve tekort (%)")
    ax2 = ax.twinx()
    ax2.plot(frame["budget"] / 1e6, frame["totaal_tekort"], color="tab:orange", label="totaal")
    ax2.set_ylabel("totaal tekort (uren per week)")
    ax.set_title("Budget tegen tekort (Bron: CBS, RIVM)")
    handles = ax.get_lines() + ax2.get_lines()
    ax.legend(handles, ["grootste tekort (%)", "totaal tekort (uren)"], loc="upper right")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _run_national(args: argparse.Namespace) -> int:
    import warnings

    import geo
    import optimize

    if args.gpkg or args.buurten or args.indicatoren or args.teams:
        raise optimize.ValidationError(
            "--alle-gemeenten gebruikt de landelijke RIVM-gegevens; laat --gpkg/--buurten/"
            "--indicatoren/--teams weg"
        )
    scenario = optimize.load_scenario(args.scenario)
    _say("1/3 landelijke RIVM-gegevens (13.808 buurten) en behoefte per wijk…")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # jeugd: no national RIVM indicators
        need = geo.national_team_need()
    n_gm = need.index.get_level_values(0).nunique()
    _say(f"2/3 formatie per gemeente ({n_gm} gemeenten, team = wijk)…")

    def progress(done: int, total: int, text: str) -> None:
        if done == total or done % 50 == 0:
            _say(f"    {done}/{total} ({text})")

    summary, long = optimize.allocate_all(
        scenario, need, budget_per_team=args.budget, mode=args.mode, progress=progress
    )
    _say("3/3 tabellen schrijven…")
    out = Path(args.out)
    note = "# Bron: RIVM/GGD Gezondheidsmonitor 2020 (CC BY 4.0), CBS; team = wijk\n"
    summary_csv = safeio.csv_frame(summary).to_csv(sep=";", decimal=",", index=False)
    long_csv = safeio.csv_frame(long).to_csv(sep=";", decimal=",", index=False, float_format="%.2f")
    files = {
        "formatie_gemeenten.csv": (summary_csv + note).encode("utf-8-sig"),
        "formatie_alle_teams.csv": (long_csv + note).encode("utf-8-sig"),
    }
    written = safeio.write_files(out, files)
    ok = int((summary["status"] != "onhaalbaar").sum())
    print(
        f"{ok} van {len(summary)} gemeenten met een formatie; {len(long)} cellen "
        f"(team × discipline). Behoefte zonder landelijke cijfers gelijk verdeeld: "
        f"{', '.join(summary.attrs.get('gelijk_verdeeld', [])) or 'geen'}."
    )
    for path in written:
        print(path)
    return EXIT_OK
