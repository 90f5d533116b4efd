# Minamata LMS: `make run` serves the app with demo content; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 5000
# Two workers: the suite is database-bound and the reference machines have two cores.
PYTEST_ARGS ?= -n 2 --dist loadfile
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export FLASK_APP := lms
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint translations-extract translations-update translations-compile clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e '.[test]'
	touch $@ $(STAMP)

translations-compile: $(STAMP)
	$(VENV)/bin/pybabel compile -f -d translations

translations-extract: $(STAMP)
	$(VENV)/bin/pybabel extract --ignore-dirs=".venv node_modules build" -F translations/babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o translations/messages.pot .

translations-update: translations-extract
	$(VENV)/bin/pybabel update -N -i translations/messages.pot -d translations

# The served address is the one written into mailed links and xAPI identifiers (unless LMS_BASE_URL is set).
run: BASE_URL_ENV = LMS_BASE_URL=$${LMS_BASE_URL:-http://127.0.0.1:$(PORT)}
run: $(STAMP) translations-compile
	$(VENV)/bin/minamata-lms init-db
	$(BASE_URL_ENV) $(VENV)/bin/minamata-lms seed-demo
	$(BASE_URL_ENV) LMS_SCHEDULER_ENABLED=$${LMS_SCHEDULER_ENABLED:-true} $(VENV)/bin/minamata-lms run --host 127.0.0.1 --port $(PORT)

test: $(TEST_STAMP) translations-compile
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) build *.egg-info
