"""Where a simulated year goes: statement timing of ``Engine.step`` and a cProfile summary.

``python benchmarks/profile_engine.py [--size 100000] [--model core|full] [--top 25]``

* statement timing: ``Engine.step``'s source is instrumented (its AST: a clock read around every
  simple statement, nested blocks included), compiled in the engine module's namespace and run as
  the ``step`` of a subclass, so each line of the day gets its own total over the year; the work
  of a call (``self.exposure(...)``, ``self.records.record(...)``) counts on the calling line;
* cProfile of a second year, functions sorted by their own time (``tottime``).

Nothing in ``simulation/`` is modified; the instrumented copy follows whatever the engine's source
is at the time of the run.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import inspect
import io
import pstats
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_engine import core_scenario, full_scenario  # noqa: E402

import simulation.model.engine as engine_module  # noqa: E402
from simulation.model.engine import Engine  # noqa: E402
from simulation.org.model import Organisation  # noqa: E402
from simulation.plan.names import resolve_names  # noqa: E402


class _Instrument(ast.NodeTransformer):
    """Wrap every simple statement in ``_t = _clock(); <stmt>; _acc[line] += _clock() - _t``."""

    COMPOUND = (ast.If, ast.For, ast.While, ast.With, ast.Try)

    def _wrap(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in body:
            if isinstance(stmt, self.COMPOUND):
                for field in ("body", "orelse", "finalbody"):
                    if getattr(stmt, field, None):
                        setattr(stmt, field, self._wrap(getattr(stmt, field)))
                for handler in getattr(stmt, "handlers", []):
                    handler.body = self._wrap(handler.body)
                out.append(stmt)
            elif isinstance(stmt, ast.Return | ast.FunctionDef):
                out.append(stmt)
            else:
                line = stmt.lineno
                before = ast.parse(f"_t{line} = _clock()").body[0]
                after = ast.parse(f"_acc[{line}] += _clock() - _t{line}").body[0]
                out.extend([before, stmt, after])
        return out

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:  # noqa: N802
        node.body = self._wrap(node.body)
        node.decorator_list = []
        return node


def timed_step():
    """The instrumented ``Engine.step``, its per-line accumulator and its source lines."""
    source = textwrap.dedent(inspect.getsource(Engine.step))
    first = Engine.step.__code__.co_firstlineno
    tree = _Instrument().visit(ast.parse(source))
    ast.fix_missing_locations(tree)
    acc: dict[int, float] = defaultdict(float)
    namespace = dict(vars(engine_module))
    namespace.update({"_clock": time.perf_counter, "_acc": acc})
    exec(compile(tree, engine_module.__file__, "exec"), namespace)  # noqa: S102
    lines = source.splitlines()
    return namespace["step"], acc, lines, first


def statement_profile(org, scenario) -> tuple[float, list[tuple[int, str, float]]]:
    step, acc, lines, first = timed_step()
    cls = type("TimedEngine", (Engine,), {"step": step})
    engine = cls(org, scenario, [0])
    start = time.perf_counter()
    engine.run()
    total = time.perf_counter() - start
    rows = [(first + line - 1, lines[line - 1].strip(), seconds) for line, seconds in acc.items()]
    rows.sort(key=lambda r: -r[2])
    return total, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--model", choices=("core", "full"), default="core")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    org = Organisation.generate(args.size, seed=0)
    scenario = core_scenario() if args.model == "core" else full_scenario()
    plain = Engine(org, resolve_names(scenario, org), [0])
    start = time.perf_counter()
    plain.run()
    plain_s = time.perf_counter() - start
    del plain

    total, rows = statement_profile(org, scenario)
    print(
        f"{args.model} model, {args.size:,} people, one year: {plain_s:.2f} s plain, "
        f"{total:.2f} s instrumented\n"
    )
    print(f"{'line':>5} {'seconds':>8} {'share':>6}  statement of Engine.step")
    for line, text, seconds in rows[: args.top]:
        print(f"{line:>5} {seconds:>8.3f} {seconds / total:>6.1%}  {text[:100]}")

    profiler = cProfile.Profile()
    engine = Engine(org, resolve_names(scenario, org), [0])
    profiler.enable()
    engine.run()
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(args.top)
    print("\ncProfile, sorted by own time:")
    print(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
