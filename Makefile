# veche — everything a developer or CI needs is a target here. `make run` and `make test` are all a fresh clone needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
VECHE := $(BIN)/veche
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve test test-fast lint fmt typecheck messages messages-check bench check-deploy worker clean lock

help:
	@echo "make run      create the virtualenv, install, migrate, load demo data once, serve on http://$(HOST):$(PORT)"
	@echo "make test     the whole test suite (PostgreSQL when DATABASE_URL is set, browser tests when Chromium is there)"
	@echo "make lint | fmt | typecheck | messages | messages-check | bench | check-deploy | worker | lock"

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

var/.messages: $(BIN)/.installed $(wildcard locale/*/LC_MESSAGES/*.po)
	mkdir -p var
	$(VECHE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	touch $@

install: $(BIN)/.installed node_modules/.installed var/.messages

run: install
	$(VECHE) migrate --noinput -v 0
	test -f var/.demo-loaded || ($(VECHE) demo && touch var/.demo-loaded)
	$(VECHE) serve $(HOST):$(PORT)

serve: run

worker: install
	$(VECHE) worker

test: install
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(VECHE) makemigrations --check --dry-run -v 0

fmt: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(BIN)/.installed
	$(BIN)/mypy veche

messages: $(BIN)/.installed
	$(VECHE) makemessages --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=var -l cs -l pl -l en
	$(VECHE) compilemessages --ignore=.venv --ignore=node_modules -v 0

check-deploy: install
	VECHE_ENV=production SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-secret-0123456789abcdefghijklmnop \
		ALLOWED_HOSTS=veche.example.org $(VECHE) check --deploy --fail-level WARNING

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var/.messages var/static
