# Quick start:  `make run` (set up with the runtime dependencies only, forecast the Korea 2018 case)
#               `make test` (set up with the test extras too, run the tests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint setup setup-test clean

# the runtime dependencies only (what `standoff` needs to run)
$(BIN)/standoff: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# the test extras on top (pytest, ruff, the web stack, ...)
$(VENV)/.test-extras: $(BIN)/standoff
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(BIN)/standoff

setup-test: $(VENV)/.test-extras

run: setup
	$(BIN)/standoff forecast korea-2018

test: setup-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
