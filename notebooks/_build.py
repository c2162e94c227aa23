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

if GPKG or BUURTEN:
    dataset = geo.load_dataset(gpkg=GPKG, gemeente=GEMEENTE, buurten=BUURTEN,
                               indicatoren=INDICATOREN, teams=TEAMS)
else:
    dataset = geo.load_haarlem(teams=TEAMS)
print(dataset.gemeentenaam, len(dataset.buurten), "buurten")
print("\\n".join(dataset.sources))"""


def nb01() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 01 Data en indicatoren\n\n"
                "Purpose: load the buurt data of one municipality, inspect the indicator catalogue, "
                "the coverage and gap filling per indicator, and map an indicator.\n\n"
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


BUILDERS = {"01_data_en_indicatoren.ipynb": nb01, "02_profieltaarten_en_typologie.ipynb": nb02}


def main() -> None:
    for name, build in BUILDERS.items():
        nbformat.write(build(), HERE / name)


if __name__ == "__main__":
    main()
