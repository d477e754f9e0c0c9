# CityPulse — the two README commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
BUN_VERSION := 1.4.4
NODE_VERSION := 22.23.3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Reflex must use the bun/node we install from the npm registry (it cannot download its own).
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format test-unit test-integration test-e2e test-security migrate seed deps dev-deps tools browser clean
.PHONY: test-prod prod-deps backup restore bench bench-paint bench-finder bench-notifications bench-trips bench-search bench-data bench-feed bench-feed-scroll e2e test-e2e-external

run: deps tools  ## Set up and serve the app on http://127.0.0.1:3000, with its job worker
	$(BIN)/python -m citypulse.cli serve

test: dev-deps tools browser lint test-unit test-integration test-e2e test-e2e-external test-security test-prod  ## Set up and run every test tier

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-unit: dev-deps
	$(BIN)/python -m pytest tests/unit -q

test-integration: dev-deps
	$(BIN)/python -m pytest tests/integration -q

# The journeys, against the built-in harness (default) or any running deployment:
#   make e2e BASE_URL=https://staging.example MARKERS=smoke   (README "QA" section)
# A failed test leaves its Playwright trace, a screenshot and a video under test-results/,
# and every run writes test-results/e2e-report.html. Each tier keeps its own folder under
# test-results/ (pytest-playwright empties its --output folder when it starts).
BASE_URL ?=
MARKERS ?=
E2E_RESULTS ?= test-results/e2e
E2E_EVIDENCE := --tracing retain-on-failure --screenshot only-on-failure --video retain-on-failure
e2e: dev-deps browser $(if $(BASE_URL),,tools)
	$(BIN)/python -m pytest tests/e2e -q $(E2E_EVIDENCE) --output $(E2E_RESULTS) \
		--html $(E2E_RESULTS)-report.html \
		$(if $(BASE_URL),--base-url "$(BASE_URL)") $(if $(MARKERS),-m "$(MARKERS)")

test-e2e: e2e

# The same journeys (smoke + journeys markers) against a plain `make run` started on a
# free port with its own database, QA mode and a fresh QA pool (tests/e2e/external_run.py).
test-e2e-external: dev-deps tools browser
	$(BIN)/python -m tests.e2e.external_run

# Attacks on the running app (crafted websocket events, HTTP headers): its own run, as it
# starts its own app on the shared .web/ like the e2e tier.
test-security: dev-deps tools browser
	$(BIN)/python -m pytest tests/security -q --screenshot only-on-failure --output test-results/security

# Production tier: compose/workflow/nginx checks, backup round trip, and the loopback
# production stack (real nginx + 2 backend workers + Redis, driven by Chromium).
test-prod: dev-deps tools browser prod-deps
	$(BIN)/python -m pytest tests/deploy -q --screenshot only-on-failure --output test-results/prod

# Debian packages the production tier runs for real (nginx lives in /usr/sbin).
prod-deps:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nginx; }
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q redis-server; }
	@command -v openssl >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q openssl; }

# Load test, not part of `make test` (docs/performance.md): simulated signed-in tabs over
# real websockets against the app started as by `make run`, on a bench database it creates
# and drops. WORKERS=2: the production layout (2 workers + Redis at 127.0.0.1:6379).
# More options: make bench BENCH_ARGS="--tabs 400 --rate 0.5" (python -m bench --help).
WORKERS ?= 1
bench: dev-deps tools
	$(BIN)/python -m bench --workers $(WORKERS) $(BENCH_ARGS)
	$(BIN)/python -m bench.trips --workers $(WORKERS)

# Live trip collaboration (issue 12): 20 members of one trip each editing at 1 action/s,
# p95 propagation to the other open tabs (target 300 ms; docs/performance.md).
# Also run by `make bench`. python -m bench.trips --help
bench-trips: dev-deps tools
	$(BIN)/python -m bench.trips --workers $(WORKERS) $(BENCH_ARGS)

