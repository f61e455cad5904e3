"""The package's layers (docs/architecture.md) are checked by import-linter's layers contract
(``[tool.importlinter]`` in pyproject.toml): the contract holds on the package, an upward import
added to a copy of it breaks it, and no module imports, at its top, a module that imports it
back (a module-level import cycle)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "simulation"
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_contract_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "simulation", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    errors = tmp_path / "simulation" / "base" / "errors.py"
    errors.write_text(errors.read_text() + "\nfrom simulation.model import engine  # upward\n")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "simulation.base.errors -> simulation.model.engine" in result.stdout


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports at its top (not inside a function)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:  # a submodule, else the module that defines the name
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith("simulation"):
                found.add(name)
    return found


def test_no_module_level_import_cycle():
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for module, path in paths.items():
        for target in _top_level_imports(path, set(paths)) - {module}:
            graph.add_edge(module, target)
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles[:5]


#: Modules allowed to import the package's own modules inside functions, and why. Anywhere
#: else an import of the package goes at the top of the module, so that its dependencies show.
LAZY = {
    "simulation": "the public API loads on first use (PEP 562): `import simulation.cli` stays quick",
    "simulation.entry": "start-up: the fork server starts before the command's own imports",
    "simulation.cli": "start-up: a sub-command imports only what it runs",
    "simulation.dashboard": "start-up: a page imports the model when it is first shown",
    "simulation.org.model": "the Organisation's constructors (generate, from_hr_csv, ...) "
    "live in modules that import Organisation",
    "simulation.org.spec": "resolving an organisation source needs its constructors",
    "simulation.org.source": "resolving an organisation source needs its constructors",
    "simulation.org.roles": "the roles file's loader and error paths, only with a roles file",
    "simulation.org.table": "limits and the YAML loader, only for a mapping file",
    "simulation.org.inspect": "roles, only when asked for",
    "simulation.org.analysis": "triangle counts, only when asked for",
    "simulation.datasets": "a dataset's loader (and its download), only when that dataset is used",
    "simulation.model.people": "windows import people: the classes of people need both",
    "simulation.model.engine": "the day plan, only to describe it",
    "simulation.plan.names": "the scenario schema imports the name resolution",
    "simulation.plan.rollout.base": "people's stages, only inside a rollout's day",
    "simulation.plan.levers.mobile_app": "the engine's visit rhythm (compiled kernels), only "
    "when the app launches",
    "simulation.experiments.sim": "drawing (matplotlib) and loaders, imported when called",
    "simulation.experiments.multisim": "drawing, the report and calibration sections, when called",
    "simulation.experiments.comparison_outputs": "the report, when a comparison is saved",
    "simulation.experiments.runner": "group breakdowns, only when asked for",
    "simulation.experiments.sweep": "a sweep's worker imports only what its chunk runs",
    "simulation.analysis.calibrate": "the forecast, outputs and figures after a fit",
    "simulation.analysis.calibration_output": "drawing, when the figures are written",
    "simulation.analysis.diffusion_data": "organisations, only for a network's data",
    "simulation.report.html": "drawing, when a figure is embedded",
    "simulation.report.sweep_plots": "sensitivity indices, when they are drawn",
}


def _allowed(module: str) -> str | None:
    for prefix in sorted(LAZY, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    return None


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of each import of the package inside a function of ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    "simulation"
                ):
                    found.append((inner.lineno, inner.module))
                elif isinstance(inner, ast.Import):
                    found += [
                        (inner.lineno, a.name)
                        for a in inner.names
                        if a.name.startswith("simulation")
                    ]
    return found


def test_function_local_imports_of_the_package_are_only_the_documented_ones():
    used, stray = set(), []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for line, target in _function_imports(path):
            prefix = _allowed(module)
            if prefix is None:
                stray.append(f"{path.relative_to(ROOT)}:{line}: imports {target} in a function")
            else:
                used.add(prefix)
    assert stray == [], "\n".join(stray)
    assert set(LAZY) <= used, f"no longer lazy, drop from LAZY: {sorted(set(LAZY) - used)}"
