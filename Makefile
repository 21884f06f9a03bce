# Relation Client: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# local work: DEBUG unless the environment says otherwise (production sets DEBUG=false)
export DEBUG ?= true

.PHONY: install run test lint format messages stop bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m relation_client.embedded run

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# French is the source language; the English catalogue is committed compiled too,
# so a machine without GNU gettext still speaks English.
messages: install
	$(BIN)/python manage.py makemessages --locale en --ignore '.venv/*' --ignore '.data/*'
	$(BIN)/python manage.py compilemessages --locale en --ignore '.venv/*'

stop:
	$(BIN)/python -m relation_client.embedded stop

clean: stop
	rm -rf .data staticfiles

# Reconquest indicators benchmark (never part of `make test`). It needs a PostgreSQL
# server: by default the machine's, on a dedicated database it creates (rc_bench); the
# embedded server works too: pass its URL, e.g. `make bench BENCH_DATABASE_URL=…`.
# BENCH_ARGS=--customers 1000000 loads the DESIGN's large data set.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rc_bench
BENCH_ARGS ?= --customers 100000
bench: install
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/bench_reconquest.py $(BENCH_ARGS)
