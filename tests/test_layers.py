"""The package's shape, pinned: imports point down the layers, every folder's `__init__` says
its one job, and no module or function grows past what one reader holds in mind."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first: a layer may import the layers before it, never those after it.
LAYERS = ["tools", "agent", "data", "envs", "training", "evals"]
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 50


def modules() -> list[Path]:
    return sorted(p for layer in LAYERS if (ROOT / layer).is_dir()
                  for p in (ROOT / layer).rglob("*.py") if "__pycache__" not in p.parts)


def imported_layers(path: Path) -> set[str]:
    """The audiorouter layers a module imports (absolute imports; relative ones stay inside)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        found |= {n.split(".")[1] for n in names if n.startswith("audiorouter.") and n.count(".") >= 1}
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_only(path):
    layer = path.relative_to(ROOT).parts[0]
    above = set(LAYERS[LAYERS.index(layer) + 1:])
    assert not imported_layers(path) & above, f"{path.relative_to(ROOT)} imports a layer above {layer}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_small(path):
    text = path.read_text()
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)}: cut it by job"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.relative_to(ROOT)}: {', '.join(long)}"


def test_every_package_says_its_job():
    packages = [p for p in (ROOT / layer for layer in LAYERS) if p.is_dir()]
    packages += [init.parent for p in packages for init in p.rglob("__init__.py")]
    for package in packages:
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
        assert doc and len(doc.split()) >= 5, f"{package.relative_to(ROOT)}/__init__.py: say what it is for"
        assert "layer." not in doc, f"{package.relative_to(ROOT)}: a placeholder, not its job"


def test_the_layer_scan_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import numpy\nfrom audiorouter.evals.cli import app\nfrom . import sibling\n")
    assert imported_layers(module) == {"evals"}


def test_the_readme_layout_names_every_package():
    """The README's tree (folders ending in '/', nested by indentation) is the package tree."""
    readme = (ROOT / "README.md").read_text()
    tree = readme.split("## Layout", 1)[1].split("```")[3]
    listed, parents = set(), []
    for line in tree.splitlines():
        name = line.split()[0] if line.strip() else ""
        if not name.endswith("/"):
            continue
        depth = (len(line) - len(line.lstrip())) // 2
        parents[depth:] = [name.rstrip("/")]
        listed.add("/".join(parents))
    packages = {str(init.parent.relative_to(ROOT)) for layer in LAYERS for init in (ROOT / layer).rglob("__init__.py")}
    assert listed - {"tests"} == packages
