# subsidyflow — `make` lists the targets. Every target is a thin wrapper over go or a script,
# so what it runs can be read here and run by hand.

.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

# Go from the official tarball lives in /usr/local/go; fresh CI machines often lack it on PATH.
export PATH := $(PATH):/usr/local/go/bin

# The PostgreSQL server the app (and each test's own database) lives on. Override from the
# environment: DATABASE_URL=postgres://... make dev
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/subsidyflow?sslmode=disable
# The Temporal cluster for the production commands (api, worker); dev embeds its own.
# `make cluster` runs one and writes, under CLUSTER_DIR, the address, mTLS files and
# DECISION_KEY that `make migrate`, `make api` and `make worker` then read.
TEMPORAL_ADDRESS ?= 127.0.0.1:7233
CLUSTER_DIR ?= .data/cluster
export CLUSTER_DIR
# with_cluster_env ROLE: the settings `make cluster` wrote for that role, when it ran;
# variables set in the environment win.
with_cluster_env = if [[ -f $(CLUSTER_DIR)/$(1).env ]]; then while IFS='=' read -r k v; do [[ -n "$${!k:-}" ]] || export "$$k=$$v"; done < $(CLUSTER_DIR)/$(1).env; fi; export TEMPORAL_ADDRESS=$${TEMPORAL_ADDRESS:-$(TEMPORAL_ADDRESS)};

BIN := bin/subsidyflow
# Two packages at a time: the Temporal server is heavy to link and the machines have few cores.
GO_TEST_FLAGS ?= -count=1 -timeout 45m -p 2
# Narrow a run with e.g. `make test PKGS=./devtemporal/...`.
PKGS ?= ./...

.PHONY: help
help: ## list the targets
	@echo "usage: make <target>"
	@echo
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo
	@echo "DATABASE_URL=$(DATABASE_URL)"

# `dev` needs the embedded Temporal server, which production builds leave out (build tag).
DEV_TAGS := -tags devserver

.PHONY: dev
dev: ensure-postgres ## run everything locally: embedded Temporal (.data/), worker, API on :8080, Temporal UI on :8233, metrics on :9090
	@echo "building subsidyflow with the embedded Temporal server: a first build on a fresh machine compiles the whole server (10-27 minutes on 2 cores, silent while it runs); later builds take seconds"
	go build $(DEV_TAGS) -o bin/subsidyflow-dev ./cmd/subsidyflow
	bin/subsidyflow-dev dev

# Linters pinned to versions the module proxy serves; `go run pkg@version` fetches them once.
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

.PHONY: test
test: ensure-postgres ## gofmt check, go vet, staticcheck, workflowcheck, then every test (PostgreSQL started if missing)
	@scripts/ensure-compose.sh
	@scripts/ensure-chromium.sh
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*')); \
	if [[ -n "$$unformatted" ]]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet $(PKGS)
	go run $(STATICCHECK) $(PKGS)
	go run $(WORKFLOWCHECK) ./workflows/...
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; status=0; \
	go test $(GO_TEST_FLAGS) $(PKGS) 2>&1 | tee "$$log" || status=$$?; \
	echo; echo "== go test summary"; \
	echo "  passed:   $$(grep -c '^ok' "$$log" || true) packages"; \
	echo "  failed:   $$(grep -cE '^FAIL[[:space:]]' "$$log" || true) packages"; \
	echo "  no tests: $$(grep -c 'no test files' "$$log" || true) packages"; \
	grep -E '^(FAIL[[:space:]]|--- FAIL|panic:)' "$$log" | sed 's/^/  /' || true; \
	exit $$status

.PHONY: bench
bench: ensure-postgres ## benchmarks: freight rules, ledger reservations, audit appends, claims through the whole stack
	go test -run '^$$' -bench . -benchtime 2s ./freight ./store
	go test -run '^$$' -bench . -benchtime 200x ./e2e

.PHONY: lint
lint: ## gofmt check, go vet, staticcheck and Temporal's workflowcheck (determinism)
	@unformatted=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*')); \
	if [[ -n "$$unformatted" ]]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) ./...
	go run $(WORKFLOWCHECK) ./workflows/...

.PHONY: build
build: ## build bin/subsidyflow
	go build -o $(BIN) ./cmd/subsidyflow

.PHONY: cluster
cluster: ensure-postgres ## run an upstream Temporal server (PostgreSQL, 4 shards, mTLS) under CLUSTER_DIR; Ctrl-C stops it
	@echo "building the upstream Temporal server: the first build compiles it (about 7-25 minutes on 2 cores); later ones take seconds"
	go run ./cmd/subsidyflow-cluster

.PHONY: chaos
chaos: ensure-postgres ## on the cluster topology, file and decide claims while workers are SIGKILLed; full size: CHAOS_CLAIMS=500 CHAOS_KILLS=50 make chaos
	@echo "chaos: CHAOS_CLAIMS=$${CHAOS_CLAIMS:-40} CHAOS_KILLS=$${CHAOS_KILLS:-6} CHAOS_API_RESTARTS=$${CHAOS_API_RESTARTS:-2} (the first run builds the upstream server)"
	go test -count=1 -timeout 180m -v -run '^TestChaosKillsWorkersAndNothingIsPaidTwice$$' ./cluster/

.PHONY: migrate
migrate: build ## migrate the database; with a cluster, register the namespace and write demo tokens
	$(BIN) migrate
	@if [[ -f $(CLUSTER_DIR)/worker.env ]]; then \
		$(call with_cluster_env,worker) $(BIN) namespace && \
		$(BIN) token demo; \
	fi

.PHONY: api
api: build ## run the HTTP API against the cluster (TEMPORAL_ADDRESS, or the one make cluster runs)
	@$(call with_cluster_env,api) exec $(BIN) api

.PHONY: worker
worker: build ## run a claim worker against the cluster; start as many as you like
	@$(call with_cluster_env,worker) exec $(BIN) worker

.PHONY: ensure-postgres
ensure-postgres: ## make sure PostgreSQL answers at DATABASE_URL (installs/starts it on Debian)
	@scripts/ensure-postgres.sh

.PHONY: clean
clean: ## remove bin/
	rm -rf bin/

.PHONY: reset-dev
reset-dev: ## forget the dev Temporal state (.data/); PostgreSQL data is untouched
	rm -rf .data/
