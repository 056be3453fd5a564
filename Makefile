# The one entry point for people and CI. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= demo-wachtwoord-2026
PYTEST_ARGS ?=
# Test processes (pytest-xdist; each gets its own test database).
PYTEST_WORKERS ?= 2

.PHONY: install run test lint format chromium worker beat demo-totp bench clean fuzz audit-deps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## make run: the embedded default (SQLite, eager tasks, demo data) on http://127.0.0.1:8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data --password "$(DEMO_PASSWORD)" --figures
	@echo ""
	@echo "Open http://127.0.0.1:8000 and log in as one of the users above (e.g. demo-vt)"
	@echo "with password $(DEMO_PASSWORD). The verification code: add the otpauth URI above to an"
	@echo "authenticator app, or run 'make demo-totp WHO=demo-vt' in another terminal."
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

demo-totp: install
	@$(PY) manage.py demo_totp $(WHO)

## make test: the whole suite against real PostgreSQL and Redis
test: export DJANGO_ENV = test
test: export DATABASE_URL ?= postgres://postgres:meldroute-dev@127.0.0.1:5432/meldroute
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: install chromium
	@$(PY) manage.py check_services --require-postgres
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m bandit -c pyproject.toml -r . -q --severity-level high
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Browser tests drive Debian's Chromium; Playwright's own browser download does not work here.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium and poppler-utils for the browser tests (apt-get)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils) >/dev/null \
		|| { echo "Could not install them: run 'apt-get install -y chromium poppler-utils' as root."; exit 1; }; }

## Celery against Redis (for a PostgreSQL setup; set DATABASE_URL like production)
worker: export REDIS_URL ?= redis://127.0.0.1:6379/0
worker: export CELERY_TASK_ALWAYS_EAGER = false
worker: install
	$(PY) -m celery -A config worker -l info

beat: export REDIS_URL ?= redis://127.0.0.1:6379/0
beat: export CELERY_TASK_ALWAYS_EAGER = false
beat: install
	$(PY) -m celery -A config beat -l info

clean:
	rm -rf $(VENV) var staticfiles test-artifacts

## make fuzz: schemathesis against /api/schema/ with every role, many examples, a random seed
## (`make test` runs the same test with a few examples and a fixed seed)
FUZZ_EXAMPLES ?= 200
fuzz: export DJANGO_ENV = test
fuzz: export DATABASE_URL ?= postgres://postgres:meldroute-dev@127.0.0.1:5432/meldroute
fuzz: export REDIS_URL ?= redis://127.0.0.1:6379/0
fuzz: export FUZZ_EXAMPLES := $(FUZZ_EXAMPLES)
fuzz: export FUZZ_RANDOM = 1
fuzz: export FUZZ_ROLES = all
fuzz: install
	@$(PY) manage.py check_services --require-postgres
	$(PY) -m pytest tests/security/test_api_fuzz.py $(PYTEST_ARGS)

## make audit-deps: known vulnerabilities in the installed packages (pip-audit --strict).
## --strict: a package that cannot be checked fails the run; without a reachable vulnerability
## database this target fails and says so, it never passes silently.
audit-deps: install
	@out=$$($(PY) -m pip_audit --strict --progress-spinner off 2>&1); rc=$$?; \
	echo "$$out"; \
	if [ $$rc -eq 0 ]; then echo "audit-deps: no known vulnerabilities in the installed packages."; exit 0; fi; \
	if echo "$$out" | grep -q -i -e "could not be audited" -e "ConnectionError" -e "resolve" -e "timed out"; then \
		echo ""; \
		echo "audit-deps: NOT CHECKED. pip-audit could not reach its vulnerability database from"; \
		echo "this machine (see above). This is not a pass: run 'make audit-deps' where PyPI's JSON"; \
		echo "API or OSV (api.osv.dev) can be reached, e.g. in CI. See docs/security.md."; \
	else \
		echo ""; echo "audit-deps: pip-audit reported vulnerable packages (see above)."; \
	fi; \
	exit 1

## make bench: the key pages at 1,000 / 10,000 / 100,000 signals (PostgreSQL): in process, then
## under gunicorn with concurrent users (locust); the annual PDF and CoMensha export of a
## region-year at each size, and of one region-year of 20,000 signals (its own database).
## Figures go to docs/performance.md and docs/reporting.md by hand.
BENCH_SIZES ?= 1000 10000 100000
BENCH_SEED ?= 1
BENCH_YEAR_SIGNALS ?= 20000
# A loaded database is reused when its size, seed and the code that made it match: the name
# carries a digest of synth's source, so changed synthetic data is loaded afresh.
BENCH_DATA := $(shell cat reporting/synth.py reporting/synth_followup.py | cksum | cut -d" " -f1)
bench: export DJANGO_ENV = test
bench: export REDIS_URL ?= redis://127.0.0.1:6379/11
bench: install
	@for size in $(BENCH_SIZES); do \
		db=meldroute_bench_$${size}_$(BENCH_SEED)_$(BENCH_DATA); \
		export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$db; \
		$(PY) manage.py check_services --require-postgres >/dev/null || exit 1; \
		count=$$($(PY) manage.py shell -c 'from signals.models import Signal; print(Signal.objects.count())' 2>/dev/null | tail -n 1); \
		if [ "$$count" = "$$size" ] && $(PY) manage.py migrate --noinput -v0; then \
			echo "reusing $$db"; \
		else \
			echo "loading $$size signals into $$db"; \
			$(PY) -m tests.bench.resetdb && \
			$(PY) manage.py migrate --noinput -v0 && \
			$(PY) manage.py synth --regions 4 --signals $$size --seed $(BENCH_SEED) || exit 1; \
		fi; \
		echo ""; echo "## $$size signals, in process"; \
		$(PY) -m tests.bench.run || exit 1; \
		echo ""; echo "## $$size signals, under load"; \
		$(PY) -m tests.bench.load --json var/bench/load-$$size.json || exit 1; \
		echo ""; echo "## $$size signals, yearly reports of one region-year"; \
		$(PY) -m tests.bench.reports || exit 1; \
	done; \
	year=$$(($$(date +%Y) - 1)); \
	db=meldroute_bench_year$(BENCH_YEAR_SIGNALS)_$${year}_$(BENCH_SEED)_$(BENCH_DATA); \
	export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$db; \
	count=$$($(PY) manage.py shell -c 'from signals.models import Signal; print(Signal.objects.count())' 2>/dev/null | tail -n 1); \
	if [ "$$count" = "$(BENCH_YEAR_SIGNALS)" ] && $(PY) manage.py migrate --noinput -v0; then \
		echo "reusing $$db"; \
	else \
		echo "loading $(BENCH_YEAR_SIGNALS) signals of $$year into $$db"; \
		$(PY) -m tests.bench.resetdb && \
		$(PY) manage.py migrate --noinput -v0 && \
		$(PY) manage.py synth --regions 1 --signals $(BENCH_YEAR_SIGNALS) --year $$year --seed $(BENCH_SEED) || exit 1; \
	fi; \
	echo ""; echo "## one region-year of $(BENCH_YEAR_SIGNALS) signals, yearly reports"; \
	$(PY) -m tests.bench.reports --year $$year || exit 1
