# Zonekeeper — two commands on a fresh machine: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PGSTART := pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start

.PHONY: demo test lint fuzz bench contract postgres clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,lint]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/zonekeeper demo

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(PGSTART) || true

test: $(STAMP) postgres
	$(BIN)/pytest -n 2 --dist loadgroup

# The importers' fuzz (tests/fuzz) with many more examples than the normal run's (Hypothesis
# profile `fuzz`, registered in tests/conftest.py; ZONEKEEPER_FUZZ_PROFILE picks it).
fuzz: $(STAMP)
	ZONEKEEPER_FUZZ_PROFILE=fuzz $(BIN)/pytest -n 2 tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

contract: $(STAMP)
	$(BIN)/python ../shared/contract/check.py $(abspath $(BIN))/zonekeeper

bench: $(STAMP) postgres
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
