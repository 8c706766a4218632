# The two commands of the README: `make run` and `make test`. Everything else supports them.
# The first interpreter that runs and is 3.11-3.13 (pyenv shims may exist for absent versions).
# uv never downloads one (pyproject.toml: python-downloads = "never"): it is passed explicitly.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null \
  && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# uv from PATH, else bootstrapped with pip into a small venv of its own (.uv/, ignored).
UV_VERSION := 0.13.9
UV ?= $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)

# Production is the default settings module (mvptracker/bootstrap.py); these targets run on a
# developer's machine and ask for local explicitly. scripts/test and bench choose their own.
export DJANGO_SETTINGS_MODULE ?= mvptracker.settings.local

.PHONY: run test install lint format messages lock bench reliability clean

.uv/bin/uv:
	@test -n "$(PYTHON)" || { echo "Python 3.11-3.13 is required"; exit 1; }
	@$(PYTHON) -m venv .uv || { \
	  echo "Could not create a virtualenv: install python3-venv (apt-get install python3-venv)"; exit 1; }
	.uv/bin/python -m pip install --quiet uv==$(UV_VERSION)

# .venv exactly as uv.lock says (the dev group included); the project itself is not installed.
$(STAMP): pyproject.toml uv.lock | $(UV)
	@test -n "$(PYTHON)" || { echo "Python 3.11-3.13 is required"; exit 1; }
	@test ! -L $(VENV) || { echo "$(VENV) is a symlink: remove it, uv manages a real one"; exit 1; }
	$(UV) sync --locked --python "$(PYTHON)"
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
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Regenerate the catalogs after changing strings, then translate and compile. makemessages is
# ops' override: it also reads the Jinja2 templates (templates/jinja2/) with Jinja2's extractor.
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

# Re-resolve uv.lock after changing dependencies in pyproject.toml (then `make install`).
lock: | $(UV)
	$(UV) lock

clean:
	rm -rf data/celery data/staticfiles bench/work
