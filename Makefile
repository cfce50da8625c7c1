# pingxiang-cf — the two commands: `make run` and `make test`.
# Everything is installed into .venv from the package registries; nothing else is needed
# for the embedded profile (SQLite, eager Celery, local files).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000
VENDOR := static/vendor
NPM    ?= npm

.PHONY: run test install install-dev assets migrate demo lint format services-test clean system-deps

# Debian packages WeasyPrint needs for Chinese PDFs (Pango, HarfBuzz subsetting —
# without it a CJK page takes seconds —, the Noto CJK fonts) and poppler-utils,
# which the tests use to read PDFs back. Installed with apt-get when missing.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils

## make run: venv + install + migrate + demo data + server on http://$(HOST):$(PORT)
run: install migrate demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: lint, Django checks, migrations check, the test suite (SQLite, eager Celery)
test: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not browser and not services" $(PYTEST_ARGS)

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: system-deps $(VENV)/.installed $(VENDOR)/.installed
install-dev: system-deps $(VENV)/.installed-dev $(VENDOR)/.installed

## make system-deps: the Debian packages above, installed if missing (needs root/sudo)
system-deps:
	@command -v dpkg >/dev/null || { echo "not Debian: install Pango, HarfBuzz, Noto CJK fonts, poppler-utils yourself"; exit 0; }; \
	missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  sudo_cmd=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$sudo_cmd apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -q $$missing; \
	fi

## make assets: front-end packages from the npm registry (package-lock.json), copied into
## static/vendor/ (gitignored) and served by the app itself: no CDN at run time.
$(VENDOR)/.installed: package.json package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/chartjs
	cp node_modules/bootstrap/dist/css/bootstrap.min.css \
	   node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/bootstrap/LICENSE $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE $(VENDOR)/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js \
	   node_modules/chart.js/dist/chart.umd.min.js.map \
	   node_modules/chart.js/LICENSE.md $(VENDOR)/chartjs/
	touch $@

assets: $(VENDOR)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: install
	$(PY) manage.py load_pingxiang_demo

lint: install-dev
	$(PY) -m ruff check .

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## make services-test: the suite again on PostgreSQL + Redis with a live Celery worker
## (DATABASE_URL, CELERY_BROKER_URL and CELERY_RESULT_BACKEND must be set; see .ci/run)
services-test: install-dev
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules $(VENDOR)
