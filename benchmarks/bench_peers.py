"""The engine beside its peers: NDlib, Starsim and plain numpy on one graph, one year, one run.

``make bench-peers`` creates ``benchmarks/peers/.venv`` (NDlib and Starsim, pinned in
``benchmarks/peers/requirements.txt``, never in the project's environment) and runs
``python benchmarks/bench_peers.py [--sizes 10000,100000]`` with the project's environment.

At each size it builds one Watts-Strogatz graph (``networkx.watts_strogatz_graph(n, 10, 0.1,
seed=0)``) and 10 initially infected nodes (``default_rng(1)``), writes them to a temporary
``.npz`` and runs, each in a fresh process:

* with ``benchmarks/peers/.venv/bin/python``: ``benchmarks/peers/run_peers.py ndlib`` and
  ``... starsim`` (a year of SI contagion: each day a susceptible node is infected with
  probability ``1 - (1 - beta) ** infected_neighbours``, beta 0.002);
* with this interpreter: ``run_peers.py numpy`` (the same model, vectorised: one sparse product
  and one uniform draw per person per day), ``run_peers.py bare`` (365 bare products ``A @ x``,
  float32, best of 5: the floor), and ``esnsim``: the engine's core model (threshold rule,
  announcement on day 0, habit, lapse and return; ``bench_engine.core_scenario``) on the same
  graph, as an ``Organisation.from_arrays(manager=-1 for all, ties=the graph)``, one replicate.

The engine's row is its own, richer model (it is what the engine exists to run), not SI: it is
there to place the engine's year on the same graph beside the others, not as the same model.

It prints a table (tool, people, set-up s, year s, their CPU seconds, year / bare loop, infected
at the end) and writes ``--out`` (default ``benchmarks/peers_results.json``) with the machine,
the load average at the start and the end, and every figure. Not part of ``make test`` or CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_engine import core_scenario, machine  # noqa: E402

RUN_PEERS = HERE / "peers" / "run_peers.py"
PEERS_PYTHON = HERE / "peers" / ".venv" / "bin" / "python"
SIZES = (10_000, 100_000)
K, P, N_SEEDS = 10, 0.1, 10
#: (tool, which interpreter)
TOOLS = (
    ("bare", "main"),
    ("numpy", "main"),
    ("esnsim", "main"),
    ("starsim", "peers"),
    ("ndlib", "peers"),
)


def write_graph(n: int, path: Path) -> dict:
    import networkx as nx
    import numpy as np

    start = time.perf_counter()
    graph = nx.watts_strogatz_graph(n, K, P, seed=0)
    edges = np.array(graph.edges(), dtype=np.int64)
    seeds = np.random.default_rng(1).choice(n, N_SEEDS, replace=False)
    np.savez(path, n=n, edges=edges, seeds=seeds)
    return {"edges": int(edges.shape[0]), "networkx_generate_s": time.perf_counter() - start}


def child_esnsim(graph_path: str, days: int) -> dict:
    """The engine's core model for a year on the graph of ``graph_path``."""
    import numpy as np
    import scipy.sparse as sp

    from simulation.model.engine import Engine
    from simulation.org.model import Organisation
    from simulation.plan.names import resolve_names

    data = np.load(graph_path)
    n, edges = int(data["n"]), data["edges"]
    scenario = core_scenario(days)
    # as for Starsim: numba's kernels compiled (or loaded from its cache) before timing
    w0 = time.perf_counter()
    Engine(
        Organisation.generate(200, seed=1),
        resolve_names(scenario, Organisation.generate(200, seed=1)),
        [0],
    ).run()
    warmup_s = time.perf_counter() - w0

    t0, c0 = time.perf_counter(), time.process_time()
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    ties = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (rows, cols)), shape=(n, n))
    org = Organisation.from_arrays(manager=np.full(n, -1), ties=ties)
    engine = Engine(org, resolve_names(scenario, org), [0])
    t1, c1 = time.perf_counter(), time.process_time()
    engine.run()
    t2, c2 = time.perf_counter(), time.process_time()
    values = engine.records.trimmed()
    # the engine's own floor, in the same process: 365 products on the organisation's tie matrix
    x = np.random.default_rng(0).random(n, dtype=np.float32)
    org.ties @ x
    bare = []
    for _ in range(5):
        b0 = time.perf_counter()
        for _ in range(days):
            org.ties @ x
        bare.append(time.perf_counter() - b0)
    return {
        "tool": "esnsim",
        "people": n,
        "warmup_s": warmup_s,
        "edges": int(edges.shape[0]),
        "setup_s": t1 - t0,
        "setup_cpu_s": c1 - c0,
        "year_s": t2 - t1,
        "year_cpu_s": c2 - c1,
        "own_bare_s": min(bare),
        "final_registered": int(round(float(values["registered"][-1].mean()) * n)),
        "final_share": {c: float(values[c][-1].mean()) for c in ("registered", "wau")},
        "model": "esnsim core model (threshold rule, announcement day 0, habit, lapse, return)",
    }


