# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := phongtrao.settings

.PHONY: run test install messages makemessages lint format clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

# Catalogues are checked in as .po; Babel compiles them without GNU gettext.
messages: install
	for po in $$(find phongtrao -name django.po); do $(BIN)/pybabel -q compile --use-fuzzy -i $$po -o $${po%.po}.mo; done

# Extract new strings into each app's catalogue and the project's (templates/, settings, demo).
APPS := $(patsubst phongtrao/%/apps.py,%,$(wildcard phongtrao/*/apps.py))
makemessages: install
	for app in $(APPS); do (cd phongtrao/$$app && mkdir -p locale && DJANGO_SETTINGS_MODULE=phongtrao.settings_makemessages ../../$(BIN)/django-admin makemessages -l vi -l en); done
	cd phongtrao && DJANGO_SETTINGS_MODULE=phongtrao.settings ../$(BIN)/django-admin makemessages -l vi -l en $(foreach app,$(APPS),-i $(app)) -i tests

run: messages
	DEBUG=1 $(BIN)/phongtrao migrate --noinput
	DEBUG=1 $(BIN)/phongtrao units load
	DEBUG=1 $(BIN)/phongtrao demo
	@echo "Phong Trào: http://127.0.0.1:8000 (Ctrl+C to stop)"
	DEBUG=1 PHONGTRAO_DEMO=1 $(BIN)/phongtrao runserver --noreload 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One test worker per core (pytest-xdist), each on its own test database; TEST_WORKERS=0 runs
# everything in one process (for a debugger, or `PYTEST_ARGS="-k name"` on a single test).
# The slowest tests are listed at the end, so that one which became slow is seen.
TEST_WORKERS ?= auto
# lint-imports: each app imports only from the floors below it (pyproject.toml, docs/development.md).
test: messages lint
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
