# Bidra: `make run` serves the demo (PORT=8010 for another port), `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bidra-installed
APPS := organizations workflows meetings grants payments correspondence awards reporting iop compact portal insight archive accounts
PYTEST_ARGS ?=
# make run PORT=8010 serves on another port
PORT ?= 8000

.PHONY: setup run test test-postgres lint format messages translations migrate demo worker beat bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/python manage.py compile_translations

migrate: setup
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v0

demo: migrate
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py seed_demo

run: demo
	DEBUG=true SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Update the Swedish catalogues after changing user-facing text (needs gettext's xgettext/msgmerge).
messages: $(STAMP)
	for app in $(APPS); do (cd $$app && mkdir -p locale && ../$(BIN)/python ../manage.py makemessages -l sv --no-obsolete --no-location -v0); done
	$(BIN)/python manage.py makemessages -l sv --no-obsolete --no-location -v0 $(foreach a,$(APPS),--ignore=$(a)) --ignore=.venv --ignore=var --ignore=tests --ignore=bench

worker: setup
	$(BIN)/celery -A config worker -l info

beat: setup
	$(BIN)/celery -A config beat -l info

# make bench SCALE=100000 [BENCH_ARGS="--reuse --database-url postgres://…/name"]
bench: setup
	$(BIN)/python -m bench.run --scale $(or $(SCALE),10000) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
