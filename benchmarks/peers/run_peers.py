"""One tool, one graph: a year of simple contagion, timed. Run by ``benchmarks/bench_peers.py``.

``python run_peers.py TOOL GRAPH.npz [--beta 0.002] [--days 365] [--seed 0]`` prints one JSON line.
``GRAPH.npz`` holds ``edges`` (m x 2, int64, each undirected edge once), ``n`` and ``seeds`` (the
initially infected nodes), written by the driver, so every tool runs on the same graph from the
same seeds.

The model (SI): each day, each susceptible node becomes infected with probability
``1 - (1 - beta) ** (infected neighbours)``, from the state at the start of the day. Tools:

* ``ndlib``: NDlib's ``SIModel`` (``tp_rate=1``: exactly this rule, looping over nodes in Python);
  iteration 0 only reports the initial status and belongs to the set-up.
* ``starsim``: Starsim's ``ss.SIR`` with ``beta=ss.probperday(beta)``, no recovery within the year
  (``dur_inf`` 100 years, ``p_death=0``), on an ``ss.StaticNet`` of the graph: one Bernoulli draw
  per susceptible-infected edge and direction, which is the same rule. ``dur=ss.days(days - 1)``:
  Starsim steps every time point, the first included, so this is ``days`` steps.
* ``numpy``: the vectorised version: one ``scipy.sparse`` product per day for the infected
  neighbours, one uniform draw per person per day.
* ``bare``: 365 bare products ``A @ x`` (float32) on the same matrix: the floor.

The set-up (``setup_s``) is everything from the edge array to a model ready to run (the
networkx graph, the tool's own structures; for Starsim also ``sim.init()``); the year
(``year_s``) is the days alone. Both come with their CPU time. Starsim JIT-compiles its kernels
(numba, cached on disk): a 200-node warm-up sim runs first and is timed apart (``warmup_s``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def _load(path):
    data = np.load(path)
    return int(data["n"]), data["edges"], data["seeds"]


def _clock():
    return time.perf_counter(), time.process_time()


def _since(mark):
    return time.perf_counter() - mark[0], time.process_time() - mark[1]


def _version(name):
    from importlib.metadata import version

    return version(name)


def _graph(n, edges):
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges.tolist())
    return graph


def _matrix(n, edges):
    import scipy.sparse as sp

    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    data = np.ones(rows.size, dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(n, n))


def run_ndlib(n, edges, seeds, beta, days, seed):

    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc

    mark = _clock()
    graph = _graph(n, edges)
    model = ep.SIModel(graph, seed=seed)
    config = mc.Configuration()
    config.add_model_parameter("beta", beta)
    config.add_model_initial_configuration("Infected", [int(s) for s in seeds])
    model.set_initial_status(config)
    model.iteration(node_status=False)  # iteration 0: the initial status, no update
    setup = _since(mark)
    mark = _clock()
    curve = []
    for _ in range(days):
        out = model.iteration(node_status=False)
        curve.append(int(out["node_count"][1]))
    year = _since(mark)
    return setup, year, curve, {"ndlib": _version("ndlib")}


def _starsim_sim(ss, n, graph, beta, days, seed):
    return ss.Sim(
        n_agents=n,
        dt=ss.days(1),
        start=ss.days(0),
        dur=ss.days(days - 1),
        rand_seed=seed + 1,
        people_results=False,
        verbose=0,
        networks=ss.StaticNet(graph=graph),
        diseases=ss.SIR(
            beta=ss.probperday(beta),
            init_prev=ss.bernoulli(p=0),
            dur_inf=ss.constant(ss.years(100)),
            p_death=0,
        ),
    )


def run_starsim(n, edges, seeds, beta, days, seed):
    import starsim as ss

    # warm-up: numba compiles (or loads from its disk cache) the transmission kernels
    mark = _clock()
    small = np.array([[i, (i + 1) % 200] for i in range(200)])
    warm = _starsim_sim(ss, 200, _graph(200, small), beta, 3, seed)
    warm.init()
    warm.diseases[0].set_prognoses(ss.uids(np.arange(5)))
    warm.run()
    warmup = _since(mark)

    mark = _clock()
    sim = _starsim_sim(ss, n, _graph(n, edges), beta, days, seed)
    sim.init()
    sim.diseases[0].set_prognoses(ss.uids(np.asarray(seeds, dtype=np.int64)))
    setup = _since(mark)
    mark = _clock()
    sim.run()
    year = _since(mark)
    curve = [int(v) for v in sim.diseases[0].results.n_infected]
    extra = {"starsim": _version("starsim"), "warmup_s": warmup[0], "steps": len(curve)}
    return setup, year, curve, extra


def run_numpy(n, edges, seeds, beta, days, seed):
    mark = _clock()
    matrix = _matrix(n, edges)
    infected = np.zeros(n, dtype=bool)
    infected[seeds] = True
    rng = np.random.default_rng(seed)
    log_keep = np.float32(np.log1p(-beta))
    setup = _since(mark)
    mark = _clock()
    curve = []
    for _ in range(days):
        k = matrix @ infected.astype(np.float32)
        p = -np.expm1(k * log_keep)  # 1 - (1 - beta) ** k
        infected |= rng.random(n, dtype=np.float32) < p
        curve.append(int(infected.sum()))
    year = _since(mark)
    return setup, year, curve, {}


def run_bare(n, edges, seeds, beta, days, seed, repeats=5):
    mark = _clock()
    matrix = _matrix(n, edges)
    x = np.random.default_rng(0).random(n, dtype=np.float32)
    matrix @ x  # warm-up
    setup = _since(mark)
    best = None
    for _ in range(repeats):
        mark = _clock()
        for _ in range(days):
            matrix @ x
        took = _since(mark)
        best = took if best is None or took[0] < best[0] else best
    return setup, best, [], {"repeats": repeats}


TOOLS = {"ndlib": run_ndlib, "starsim": run_starsim, "numpy": run_numpy, "bare": run_bare}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("graph", help="the .npz written by bench_peers.py")
    parser.add_argument("--beta", type=float, default=0.002)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    n, edges, seeds = _load(args.graph)
    import networkx  # noqa: F401  (imports are not part of any set-up)
    import scipy.sparse  # noqa: F401

    setup, year, curve, extra = TOOLS[args.tool](n, edges, seeds, args.beta, args.days, args.seed)
    import scipy

    out = {
        "tool": args.tool,
        "people": n,
        "edges": int(edges.shape[0]),
        "setup_s": setup[0],
        "setup_cpu_s": setup[1],
        "year_s": year[0],
        "year_cpu_s": year[1],
        "final_infected": curve[-1] if curve else None,
        "infected_day_90_180_365": [curve[i] for i in (89, 179, len(curve) - 1)] if curve else None,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        **extra,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
