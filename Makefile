# The README's commands. `make run` serves the embedded default; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 9000
PLUGINS := $(wildcard plugins/*/setup.cfg)
PLUGIN_DIRS := $(patsubst %/setup.cfg,%,$(PLUGINS))
EDITABLE := -e . $(foreach d,$(PLUGIN_DIRS),-e $(d))
EDITABLE_DEV := -e .[dev] $(foreach d,$(PLUGIN_DIRS),-e $(d))
EDITABLE_PROD := -e .[postgres,redis,s3] $(foreach d,$(PLUGIN_DIRS),-e $(d))

.PHONY: run smoke test install install-dev install-prod install-browser lint spec fuzz harden docs-assets serve-prod clean bench-webhooks worker-crash ui bench-ui bench-ingest

$(BIN)/python:
	@echo "Creating $(VENV) ..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q -U pip

# Re-install whenever a package's metadata changes (entry points live there).
$(VENV)/.installed: $(BIN)/python setup.cfg $(PLUGINS)
	@echo "Installing sentryapi and its $(words $(PLUGIN_DIRS)) plugins into $(VENV) ..."
	@$(BIN)/pip install -q $(EDITABLE)
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python setup.cfg $(PLUGINS)
	$(BIN)/pip install -q $(EDITABLE_DEV)
	touch $@ $(VENV)/.installed

$(VENV)/.installed-prod: $(BIN)/python setup.cfg $(PLUGINS)
	$(BIN)/pip install -q $(EDITABLE_PROD)
	touch $@ $(VENV)/.installed

# Sentry's npm clients the suite runs (tests/clients: `sentry`, `@sentry/mcp-server`), pinned by
# their lock file and re-installed with `npm ci` whenever it changes.
NODE_CLIENTS := tests/clients
$(NODE_CLIENTS)/node_modules/.installed: $(NODE_CLIENTS)/package.json $(NODE_CLIENTS)/package-lock.json
	cd $(NODE_CLIENTS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(NODE_CLIENTS)/node_modules/.installed
install-prod: $(VENV)/.installed-prod

# gunicorn (gunicorn.conf.py) and, beside its workers, the events digest process, both
# supervised by `flask sentryapi serve` (README: "What runs where").
# DSNs and links name the address served (127.0.0.1 for HOST=0.0.0.0) unless
# SENTRYAPI_PUBLIC_URL is set in the environment.
PUBLIC_HOST := $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
run: install
	@SENTRYAPI_PUBLIC_URL=$${SENTRYAPI_PUBLIC_URL:-http://$(PUBLIC_HOST):$(PORT)} $(BIN)/flask --app wsgi sentryapi init
	@SENTRYAPI_PUBLIC_URL=$${SENTRYAPI_PUBLIC_URL:-http://$(PUBLIC_HOST):$(PORT)} $(BIN)/flask --app wsgi sentryapi serve -c gunicorn.conf.py --bind $(HOST):$(PORT)

# The newcomer's path checked end to end (scripts/smoke.sh): `make run` in a fresh venv without
# the dev extras, the printed curl line, and the printed snippet's error arriving as an issue.
smoke:
	bash scripts/smoke.sh

# Production: PostgreSQL and Redis from the settings (SENTRYAPI_* or instance/config.py),
# checked first, schema migrated, then gunicorn with gunicorn.conf.py (SENTRYAPI_BIND,
# SENTRYAPI_WORKERS, SENTRYAPI_THREADS) and the background processes (events digest, webhook
# worker) under `flask sentryapi serve`. Run it on every app host behind the balancer;
# UPGRADE=0 skips the migration (let one host migrate, not all at once).
UPGRADE ?= 1
serve-prod: install-prod
	$(BIN)/flask --app wsgi sentryapi check-production
	if [ "$(UPGRADE)" = 1 ]; then $(BIN)/flask --app wsgi sentryapi upgrade; fi
	$(BIN)/flask --app wsgi sentryapi serve -c gunicorn.conf.py

# The suite runs on every core (pytest-xdist): most of its time is spent waiting on servers,
# subprocesses and databases. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install-dev
	$(BIN)/ruff check sentryapi plugins tests
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The published OpenAPI document, committed: tests fail when the code breaks it.
spec: install-dev
	$(BIN)/flask --app wsgi openapi write openapi/public.json
	@echo "Wrote openapi/public.json: commit it with the change."

# A longer schemathesis run than the suite's (FUZZ_EXAMPLES per operation, mode and database).
FUZZ_EXAMPLES ?= 300
fuzz: install-dev
	SENTRYAPI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_openapi_fuzz.py -q $(PYTEST_ARGS)

# The hardening checks, each printing its figure: the suite's tenant-isolation, mass-assignment,
# hostile-payload, outage, header and inventory tests; hostile requests over real sockets to
# gunicorn (chunked bodies, huge headers); then the long one: the API killed with
# SIGKILL HARDEN_KILLS times during HARDEN_EVENTS SDK events, on SQLite and PostgreSQL.
HARDEN_EVENTS ?= 10000
HARDEN_KILLS ?= 5
HARDEN_TESTS := tests/test_bola.py tests/test_mass_assignment.py tests/test_access_matrix.py \
	tests/test_hostile_payloads.py tests/test_database_outage.py tests/test_security_headers.py \
	tests/test_inventory.py tests/test_errors.py tests/test_config.py
harden: install-dev
	$(BIN)/python -m pytest $(HARDEN_TESTS) -q $(PYTEST_ARGS)
	$(BIN)/python bench/hostile_http.py
	$(BIN)/python bench/ingest_durability.py --events $(HARDEN_EVENTS) --kills $(HARDEN_KILLS) --db both
	$(BIN)/python bench/ingest_durability.py --events $(HARDEN_EVENTS) --kills $(HARDEN_KILLS) --db both --target workers
	$(BIN)/python bench/worker_crash.py

# The web UI (ui/): npm ci from the lock file, the API types from openapi/public.json, tsc,
# then vite builds into sentryapi/ui/static (committed; a test checks it matches ui/).
ui:
	cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build

# The UI's first paint of the issue list with 10,000 issues (Playwright + Chromium).
bench-ui: install-dev
	$(BIN)/python bench/ui_first_paint.py $(BENCH_ARGS)

# Re-fetch the docs pages' ReDoc/Swagger UI files from npm (pinned, hash-checked); commit them.
docs-assets:
	bash scripts/fetch-docs-assets.sh

# Headless Chromium for the OAuth consent-flow and docs-page tests: Debian's package (Playwright drives it;
# its own browser downloads are not used). Needs root, as CI has.
CHROMIUM ?= /usr/bin/chromium
install-browser:
	@test -x $(CHROMIUM) || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	@$(CHROMIUM) --version 2>/dev/null

# SDK ingestion as `make run` serves it (flask sentryapi serve) against a bare Flask envelope
# endpoint under the same gunicorn settings, 3 runs, medians (README: Events). BENCH_ARGS adds
# e.g. --db sqlite or --events 60000 for a sustained load.
bench-ingest: install-dev
	$(BIN)/python bench/ingest.py --runs 3 $(BENCH_ARGS)

# Webhooks on RQ: delivery rate against a no-op job, and deliveries surviving SIGKILLed workers
# (each starts its own redis-server; PostgreSQL from SENTRYAPI_TEST_POSTGRES_URL or the local `test`).
bench-webhooks: install-dev
	$(BIN)/python bench/webhooks.py $(BENCH_ARGS)

worker-crash: install-dev
	$(BIN)/python bench/worker_crash.py $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check sentryapi plugins tests bench

clean:
	rm -rf $(VENV) build dist *.egg-info plugins/*/*.egg-info
