"""Write the analyst notebooks (outputs stripped): ``python notebooks/_build.py``.

Keeping the notebooks as code here makes diffs readable and guarantees no outputs are committed.
Each notebook: purpose and data source first, constants next, then thin calls to ``geo`` and
``optimize``. To run on your own municipality change only the cell marked "EIGEN DATA".
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

DATA_CELL = """# EIGEN DATA — change only this cell to run on your own municipality.
# None = the embedded Haarlem data. Example for another municipality:
#   GPKG = "wijkenbuurten_2024_v1.gpkg"; GEMEENTE = "GM0363"
#   INDICATOREN = ["50090NED.csv"]; TEAMS = "mijn_teams.csv"
GPKG = None
GEMEENTE = None
BUURTEN = None
INDICATOREN = []
TEAMS = None
SEED = 42"""

LOAD_CELL = """import geo

dataset = geo.load_inputs(gpkg=GPKG, gemeente=GEMEENTE, buurten=BUURTEN,
                          indicatoren=INDICATOREN, teams=TEAMS)
print(dataset.gemeentenaam, len(dataset.buurten), "buurten")
print("\\n".join(dataset.sources))"""


OPT_DATA_CELL = """# EIGEN DATA — change only this cell to run on your own municipality.
# None = the embedded Haarlem data and the default scenario (data/scenarios/haarlem_default.toml).
# Example for another municipality:
#   GPKG = "wijkenbuurten_2024_v1.gpkg"; GEMEENTE = "GM0363"
#   INDICATOREN = ["50090NED.csv"]; TEAMS = "mijn_teams.csv"
#   SCENARIO = "mijn_scenario.toml"   # budget, disciplines, costs; team names as in TEAMS
GPKG = None
GEMEENTE = None
BUURTEN = None
INDICATOREN = []
TEAMS = None
SCENARIO = None
SEED = 42"""

OPT_LOAD_CELL = (
    LOAD_CELL
    + """

import optimize