def run_tool(tool: str, where: str, graph: Path, args) -> dict:
    if tool == "esnsim":
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(graph)]
        cmd += ["--days", str(args.days)]
    else:
        python = sys.executable if where == "main" else str(args.peers_python)
        if where == "peers" and not Path(python).exists():
            return {"tool": tool, "skipped": f"{python} missing (run make bench-peers)"}
        cmd = [python, str(RUN_PEERS), tool, str(graph), "--beta", str(args.beta)]
        cmd += ["--days", str(args.days)]
    env = dict(os.environ, STARSIM_INSTALL_FONTS="0", MPLBACKEND="Agg")
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=args.timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return {"tool": tool, "error": f"timed out after {args.timeout:.0f} s"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"tool": tool, "error": " | ".join(tail) or f"exit {proc.returncode}"}
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"tool": tool, "error": "no result: " + proc.stdout[-300:]}


def _peer_versions(python: Path) -> dict:
    if not python.exists():
        return {}
    code = (
        "import json, importlib.metadata as m; "
        "print(json.dumps({p: m.version(p) for p in ('ndlib', 'starsim', 'networkx', 'numpy', "
        "'scipy', 'numba')}))"
    )
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return {"error": proc.stderr[-300:]}


def print_table(results: dict, file=sys.stdout) -> None:
    m = results["machine"]
    v = results.get("peer_versions", {})
    print(
        f"peers benchmark: {m['cpu']} x{m['cpus']}, {m['memory_gb']} GB, Python {m['python']}; "
        f"NDlib {v.get('ndlib', '-')}, Starsim {v.get('starsim', '-')}, numpy {m['numpy']}, "
        f"scipy {m['scipy']}; {m['date']}",
        file=file,
    )
    print(
        f"load average at start {results['load_start']}, at end {results['load_end']}; "
        f"Watts-Strogatz k={K}, p={P}, {N_SEEDS} seeds, beta {results['beta']}, "
        f"{results['days']} days",
        file=file,
    )
    head = (
        f"{'tool':<8} {'people':>8} {'set-up s':>9} {'(CPU)':>7} {'year s':>8} {'(CPU)':>7} "
        f"{'year/bare':>9} {'infected at end':>16}"
    )
    print(head, file=file)
    print("-" * len(head), file=file)
    for size in results["sizes"]:
        rows = results["rows"][str(size)]
        bare = rows.get("bare", {}).get("year_s")
        for tool, _ in TOOLS:
            r = rows.get(tool, {})
            if "error" in r or "skipped" in r:
                print(f"{tool:<8} {size:>8,} {r.get('error') or r.get('skipped')}", file=file)
                continue
            ratio = f"{r['year_s'] / bare:.1f}x" if bare else "-"
            if tool == "esnsim":
                end = f"{r['final_registered']:,} reg."
            elif r.get("final_infected") is not None:
                end = f"{r['final_infected']:,}"
            else:
                end = "-"
            print(
                f"{tool:<8} {size:>8,} {r['setup_s']:>9.3f} {r['setup_cpu_s']:>7.3f} "
                f"{r['year_s']:>8.3f} {r['year_cpu_s']:>7.3f} {ratio:>9} {end:>16}",
                file=file,
            )
    print(
        "\nset-up: from the edge array to a model ready to run; year: 365 days; CPU: CPU time "
        "of the process.\nesnsim runs its own core model (not SI) on the same graph: "
        "'reg.' = registered people at the end.",
        file=file,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--beta", type=float, default=0.002)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--peers-python", type=Path, default=PEERS_PYTHON)
    parser.add_argument("--tools", default=",".join(t for t, _ in TOOLS))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per row")
    parser.add_argument("--out", default=str(HERE / "peers_results.json"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(child_esnsim(args.child, args.days)))
        return 0

    sizes = [int(float(s)) for s in args.sizes.split(",") if s.strip()]
    wanted = set(args.tools.split(","))
    results: dict = {
        "machine": machine(),
        "peer_versions": _peer_versions(args.peers_python),
        "load_start": [round(v, 2) for v in os.getloadavg()],
        "sizes": sizes,
        "days": args.days,
        "beta": args.beta,
        "graph": {"kind": "watts_strogatz", "k": K, "p": P, "seed": 0, "infected_seeds": N_SEEDS},
        "rows": {},
    }
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"ws_{size}.npz"
            results.setdefault("graphs", {})[str(size)] = write_graph(size, path)
            rows = results["rows"][str(size)] = {}
            for tool, where in TOOLS:
                if tool not in wanted:
                    continue
                print(
                    f"[{time.perf_counter() - t_start:6.1f} s] {tool}, {size:,} people",
                    file=sys.stderr,
                    flush=True,
                )
                rows[tool] = run_tool(tool, where, path, args)
    results["load_end"] = [round(v, 2) for v in os.getloadavg()]
    results["elapsed_s"] = time.perf_counter() - t_start
    out = Path(args.out)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwrote {out}")
    failed = [f"{t}@{s}" for s in sizes for t, r in results["rows"][str(s)].items() if "error" in r]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
