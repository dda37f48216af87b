# marsad: two commands on a fresh clone.
#   make run    installs into .venv and runs the main job on the bundled samples
#   make test   installs with the test extras and runs the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "marsad needs Python 3.11 or newer: set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/marsad demo

test: $(STAMP)
	@bash tools/ensure_postgres.sh
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) out build dist src/*.egg-info .pytest_cache .hypothesis
