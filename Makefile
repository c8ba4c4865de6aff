# Reputation Monitor — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
PGPORT ?= 55432
PG_SERVER := Host=127.0.0.1;Port=$(PGPORT);Username=postgres;Database=postgres
PG_APP := Host=127.0.0.1;Port=$(PGPORT);Username=postgres;Database=reputation_monitor
MONITOR := services/Monitor/bin/$(CONFIG)/net10.0/monitor.dll

.PHONY: run test build postgres postgres-stop chromium dev-broker check-infra classifier-report demo bench bench-smoke bench-micro bench-console bench-backtest console-screenshots clean help

help:
	@echo "make run    - build, start PostgreSQL (local, port $(PGPORT)) and the service with an embedded Kafka broker"
	@echo "make test   - build and run every test (starts PostgreSQL; Kafka: KAFKA_BOOTSTRAP_SERVERS, Docker, or embedded)"
	@echo "make check-infra - promtool tests of the alert rules, amtool checks of the Alertmanager routes, docker-compose.yml validation (part of make test)"
	@echo "make console-screenshots - the console's browser tests, saving a screenshot of each page to docs/console/"
	@echo "make classifier-report [MISSES=1] - the SMTP response classifier on the held-out corpus: per-class precision and recall, confusion matrix (docs/classifier.md)"
	@echo "make demo [SCENARIO=list-upload] - the service plus a simulated scenario, and the decision it provokes"
	@echo "make bench [BENCH_ARGS='--messages 100000 --runs 3'] - end to end on the embedded broker: ceilings, monitor on Streamiz and on the partition processor, naive Streamiz, latency (docs/benchmarks.md)"
	@echo "make bench-micro [JOB=short] - BenchmarkDotNet: parsing, classification, the core engine over the scenario mix (docs/benchmarks.md)"
	@echo "make bench-backtest - monitor backtest over 1,000,000 simulated records, the rules in force against bench/backtest/candidate.json (docs/benchmarks.md)"
	@echo "make dev-broker - run the embedded Kafka broker on its own (then: make run KAFKA_BOOTSTRAP_SERVERS=...)"

build:
	$(DOTNET) build Monitor.sln -c $(CONFIG) -nologo -clp:ErrorsOnly

postgres:
	@bash infra/scripts/postgres-up.sh >/dev/null

postgres-stop:
	@bash infra/scripts/postgres-down.sh

# Debian's Chromium for the console's browser tests (installed like PostgreSQL when missing).
chromium:
	@bash infra/scripts/chromium-up.sh >/dev/null

# A command signing key for this run when none is set: with KAFKA_BOOTSTRAP_SERVERS (e.g. make dev-broker) the service
# requires one; a deployment sets the same key on every instance.
run: build postgres
	Postgres__ConnectionString="$(PG_APP)" Postgres__ClearProjectionsWithEmbeddedBroker=true \
	Api__CommandSigningKey="$${Api__CommandSigningKey:-dev-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}" \
	$(DOTNET) $(MONITOR) run

demo: build postgres
	CONFIG=$(CONFIG) PGPORT=$(PGPORT) bash infra/scripts/demo.sh $(SCENARIO)

BENCH := bench/Monitor.EndToEnd/bin/$(CONFIG)/net10.0/monitor-bench.dll

bench: build
	$(DOTNET) $(BENCH) $(BENCH_ARGS)

# A tiny run that proves the harness and every pipeline work (completion, not timing); part of make test.
bench-smoke: build
	$(DOTNET) $(BENCH) --messages 1000 --runs 1 --latency-seconds 3 --warmup-messages 0 --deadline-seconds 120

# The console's account page for an account with 1,000 dimensions: server time per request (docs/benchmarks.md).
bench-console: build postgres
	$(DOTNET) $(BENCH) console --postgres "$(PG_SERVER)" $(BENCH_ARGS)

bench-micro:
	$(DOTNET) run -c Release --project bench/Monitor.Benchmarks -- --filter '*' $(if $(JOB),--job $(JOB),)

# 1,000,000 records (200 accounts, 5.6 minutes of a blocklisted-IP day's traffic), written once, then replayed twice by backtest.
BACKTEST_ARCHIVE ?= $(or $(TMPDIR),/tmp)/monitor-backtest-archive.jsonl
bench-backtest: build
	$(DOTNET) $(MONITOR) simulate --scenario blocklisted-ip --rate 3000 --duration 00:05:33.334 --accounts 200 --start 2026-11-01T00:00:00Z --output $(BACKTEST_ARCHIVE)
	$(DOTNET) $(MONITOR) backtest --rules bench/backtest/candidate.json --file $(BACKTEST_ARCHIVE) --out $(or $(TMPDIR),/tmp)/monitor-backtest-report

classifier-report: build
	$(DOTNET) $(MONITOR) classify --evaluate corpus/smtp-responses/heldout.tsv $(if $(MISSES),--misses,)
	@$(DOTNET) $(MONITOR) classify --evaluate corpus/smtp-responses/rules.tsv | head -1

dev-broker: build
	$(DOTNET) $(MONITOR) dev-broker

check-infra:
	@bash infra/scripts/check-infra.sh

test: build postgres chromium check-infra
	MONITOR_TEST_POSTGRES="$(PG_SERVER)" bash infra/scripts/run-tests.sh $(DOTNET) Monitor.sln -c $(CONFIG) --no-build
	$(MAKE) --no-print-directory bench-smoke

console-screenshots: build postgres chromium
	CONSOLE_SCREENSHOTS="$(CURDIR)/docs/console" MONITOR_TEST_POSTGRES="$(PG_SERVER)" \
	$(DOTNET) test tests/Monitor.Tests -c $(CONFIG) --no-build --filter "FullyQualifiedName~OperatorConsole"

clean:
	$(DOTNET) clean Monitor.sln -nologo -v q
