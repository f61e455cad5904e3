# esnsim: the two commands of the README, and a few more.
#   make run    creates .venv, installs, runs the main job, prints where the results are
#   make test   creates .venv, installs, runs every test (notebooks included)
#   make lab    JupyterLab on notebooks/ (installed by run and test)
#   make dashboard    the Solara app on http://127.0.0.1:8765/
#   make screenshots  the README's pictures of the dashboard and a report (docs/screenshots/)
#   make bench-peers  NDlib and Starsim in benchmarks/peers/.venv, beside the engine (not in CI)
#   make docs         the documentation site (MkDocs, mkdocs.yml) into site/, --strict
#   make docs-serve   the same site, rebuilt on change, on http://127.0.0.1:8000/
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the real networks (third-party data, not in the repository): a folder laid out like ../shared/data
ESNSIM_DATA ?= $(abspath ../shared/data)
export ESNSIM_DATA

.PHONY: run test lab lint format bench bench-peers clean dashboard screenshots docs docs-serve

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m simulation.dashboard.assets  # Solara's JavaScript from the npm registry (npm pack)
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/esnsim run scenarios/all_staff_announcement.yaml --org generate:size=2000 --replicates 20 --out results/make-run/all_staff_announcement
	$(BIN)/esnsim run scenarios/grassroots.yaml --org generate:size=2000 --replicates 20 --out results/make-run/grassroots
	@echo "Results: results/make-run/ (daily.parquet, summary.parquet, manifest.json, adoption.png per plan)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

dashboard: $(STAMP)
	$(BIN)/esnsim dashboard

# the README's pictures (docs/screenshots/), in headless Chromium (Debian's chromium, chromium-driver)
screenshots: $(STAMP)
	$(BIN)/python docs/make_screenshots.py

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# the documentation site: docs/ and mkdocs.yml, offline (no font, script or style from elsewhere)
docs: $(STAMP)
	$(BIN)/mkdocs build --strict

docs-serve: $(STAMP)
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

# NDlib and Starsim in their own environment, then the engine beside them (not in CI: ~5 min)
PEERS_VENV := benchmarks/peers/.venv
PEERS_STAMP := $(PEERS_VENV)/.installed

$(PEERS_STAMP): benchmarks/peers/requirements.txt
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PEERS_VENV)/bin/python -m pip install --quiet -r benchmarks/peers/requirements.txt
	touch $(PEERS_STAMP)

bench-peers: $(STAMP) $(PEERS_STAMP)
	$(BIN)/python benchmarks/bench_peers.py

clean:
	rm -rf $(VENV) $(PEERS_VENV) .pytest_cache .ruff_cache
	find simulation tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +  # bytecode and numba's compiled kernels