profiles = geo.build_profiles(dataset, seed=SEED)
need = profiles.team_need()
scenario = optimize.load_scenario(SCENARIO)
labels = {d.key: d.naam for d in scenario.disciplines}
print(scenario.naam, "— budget", optimize.euro(scenario.budget), "per jaar,",
      len(need), "teams,", len(scenario.disciplines), "disciplines")"""
)

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def nb01() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 01 Data en indicatoren\n\n"
                "Purpose: load the buurt data of one municipality, inspect the indicator "
                "catalogue, the coverage and gap filling per indicator, and map an indicator.\n\n"
                "Data: CBS Kerncijfers wijken en buurten, CBS Wijk- en buurtkaart, RIVM/GGD "
                "Gezondheidsmonitor, PDOK buurtgrenzen (CC BY 4.0). **Bron: CBS, RIVM, PDOK.**"
            ),
            new_code_cell(DATA_CELL),
            new_code_cell(LOAD_CELL),
            new_markdown_cell(
                "## De indicatorcatalogus\nOne canonical name per indicator, mapped "
                "from every CBS edition and the RIVM tables."
            ),
            new_code_cell("geo.catalogue_frame()[['omschrijving', 'eenheid', 'soort', 'basis']]"),
            new_markdown_cell(
                "## Indicatoren, dekking en aanvullingen\nA buurt without its own "
                "value takes its wijk's value (flagged), never a silent zero."
            ),
            new_code_cell(
                "frame = geo.build_indicators(dataset)\nframe.coverage.sort_values('dekking_pct')"
            ),
            new_code_cell(
                "print('kleine buurten (< 50 inwoners):', int(frame.info['klein'].sum()))\n"
                "frame.info[frame.info['klein']][['buurtnaam', 'wijknaam', 'inwoners']]"
            ),
            new_code_cell("geo.aggregate(frame, by='team').round(1)"),
            new_markdown_cell(
                "## Kaart\nAny indicator as a choropleth, with the team areas outlined."
            ),
            new_code_cell(
                "profiles = geo.build_profiles(dataset, seed=SEED)\n"
                "geo.profile_map(profiles, column='moeite_rondkomen', pies=None)"
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def nb02() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 02 Profieltaarten en typologie\n\n"
                "Purpose: need themes per buurt, wijk and team (index 100 = municipal average), "
                "the profieltaarten, the choice of k and the named buurt types.\n\n"
                "Data: as in notebook 01. **Bron: CBS, RIVM, PDOK.**"
            ),
            new_code_cell(DATA_CELL),
            new_code_cell(LOAD_CELL),
            new_markdown_cell(
                "## Thema's\nThe default configuration is `data/themas.toml`; pass "
                "your own with `geo.load_themes(path)`."
            ),
            new_code_cell(
                "themes = geo.load_themes()\n"
                "[(t.key, t.label, [k for k, _ in t.indicators]) for t in themes]"
            ),
            new_code_cell(
                "profiles = geo.build_profiles(dataset, themes=themes, seed=SEED)\n"
                "profiles.team.index.round(0)"
            ),
            new_markdown_cell(
                "## Profieltaarten per team\nSlices: each theme's index as a share "
                "of the team's total (equal slices = an average area)."
            ),
            new_code_cell(
                "import matplotlib.pyplot as plt\n\n"
                "shares = profiles.team.shares\n"
                "fig, axes = plt.subplots(2, (len(shares) + 1) // 2, figsize=(14, 6))\n"
                "for ax, (team, row) in zip(axes.flat, shares.iterrows()):\n"
                "    ax.pie(row.values, colors=['#1b9e77', '#d95f02', '#7570b3', '#e7298a', "
                "'#66a61e', '#e6ab02'][: len(row)])\n"
                "    ax.set_title(team, fontsize=9)\n"
                "fig.legend([profiles.team.labels[k] for k in shares.columns], loc='lower center', "
                "ncol=3)\n"
                "fig.text(0.99, 0.01, 'Bron: CBS, RIVM, PDOK', ha='right', fontsize=8)\n"
                "plt.show()"
            ),
            new_markdown_cell(
                "## Keuze van k\nFit metrics per k; `auto` picks the best silhouette "
                "with at least 3 buurten per type."
            ),
            new_code_cell("print(profiles.typology.reason)\nprofiles.typology.metrics.round(3)"),
            new_code_cell(
                "ward = geo.build_profiles(dataset, method='ward', seed=SEED)\n"
                "print('Ward:', ward.typology.reason)"
            ),
            new_markdown_cell(
                "## De typen\nNamed after their most distinguishing indicators "
                "(mean z-scores within the municipality)."
            ),
            new_code_cell("profiles.typology.centres.round(2).T"),
            new_code_cell("profiles.buurten.groupby('type').size().sort_values(ascending=False)"),
            new_code_cell("geo.profile_map(profiles, column='type', pies='wijk')"),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def nb03() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 03 Formatie\n\n"
                "Doel: de formatie van de wijkteams in het standaardscenario berekenen — uren per "
                "discipline per team, eerlijk verdeeld naar behoefte en binnen het budget — en het "
                "resultaat lezen: dekking, totalen, wat bindt, de uitleg in gewone taal en de "
                "vergelijking met de uniforme formatie (elk team hetzelfde).\n\n"
                "Data: behoefte per team uit de profieltaarten (notebook 02: CBS Kerncijfers "
                "wijken en buurten, RIVM/GGD Gezondheidsmonitor, PDOK buurtgrenzen, CC BY 4.0) "
                "en het scenario (budget, disciplines, kosten; Haarlem, begroting 2017-2019). "
                "**Bron: CBS, RIVM, PDOK.**"
            ),
            new_code_cell(OPT_DATA_CELL),
            new_code_cell(OPT_LOAD_CELL),
            new_markdown_cell(
                "## Behoefte en doeluren\n"
                "De behoefte per team is het geschatte aantal betrokken inwoners per thema. "
                "Daaruit volgen de *doeluren* per team en discipline: een basisdeel gelijk over "
                "alle teams, de rest naar behoefte. Samen zijn de doeluren gelijk aan de "
                "huidige norm (100% dekking)."
            ),
            new_code_cell("need.round(0)"),
            new_code_cell(
                "targets = optimize.need_targets(need, scenario)\n"
                "targets.rename(columns=labels).round(1)"
            ),
            new_markdown_cell(
                "Normatieve uren per week per behoefte-eenheid (één betrokken inwoner), per "
                "discipline:"
            ),
            new_code_cell(
                "optimize.hours_per_need_unit(need, scenario).rename(index=labels).round(4)"
            ),
            new_markdown_cell(
                "## De formatie berekenen\n"
                "Het model minimaliseert eerst het grootste relatieve tekort (eerlijkheid), dan "
                "het totale gewogen tekort en ten slotte de wijziging ten opzichte van de huidige "
                "formatie. Het model wordt één keer gebouwd; `model.solve(budget=...)` rekent "
                "snel een variant door."
            ),
            new_code_cell(
                "model = optimize.FormationModel.from_frames(scenario, need)\n"
                "result = model.solve()\n"
                "print('status:', result.status, f'({result.seconds:.2f} s)')\n"
                "print('budget gebruikt:', optimize.euro(result.budget_used), '— over:', "
                "optimize.euro(result.budget_left))\n"
                "print('grootste tekort:', optimize.pct(result.max_tekort), "
                "'— totaal tekort:', f'{result.totaal_tekort:.1f} uur per week')"
            ),
            new_code_cell(
                "# Controle: binnen het budget en een volledige formatie.\n"
                "assert result.status == 'optimaal'\n"
                "assert result.budget_used <= scenario.budget + 1\n"
                "assert abs(result.budget_used + result.budget_left - scenario.budget) < 1\n"
                "assert list(result.formation.index) == list(need.index)\n"
                "assert (result.formation >= -1e-6).all().all()"
            ),
            new_markdown_cell("## Het resultaat lezen\nUren per week, team × discipline:"),
            new_code_cell("result.formation.rename(columns=labels).round(1)"),
            new_markdown_cell("Dekking van de behoefte (uren / doeluren; 1,00 = behoefte gedekt):"),
            new_code_cell("result.coverage.rename(columns=labels).round(2)"),
            new_code_cell("result.team_totals().round(2)"),
            new_code_cell("result.discipline_totals().round(1)"),
            new_markdown_cell(
                "## Uitleg\n"
                "Wat bindt en wat meer of minder budget zou opleveren (gecontroleerd door "
                "opnieuw te rekenen). `binding` noemt de grenzen die bereikt zijn, bijvoorbeeld "
                "`max_wijziging[team,discipline]` of `vast[...]`."
            ),
            new_code_cell("print('\\n'.join(result.explanation))"),
            new_code_cell("result.binding"),
            new_markdown_cell(
                "## Vergelijking met de uniforme formatie\n"
                "De uniforme formatie geeft elk team dezelfde uren per discipline "
                "(`uniform_uren`). `verschil_uniform` is de verschuiving naar behoefte: "
                "positief = meer uren dan uniform."
            ),
            new_code_cell(
                "per_team = result.table.groupby('team', sort=False)[\n"
                "    ['uren', 'uniform_uren', 'verschil_uniform']\n"
                "].sum()\n"
                "per_team.round(1)"
            ),
            new_code_cell(
                "import matplotlib.pyplot as plt\n\n"
                "fig, ax = plt.subplots(figsize=(8, 4))\n"
                "diff = per_team['verschil_uniform'].sort_values()\n"
                "ax.barh(diff.index, diff.values, "
                "color=['#d95f02' if v < 0 else '#1b9e77' for v in diff.values])\n"
                "ax.axvline(0, color='black', linewidth=0.8)\n"
                "ax.set_xlabel('uren per week t.o.v. de uniforme formatie')\n"
                "ax.set_title('Verschuiving naar behoefte per team')\n"
                "fig.text(0.99, 0.01, 'Bron: CBS, RIVM, PDOK', ha='right', fontsize=8)\n"
                "fig.tight_layout()\n"
                "plt.show()"
            ),
            new_code_cell(
                "# Controle: de verschuiving is een herverdeling van (bijna) dezelfde uren.\n"
                "assert abs(per_team['verschil_uniform'].sum() - "
                "(per_team['uren'].sum() - per_team['uniform_uren'].sum())) < 1e-6"
            ),
            new_markdown_cell(
                "## Hele blokken en personen (gemengd-geheeltallig)\n"
                "`mode='milp'` rekent in blokken van `blok_uren` en hele personen binnen de "
                "contracturen en de teamgrootte (geen 'twee-benen'-minicontracten). De status is "
                "`optimaal` of `toelaatbaar` (gestopt op het optimaliteitsgat of de tijdslimiet); "
                "het gat is dat van HiGHS zelf. Door het afronden op hele blokken kan het "
                "grootste tekort hoger uitvallen dan in de LP: een doel van 14 uur wordt 12 of "
                "16 uur, en bij kleine doeluren weegt dat relatief zwaar."
            ),
            new_code_cell(
                "milp = optimize.FormationModel.from_frames(scenario, need, mode='milp').solve()\n"
                "print('status:', milp.status, '— HiGHS:', milp.solver_status, "
                "'— gat:', optimize.pct(milp.gap), f'({milp.seconds:.2f} s)')\n"
                "print('budget gebruikt:', optimize.euro(milp.budget_used), "
                "'— grootste tekort:', optimize.pct(milp.max_tekort))\n"
                "milp.formation.rename(columns=labels)"
            ),
            new_code_cell(
                "import pandas as pd\n\n"
                "pd.DataFrame(\n"
                "    {\n"
                "        r.mode: {\n"
                "            'grootste tekort': optimize.pct(r.max_tekort),\n"
                "            'totaal tekort (uur/week)': round(r.totaal_tekort, 1),\n"
                "            'budget gebruikt': optimize.euro(r.budget_used),\n"
                "            'personen': int(r.table['personen'].sum()),\n"
                "            'minicontracten': int(r.table['klein_contract'].sum()),\n"
                "        }\n"
                "        for r in (result, milp)\n"
                "    }\n"
                ")"
            ),
            new_code_cell(
                "# Controle: hele blokken, geen minicontracten, binnen budget en gat.\n"
                "blocks = milp.formation / scenario.blok_uren\n"
                "assert milp.status in ('optimaal', 'toelaatbaar')\n"
                "assert ((blocks - blocks.round()).abs() < 1e-6).all().all()\n"
                "assert not milp.table['klein_contract'].any()\n"
                "assert milp.budget_used <= scenario.budget + 1\n"
                "assert milp.status != 'optimaal' or milp.gap <= scenario.max_gap + 1e-9"
            ),
            new_markdown_cell(
                "## Kaart van de dekking\n"
                "Teams gekleurd naar hun laagste dekking; de tooltip toont elke discipline."
            ),
            new_code_cell("geo.formation_map(result.coverage, profiles=profiles, labels=labels)"),
        ],
        metadata=KERNEL,
    )


def nb04() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 04 Scenario-analyse\n\n"
                "Doel: hoe gevoelig is de formatie voor de keuzes in het scenario? Een "
                "budgetreeks (wat levert elke extra euro op), de gevoeligheid voor de "
                "thema-gewichten, een plan per jaar (fasering) en een onhaalbare variant met de "
                "uitleg wat er moet veranderen.\n\n"
                "Data: als in notebook 03 (behoefte uit CBS Kerncijfers wijken en buurten, "
                "RIVM/GGD Gezondheidsmonitor, PDOK buurtgrenzen; scenario Haarlem 2017-2019). "
                "**Bron: CBS, RIVM, PDOK.**"
            ),
            new_code_cell(OPT_DATA_CELL),
            new_code_cell(
                "# Constanten van de analyse (euro per jaar).\n"
                "import numpy as np\n\n"
                "BUDGET_VAN, BUDGET_TOT, BUDGET_STAP = 4_500_000, 6_500_000, 250_000\n"
                "BUDGETTEN = np.arange(BUDGET_VAN, BUDGET_TOT + 1, BUDGET_STAP)\n"
                "FACTOREN = (0.8, 1.2)  # thema-gewicht -20% en +20%\n"
                "ONHAALBAAR_BUDGET = 2_000_000  # bewust te laag voor de wat-als hieronder"
            ),
            new_code_cell(OPT_LOAD_CELL),
            new_code_cell(
                "model = optimize.FormationModel.from_frames(scenario, need)\n"
                "base = model.solve()\n"
                "print(base.explanation[0])"
            ),
            new_markdown_cell(
                "## Budgetreeks\n"
                "Het model rekent warm door voor elk budget. `max_tekort` is het grootste "
                "relatieve tekort van een team en discipline (eerlijkheid), `totaal_tekort` het "
                "totale tekort in uren per week. Waar de lijnen vlak worden helpt meer budget "
                "niet meer: dan binden de grenzen per team (maximum uren, maximale wijziging)."
            ),
            new_code_cell("sweep = optimize.budget_sweep(model, BUDGETTEN)\nsweep.round(3)"),
            new_code_cell(
                "import matplotlib.pyplot as plt\n\n"
                "fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4), sharex=True)\n"
                "mln = sweep['budget'] / 1e6\n"
                "ax1.plot(mln, 100 * sweep['max_tekort'], 'o-', color='#d95f02')\n"
                "ax1.set_ylabel('grootste tekort (%)')\n"
                "ax1.set_title('Eerlijkheid: grootste tekort')\n"
                "ax2.plot(mln, sweep['totaal_tekort'], 's-', color='#7570b3')\n"
                "ax2.set_ylabel('totaal tekort (uur per week)')\n"
                "ax2.set_title('Totaal tekort')\n"
                "for ax in (ax1, ax2):\n"
                "    ax.axvline(scenario.budget / 1e6, color='grey', linestyle=':', "
                "label='budget scenario')\n"
                "    ax.set_xlabel('budget (mln euro per jaar)')\n"
                "    ax.set_ylim(bottom=0)\n"
                "ax1.legend()\n"
                "fig.suptitle('Budget tegen tekort (Pareto)')\n"
                "fig.text(0.99, 0.01, 'Bron: CBS, RIVM, PDOK', ha='right', fontsize=8)\n"
                "fig.tight_layout()\n"
                "plt.show()"
            ),
            new_code_cell(
                "# Controle: meer budget maakt het tekort nooit groter, en het budget wordt "
                "gerespecteerd.\n"
                "ok = sweep[sweep['haalbaar']]\n"
                "assert (ok['max_tekort'].diff().dropna() <= 1e-6).all()\n"
                "assert (ok['totaal_tekort'].diff().dropna() <= 1e-3).all()\n"
                "assert (ok['budget_gebruikt'] <= ok['budget'] + 1).all()\n"
                "vlak = ok.loc[ok['totaal_tekort'] <= ok['totaal_tekort'].min() + 0.1, "
                "'budget'].min()\n"
                "print('Vanaf', optimize.euro(vlak), 'verlaagt extra budget het tekort niet meer.')"
            ),
            new_markdown_cell(
                "## Gevoeligheid voor de thema-gewichten\n"
                "Elk thema-gewicht van alle disciplines wordt met de factor vermenigvuldigd; de "
                "doeluren worden opnieuw berekend. `verschuiving_uren` is het aantal uren per "
                "week dat tussen teams verschuift; een kleine verschuiving betekent een robuuste "
                "formatie."
            ),
            new_code_cell(
                "sens = optimize.weight_sensitivity(model, factors=FACTOREN)\n"
                "sens.sort_values('verschuiving_uren', ascending=False).round(3)"
            ),
            new_code_cell(
                "assert set(sens['factor']) == set(FACTOREN)\n"
                "assert (sens['verschuiving_uren'] >= 0).all()"
            ),
            new_markdown_cell(
                "## Plan per jaar\n"
                "De fasen van het scenario (`[[fase]]`: jaar, budget, maximale wijziging). Elk "
                "jaar start vanaf de formatie van het jaar ervoor, zodat de omslag geleidelijk "
                "gaat."
            ),
            new_code_cell(
                "plan = optimize.phased_plan(scenario, need)\n"
                "summary = plan.summary()\n"
                "summary.round(3)"
            ),
            new_code_cell(
                "plan.table().pivot_table(index='team', columns='jaar', values='uren', "
                "aggfunc='sum', sort=False).round(1)"
            ),
            new_code_cell(
                "assert list(summary['jaar']) == sorted(summary['jaar'])\n"
                "assert (summary['budget_gebruikt'] <= summary['budget'] + 1).all()"
            ),
            new_markdown_cell(
                "## Onhaalbaar: wat moet er veranderen?\n"
                "Een budget onder de minimale bezetting geeft geen formatie. In plaats van een "
                "foutmelding krijgt u `optimize.InfeasibleError` met de uitleg in regels "
                "(`.lines`) en per grens hoeveel die moet wijken (`.loosen`)."
            ),
            new_code_cell(
                "try:\n"
                "    model.solve(budget=ONHAALBAAR_BUDGET)\n"
                "except optimize.InfeasibleError as exc:\n"
                "    print('\\n'.join(exc.lines))\n"
                "    print(exc.loosen)\n"
                "else:\n"
                "    print('Met', optimize.euro(ONHAALBAAR_BUDGET), 'is dit scenario toch "
                "haalbaar.')"
            ),
            new_code_cell(
                "# Controle: het model blijft bruikbaar na een onhaalbare variant.\n"
                "again = model.solve(explain=False)\n"
                "assert again.status == 'optimaal'\n"
                "assert abs(again.totaal_tekort - base.totaal_tekort) < 1e-3"
            ),
        ],
        metadata=KERNEL,
    )


BUILDERS = {
    "01_data_en_indicatoren.ipynb": nb01,
    "02_profieltaarten_en_typologie.ipynb": nb02,
    "03_formatie.ipynb": nb03,
    "04_scenario_analyse.ipynb": nb04,
}


def _stable_ids(nb: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    """Give cells stable ids so a rebuild only changes what changed.

    Ids are kept by position from the notebook on disk; new cells get ``<nn>-<index>``.
    """
    old = nbformat.read(path, as_version=4).cells if path.exists() else []
    for i, cell in enumerate(nb.cells):
        cell.id = old[i].get("id") if i < len(old) and old[i].get("id") else f"{path.stem[:2]}-{i}"
    return nb


def main() -> None:
    for name, build in BUILDERS.items():
        path = HERE / name
        nbformat.write(_stable_ids(build(), path), path)


if __name__ == "__main__":
    main()