# First paint, LCP, requests and KB per page on first visits, quiet and with 200 busy
# tabs (issue 15 item 11, docs/performance.md). python -m bench.paint --help
bench-paint: dev-deps tools browser
	$(BIN)/python -m bench.paint $(BENCH_ARGS)

# Buddy finder queries at 100k users in a database of their own (docs/performance.md);
# fails when a scenario's first-page p95 is over 50 ms. python -m bench.finder --help
bench-finder: dev-deps
	$(BIN)/python -m bench.finder $(BENCH_ARGS)

# Places search at 1 M recommendations / 100k users (issue 11, docs/performance.md): p95 of
# rare/common terms with filters, nearby; fails over 30 ms. python -m bench.search --help
bench-search: dev-deps
	$(BIN)/python -m bench.search $(BENCH_ARGS)

# Build the 1 M-recommendation search dataset once and keep it (citypulse_bench_search);
# then `make bench-search BENCH_ARGS=--reuse-database` measures it without rebuilding.
bench-data: dev-deps
	$(BIN)/python -m bench.search --keep-database --viewers 1 --rounds 1 $(BENCH_ARGS)

# The feed at 1 M recommendations (issue 11, docs/performance.md): For You (from a ranking
# stored ahead, and ranked live) / Buddies / Trending pages and the new-posts count on a
# copy of the bench-data dataset (built when missing with BENCH_ARGS=--build-missing);
# fails when a page is over 5 ms. python -m bench.feed --help
bench-feed: dev-deps
	$(BIN)/python -m bench.feed $(BENCH_ARGS)

# The feed through the websocket (issue 11): 200 signed-in tabs on /dashboard scrolling
# For You / Buddies / Trending (load_more; refresh at the end), against the app as
# `make run` starts it; target p95 <= 60 ms. On the 1 M dataset:
# make bench-feed-scroll BENCH_ARGS="--database citypulse_bench_feed" (python -m bench.feed_scroll --help)
bench-feed-scroll: dev-deps tools
	$(BIN)/python -m bench.feed_scroll $(BENCH_ARGS)

# Notification fan-out (issue 10): one event to 1,000 online recipients (one tab each) and
# to one user's 5 tabs, against the app as `make run` starts it (docs/performance.md).
# python -m bench.notifications --help
bench-notifications: dev-deps tools
	$(BIN)/python -m bench.notifications --workers $(WORKERS) $(BENCH_ARGS)

# Back up / restore this checkout's database (DATABASE_URL or the embedded server) and
# uploads; production uses the same scripts (deploy/README.md).
BACKUP_ROOT ?= .data/backups
UPLOADS_DIR ?= uploaded_files
backup: deps
	mkdir -p $(UPLOADS_DIR)
	DATABASE_URL="$$($(BIN)/python -m citypulse.cli db-url)" UPLOADS_DIR=$(UPLOADS_DIR) deploy/backup.sh $(BACKUP_ROOT)

restore: deps
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=$(BACKUP_ROOT)/<timestamp>"; exit 1; }
	DATABASE_URL="$$($(BIN)/python -m citypulse.cli db-url)" UPLOADS_DIR=$(UPLOADS_DIR) deploy/restore.sh --yes $(BACKUP)

migrate: deps
	$(BIN)/python -m citypulse.cli migrate

seed: deps
	$(BIN)/python -m citypulse.cli seed

deps: $(VENV)/.runtime-installed
dev-deps: $(VENV)/.dev-installed
tools: $(TOOLS)/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime-installed: requirements.txt $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

$(TOOLS)/.installed:
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund bun@$(BUN_VERSION) node@$(NODE_VERSION)
	touch $@

# Debian's Chromium: Playwright cannot download its own browser without internet. Its
# video recording (failed e2e tests) runs an ffmpeg it looks for in its own cache: Debian's.
browser: dev-deps
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
	@command -v ffmpeg >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q ffmpeg; }
	@$(BIN)/python -m tests.e2e.support.ffmpeg_link

clean:
	rm -rf .web $(TOOLS) $(VENV) .pytest_cache .ruff_cache
