# The two commands of the README: `make run` and `make test`. Everything else supports them.
# The first interpreter that runs and is >= 3.11 (pyenv shims may exist for absent versions).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Production is the default settings module (mvptracker/bootstrap.py); these targets run on a
# developer's machine and ask for local explicitly. scripts/test and bench choose their own.
export DJANGO_SETTINGS_MODULE ?= mvptracker.settings.local

.PHONY: run test install lint format messages lock bench reliability clean

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtualenv: install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p data/celery/queue data/celery/processed data/celery/control
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Starting web, worker and scheduler at http://127.0.0.1:8000 (Ctrl-C stops all three)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start

test: install
	./scripts/test

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m djlint templates --lint
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Regenerate the catalogs after changing strings, then translate and compile.
messages: install
	$(PY) manage.py makemessages -l ko --no-location --ignore ".venv/*" --ignore "data/*"
	$(PY) manage.py makemessages -l ko -d djangojs --no-location --ignore ".venv/*" --ignore "data/*" --ignore "static/vendor/*"
	$(PY) manage.py compilemessages -l ko --ignore ".venv/*"

# Not part of `make test`: loads S and 10xS into a separate PostgreSQL database, serves the app
# with gunicorn and production settings, drives it with wrk; writes bench/results/<date>.{json,md}.
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run $(BENCH_ARGS)

# The reliability and security suite with full counts; writes docs/reliability.md and exits
# non-zero when any figure falls short. Its fast parts also run in `make test`.
reliability: install
	./scripts/reliability

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^mvptracker' > requirements/constraints.txt

clean:
	rm -rf data/celery data/staticfiles bench/work
