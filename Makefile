# Relation Client: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# local work: DEBUG unless the environment says otherwise (production sets DEBUG=false)
export DEBUG ?= true

.PHONY: install run test lint format messages stop bench bench-reconquest bench-http bench-indicators bench-docs bench-mail bench-route load dataset clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m relation_client.embedded run

# the browser tests need a Chromium: tests/support/browser.py gets one or says how, in one line;
# the IMAP tests a Dovecot: tests/support/imap_server.py likewise
test: install
	@$(BIN)/python -m tests.support.browser
	@$(BIN)/python -m tests.support.imap_server
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

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
# The benchmarks write only into a database they (or `make dataset`) created: one that
# exists without their mark is refused (demo/dataset/createdb.py says how to mark it).
# Each writes its table, with the date, the machine and the load, to $(BENCH_OUT) as JSON;
# `make bench-docs BENCH_SET=medium` puts them into docs/benchmarks.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rc_bench
BENCH_ARGS ?= --customers 100000
BENCH_SET ?= medium
BENCH_OUT ?= .bench
bench: bench-reconquest bench-http bench-indicators

bench-reconquest: install
	mkdir -p $(BENCH_OUT)
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/bench_reconquest.py $(BENCH_ARGS) \
		--json $(BENCH_OUT)/reconquest-$(BENCH_SET).json

# HTTP benchmark and load test (never part of `make test`): gunicorn with uvicorn workers
# (the ASGI server of docker-compose.yml, DEBUG=false) and a Celery worker on the loopback,
# against realistic data: by default the medium set of `make dataset` in rc_medium
# (generated if that database is empty). A BENCH_DATABASE_URL given on the command line or
# in the environment serves all three (`make bench-http BENCH_DATABASE_URL=…` runs the
# HTTP benchmark alone). BENCH_HTTP_ARGS="--requests 500", LOAD_ARGS="--agents 50 --duration 120".
# `make load LOAD_ARGS="--ramp 10,25,50,100 --duration 60"` runs steps of agents against the
# same server and finds where the machine saturates. Both write $(BENCH_OUT) JSON:
# load-$(BENCH_SET).json for one step, saturation-$(BENCH_SET).json for a ramp.
ifeq ($(origin BENCH_DATABASE_URL),file)
BENCH_HTTP_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rc_medium
else
BENCH_HTTP_DATABASE_URL ?= $(BENCH_DATABASE_URL)
endif
BENCH_HTTP_ARGS ?=
LOAD_ARGS ?= --agents 50 --duration 120
bench-http: install
	mkdir -p $(BENCH_OUT)
	DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/bench_http.py $(BENCH_HTTP_ARGS) \
		--json $(BENCH_OUT)/http-$(BENCH_SET).json

# The indicator recomputes through a Celery worker against their hand-written floors
# (never part of `make test`), on the same generated set as bench-http (rc_medium unless
# BENCH_DATABASE_URL is given; it must be filled: `make dataset`). About a minute on the
# medium set; it leaves one simulated day in the database.
bench-indicators: install
	mkdir -p $(BENCH_OUT)
	DEBUG=true DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/bench_indicators.py \
		--json $(BENCH_OUT)/indicators-$(BENCH_SET).json

bench-docs: install
	$(BIN)/python tests/benchmarks/write_docs.py --set $(BENCH_SET) $(wildcard $(BENCH_OUT)/*-$(BENCH_SET).json)

LOAD_KIND = $(if $(findstring --ramp,$(LOAD_ARGS)),saturation,load)
load: install
	mkdir -p $(BENCH_OUT)
	DATABASE_URL=$(BENCH_HTTP_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/load_agents.py $(LOAD_ARGS) \
		--json $(BENCH_OUT)/$(LOAD_KIND)-$(BENCH_SET).json

# Inbound mail benchmark (never part of `make test`): N French messages delivered into a
# Dovecot of its own, polled over IMAP, stored and filed; messages/s and the poller's peak
# RSS. A dedicated database it creates (rc_bench_mail). BENCH_MAIL_ARGS="--messages 1000".
BENCH_MAIL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rc_bench_mail
BENCH_MAIL_ARGS ?= --messages 10000
bench-mail: install
	DEBUG=true DATABASE_URL=$(BENCH_MAIL_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/bench_mail_ingest.py $(BENCH_MAIL_ARGS)

# The phone system's routing question at a million customers (docs/telephony.md)
BENCH_ROUTE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rc_bench_route
BENCH_ROUTE_ARGS ?= --customers 1000000
bench-route: install
	DEBUG=true DATABASE_URL=$(BENCH_ROUTE_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python tests/benchmarks/bench_route.py $(BENCH_ROUTE_ARGS)

# A generated network for load tests (docs/dataset.md), on a dedicated database it creates
# and migrates: `make dataset SIZE=medium DATASET_DATABASE_URL=…`. SIZE=small|medium|large;
# DATASET_ARGS="--replace --with-indicators" reloads over a previous set, then recomputes.
SIZE ?= medium
DATASET_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rc_$(SIZE)
DATASET_ARGS ?=
dataset: install
	$(BIN)/python -m demo.dataset.createdb $(DATASET_DATABASE_URL)
	DEBUG=true DATABASE_URL=$(DATASET_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python manage.py migrate --noinput -v0
	DEBUG=true DATABASE_URL=$(DATASET_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/8} \
		$(BIN)/python manage.py generate_dataset --size $(SIZE) $(DATASET_ARGS)
