"""The dependency direction of STYLE.md: app → optimize, geo → libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_geo_and_optimize_does_not_load_streamlit_or_folium() -> None:
    code = (
        "import sys, geo, optimize; "
        "bad = [m for m in ('streamlit', 'streamlit_folium', 'folium') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == ""


def test_optimize_does_not_import_geo_or_geometry() -> None:
    code = (
        "import sys, optimize; "
        "bad = [m for m in ('geo', 'geopandas', 'shapely', 'folium', 'streamlit') "
        "if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == ""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _full_imports(path: Path) -> set[str]:
    """Imported module names in full (``streamlit.testing.v1``), not only the package."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {n for n in names if n == "streamlit" or n.startswith("streamlit.")} - {
        "streamlit.testing.v1"
    }


def test_only_the_app_layer_imports_streamlit_and_only_maps_imports_folium() -> None:
    for path in ROOT.glob("**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "tests", "build", "notebooks", "docs"):
            continue
        names = _imports(path)
        if rel.parts[0] == "bench" and _full_imports(path) & {"streamlit"} == set():
            # the app benchmark drives app.py through streamlit.testing only
            names = names - {"streamlit"}
        if rel != Path("app.py") and rel.parts[0] != "app_pages":
            assert "streamlit" not in names, rel
            assert "streamlit_folium" not in names, rel
        if rel.parts[0] in ("geo", "optimize") and rel != Path("geo/maps.py"):
            assert "folium" not in names, rel


def test_safeio_is_a_bottom_layer() -> None:
    """``safeio`` is shared by ``geo`` and ``optimize``, so it may import neither (nor the app)."""
    code = (
        "import sys, safeio; "
        "bad = [m for m in ('geo', 'optimize', 'wijkteam', 'streamlit', 'folium', 'geopandas') "
        "if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == ""
    for path in (ROOT / "safeio").glob("*.py"):
        assert not _imports(path) & {"geo", "optimize", "wijkteam", "streamlit"}, path
