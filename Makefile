# Casework: `make run` sets up and serves the quick start; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000
# The suite runs against PostgreSQL; override for another server.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework
# pytest-xdist processes, each with its own test database (TEST_WORKERS=0 runs in one process);
# loadfile keeps each test module on one process, so tests/test_demo.py seeds the demo once.
TEST_WORKERS ?= auto

.PHONY: run setup performance-rollup smoke smoke-production install assets test test-clock-ahead lint check-deploy lock bench bench-digests bench-pages bench-returns clean

run: setup
	@$(PY) manage.py seed_demo
	@echo
	@echo "Casework is at http://$(HOST_PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST_PORT)

# Installed, migrated and seeded: safe to run again at any time.
setup: install assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_authorities
	$(PY) manage.py load_audit_templates
	$(PY) manage.py seed_demo --quiet-logins

# The Performance page's monthly figures recounted from the deadlines (the nightly job does this):
# `make performance-rollup AUTHORITY=leeds` for one authority, all of them without.
performance-rollup: install
	$(PY) manage.py performance_rollup $(if $(AUTHORITY),--authority $(AUTHORITY))

# The quick start's set-up on its own SQLite database, then one answer from the rules module.
smoke: setup
	test "$$($(PY) manage.py timescales due leeds icpc 2026-12-10 | sed -n 1p)" = "2027-01-05T23:59:59+00:00"
	@echo "Quick-start set-up works."

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: static/build/casework.css

static/build/casework.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

# Every run ends with its 15 slowest tests.
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15
test: install assets
	bash scripts/ensure-test-services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/ensure_database.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST) $(PYTEST_ARGS)

# The guard against tests that read the machine's clock: the fast suite (everything but the
# browser) with the clock moved CLOCK_AHEAD_DAYS ahead in every test process before collection.
# Every test runs at its own fixed instant (tests/clock.py), so this passes only if none escapes.
CLOCK_AHEAD_DAYS ?= 400
test-clock-ahead: install assets
	bash scripts/ensure-test-services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/ensure_database.py
	CASEWORK_CLOCK_AHEAD_DAYS=$(CLOCK_AHEAD_DAYS) DATABASE_URL=$(TEST_DATABASE_URL) \
	  $(PYTEST) -m "not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python scripts/import_graph.py
	$(PY) manage.py makemigrations --check --dry-run

# Production settings pass Django's deploy checks, and the static files collect into the manifest
# (a stylesheet naming a file that is not there stops collectstatic, and so the deploy).
DEPLOY_ENV = DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  ALLOWED_HOSTS=casework.example DATABASE_URL=sqlite:///var/deploy-check.sqlite3
check-deploy: install assets
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(DEPLOY_ENV) $(PY) manage.py collectstatic --noinput -v0

# Production as docker-compose starts it: collectstatic and migrate on PostgreSQL, gunicorn behind
# a TLS-ending proxy, then sign-in with the second factor, My work, a manifest stylesheet, 404, 500.
SMOKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework_smoke
smoke-production: install assets
	bash scripts/ensure-test-services.sh
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(PY) scripts/ensure_database.py
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(PY) scripts/production_smoke.py

# Regenerate the lock file from pyproject.toml's direct dependencies.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet ".[dev]"
	(echo "# Exact pins for every Python package (runtime and development). Regenerate with: make lock"; \
	  var/lock-venv/bin/pip freeze --exclude-editable | grep -v '^casework') > requirements.lock

clean:
	rm -rf $(VENV) node_modules static/build var/static

# The rules-module benchmark: due-date computations per CPU-second, working-day arithmetic over
# 1,000,000 pairs against numpy.busday_offset, then a bulk recalculation (wall time) of
# 1,000,000 open deadlines in PostgreSQL (BENCH_DATABASE_URL, created if missing).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework_bench
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) scripts/ensure_database.py
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) scripts/bench_rules.py $(BENCH_ARGS)

# The digest benchmark: 500 staff over 1,000,000 deadlines (50,000 open), every digest built and
# sent to an SMTP server on localhost, and the bare SQL that finds the same rows. The data is made
# once in BENCH_DIGESTS_DATABASE_URL (created if missing) and kept; BENCH_ARGS=--rebuild remakes it.
BENCH_DIGESTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework_bench_digests
bench-digests: install
	DATABASE_URL=$(BENCH_DIGESTS_DATABASE_URL) $(PY) scripts/ensure_database.py
	BENCH_DATABASE_URL=$(BENCH_DIGESTS_DATABASE_URL) $(PY) scripts/bench_digests.py $(BENCH_ARGS)

# The page benchmark: Leeds at a large authority's scale (50,000 children, 1,000,000 deadlines, 500
# staff, chronologies, visits, notes, plans, audits; scripts/scale_data.py) made once in
# BENCH_PAGES_DATABASE_URL and kept, and the Leeds demo in the same name with _small. Every main page
# is served by gunicorn (DEBUG=false) and timed as its role against the signed-in accessibility
# statement, interleaved; queries are counted at both sizes. BENCH_ARGS="--children 5000" is a
# quicker run, --rebuild remakes the data, --check exits 1 if a page is over 3x the floor.
BENCH_PAGES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework_bench_pages
bench-pages: install
	BENCH_DATABASE_URL=$(BENCH_PAGES_DATABASE_URL) $(PY) scripts/bench_pages.py $(BENCH_ARGS)

# The returns benchmark: Leeds with 10,000 children (3,000 in the CIN census year 2025-26, 800 looked
# after), made with bulk_create in BENCH_RETURNS_DATABASE_URL (created if missing) and kept; then
# the CIN census and the SSDA903 derived, written and validated, each step's time, queries and
# memory. BENCH_ARGS="--children 2000" is a quicker run; BENCH_ARGS=--rebuild remakes the data.
BENCH_RETURNS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework_bench_returns
bench-returns: install
	DATABASE_URL=$(BENCH_RETURNS_DATABASE_URL) $(PY) scripts/ensure_database.py
	BENCH_DATABASE_URL=$(BENCH_RETURNS_DATABASE_URL) $(PY) scripts/bench_returns.py $(BENCH_ARGS)
