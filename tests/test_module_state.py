"""No module of simulation/ holds mutable state: module globals are constants, and running
leaves them as they were.

Per-run state lives on the engine (``engine.state(component)``, simulation.model.components), never in
a module: a module-level registry or cache would leak between runs and differ between worker
processes. Three checks: no ``global`` statement and no caching decorator anywhere in the package;
every module-level container is a named constant (UPPER_CASE) and none is a weak registry; and a
run, a comparison, a validation and a sweep leave every module-level container equal to what it
was, but for the one declared per-process cache (:data:`PER_PROCESS_CACHES`).
"""

from __future__ import annotations

import ast
import copy
import importlib
import pkgutil
import re
import weakref
from pathlib import Path

import numpy as np
import pytest

import simulation

PACKAGE = Path(simulation.__file__).resolve().parent
CONTAINERS = (dict, list, set, bytearray, np.ndarray)
REGISTRIES = (weakref.WeakKeyDictionary, weakref.WeakValueDictionary, weakref.WeakSet)
CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
#: the one declared exception: a sweep worker process keeps the organisations it built (at most a
#: few, keyed by their configuration) so a chunk does not rebuild one (issue: "the organisation is
#: built once per worker"); organisations are read-only inputs, so no run's result depends on it
PER_PROCESS_CACHES = {("simulation.experiments.sweep.chunks", "_ORGS")}


def modules():
    for info in pkgutil.walk_packages(simulation.__path__, "simulation."):
        if info.name.endswith(".__main__"):  # runs the command when imported, by design
            continue
        yield importlib.import_module(info.name)


def own_globals(module):
    """(name, value) of the module's globals that it defines (not imports)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    assigned = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name):
                    assigned.add(leaf.id)
    assigned.discard("__all__")
    return [(n, getattr(module, n)) for n in sorted(assigned) if hasattr(module, n)]


def test_no_global_statement_and_no_cache_decorator_in_the_package():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not isinstance(node, ast.Global), f"{path}:{node.lineno}: global statement"
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    text = ast.unparse(deco)
                    # functools' caches on module functions are module state (cached_property
                    # is per instance; numba's cache=True is compiled code on disk)
                    assert "lru_cache" not in text and text not in ("cache", "functools.cache"), (
                        f"{path}:{node.lineno}: {text} keeps state in the module"
                    )


def test_module_level_containers_are_constants_and_none_is_a_registry():
    for module in modules():
        for name, value in own_globals(module):
            assert not isinstance(value, REGISTRIES), f"{module.__name__}.{name} is a registry"
            if isinstance(value, CONTAINERS):
                assert CONSTANT.match(name), (
                    f"{module.__name__}.{name}: a mutable module global that is not a constant"
                )


def _snapshot():
    snap = {}
    for module in modules():
        for name, value in own_globals(module):
            if isinstance(value, CONTAINERS):
                snap[(module.__name__, name)] = (value, copy.copy(value))
    return snap


def _same(now, before) -> bool:
    """Same entries (the same objects, or equal values), same array contents."""
    if isinstance(now, np.ndarray):
        return now.shape == before.shape and np.array_equal(now, before, equal_nan=True)
    if isinstance(now, dict):
        return now.keys() == before.keys() and all(
            now[k] is before[k] or now[k] == before[k] for k in now
        )
    if isinstance(now, list):
        return len(now) == len(before) and all(
            x is y or x == y for x, y in zip(now, before, strict=True)
        )
    return now == before


@pytest.mark.slow
def test_running_leaves_every_module_global_unchanged(tmp_path):
    from simulation.analysis.validate import QUICK, run_checks
    from simulation.experiments.multisim import compare
    from simulation.experiments.sim import Sim

    before = _snapshot()
    scenarios = PACKAGE.parent / "scenarios"
    Sim(scenarios / "full_support.yaml", org="generate:size=300", days=60, replicates=2).run()
    ms = compare(
        [scenarios / "top_down_mandate.yaml", scenarios / "no_mobile_frontline_heavy.yaml"],
        org="generate:size=300",
        replicates=2,
        days=60,
    )
    ms.save(tmp_path / "out", figures=False)
    run_checks(QUICK.__class__(size=300, replicates=2, bass_size=300, bass_replicates=2))
    from simulation.experiments.sweep import InProcessEvaluator, Sweep
    from tests.sweep_files import write_sweep

    sweep = Sweep.load(write_sweep(tmp_path))
    sweep.run(InProcessEvaluator(), out=tmp_path / "sweep", progress=False)
    changed = [key for key, (value, copied) in before.items() if not _same(value, copied)]
    assert set(changed) <= PER_PROCESS_CACHES, f"{changed} changed during a run"
