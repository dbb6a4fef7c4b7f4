"""The floors between the apps hold: import-linter's contract (pyproject.toml) passes on the tree,
fails on an upward import, and no modules import each other in a circle."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    # The package is found on PYTHONPATH first, so a copy is checked rather than the installed one.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _copy_sources(destination: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    for source in (ROOT / "phongtrao").rglob("*.py"):
        target = destination / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)


def test_the_tree_keeps_the_layers_contract():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import only from the floors below them KEPT" in result.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path):
    # given a copy of the sources in which the ground floor imports reporting
    _copy_sources(tmp_path)
    (tmp_path / "phongtrao/core/upward.py").write_text("from phongtrao.reporting import models\n")
    # when import-linter checks the copy
    result = _lint_imports(tmp_path)
    # then it fails, naming the contract and the wrong arrow
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Apps import only from the floors below them BROKEN" in result.stdout
    assert "phongtrao.core is not allowed to import phongtrao.reporting" in result.stdout
    assert "phongtrao.core.upward -> phongtrao.reporting.models" in result.stdout


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that reach each other through imports (Tarjan's strongly connected
    components, iterative: the graph is deep enough for Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append(
                        (other, iter(sorted(graph.find_modules_directly_imported_by(other))))
                    )
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    circle = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        circle.append(member)
                        if member == module:
                            break
                    if len(circle) > 1:
                        circles.append(sorted(circle))
    return circles


def test_no_modules_import_each_other_in_a_circle():
    # Imports inside functions count too: a lazy import only hides a circle.
    graph = grimp.build_graph("phongtrao", cache_dir=None)
    assert _circles(graph) == []


def test_a_circle_is_found():
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.one")
    graph.add_import(importer="a.three", imported="a.one")
    assert _circles(graph) == [["a.one", "a.two"]]
