# carebase: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The PostgreSQL server the second test run uses; Django creates test_carebase* in it.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/carebase
PYTEST_WORKERS ?= 2
PO := carebase/locale/pl/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

.PHONY: run setup test test-sqlite test-postgres lint format messages lock chromium dovecot postgres clean

run: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo
	PORT=$(PORT) bin/serve

setup: $(VENV)/.installed assets/vendor/.built $(MO)

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets/vendor/.built: node_modules/.installed
	mkdir -p assets/vendor
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/chart.js/dist/chart.umd.min.js \
	   node_modules/chart.js/dist/chart.umd.min.js.map assets/vendor/
	@touch $@

$(MO): $(PO)
	msgfmt --check -o $@ $<

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l pl --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench
	msgfmt --check -o $(MO) $(PO)

test: setup chromium dovecot lint test-sqlite test-postgres

test-sqlite: setup
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

test-postgres: setup postgres
	DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) -q

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy carebase
	$(PY) manage.py makemigrations --check --dry-run -v0

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

chromium:
	@bin/ensure-chromium

dovecot:
	@bin/ensure-dovecot

postgres:
	@bin/ensure-postgres

# Re-pin requirements.lock after changing pyproject.toml (needs network to PyPI).
lock:
	$(PYTHON) -m venv var/uv && var/uv/bin/pip install --quiet uv
	var/uv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules assets/vendor var/static $(MO)
