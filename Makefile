# Charter: API-first services in Go. `make help` lists the targets.

GO       ?= go
# One spec per service; the components they share live in api/shared/,
# which the wildcard leaves out, and are generated once into gen/shared.
SPECS    := $(wildcard api/*.yaml)
SHARED   := api/shared/components.yaml
SERVICES := $(basename $(notdir $(SPECS)))
# One AsyncAPI event contract per publishing service; api/events/shared/
# holds what they share (the CloudEvents envelope).
EVENTS   := $(wildcard api/events/*.yaml)
BASE     ?= main
# make run: more flags for charterd serve, such as RUN_ARGS="--services materials".
RUN_ARGS ?=
# make bench: ten runs of each benchmark give the ratios a 95% interval. The
# runs are rounds of the whole set, one after the other, so that the two
# sides of a ratio are measured at the same moments of a machine whose
# speed drifts by 10% or more in a minute, not the one after the other;
# benchratio pairs each round's two runs.
BENCH    ?= .
BENCHTIME ?= 300ms
COUNT    ?= 10
# The least share of bare throughput the full stack should keep, per store.
BENCH_TARGETS ?= memory=70 sqlite=85

# The events benchmarks run a fixed number of events per op and report
# their own figures (events/s, latency percentiles, drain time): once.
EVENTS_PKG := ./services/platform/events
# The Go SDK: a module of its own under gen/sdk/go, one package per
# service and the shared components once, client and models only.
SDK_GO   := gen/sdk/go
# vacuum lints the specs: a module of its own under tools/vacuum, so that
# its dependencies stay out of the services' module graph.
VACUUM   := $(GO) -C tools/vacuum tool vacuum
# The lowest severity of a finding that fails make lint-spec.
LINT_FAIL ?= warn

.PHONY: help run test test-short test-nats bench generate generate-sdk-go check-generated vet lint-spec check fmt breaking release-spec

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# make run builds the binary, then runs it, rather than go run, which
# compiles in silence: go build -v names each package it compiles, and a
# count every 50 says that a cold build goes on without listing them all.
# Other lines (downloads, errors) pass through; the last line carries go
# build's status through the pipe.
run: ## Start every service (materials on :8080, quotes on :8081) with embedded SQLite and demo data.
	@echo "make run: building bin/charterd. The first build downloads the Go modules and compiles some 500 packages,"
	@echo "          which takes minutes on a small machine; later builds take seconds."
	@{ $(GO) build -v -o bin/charterd ./services/cmd/charterd 2>&1; echo "go build exit $$?"; } | \
		awk '/^go build exit [0-9]+$$/ { if (n >= 50) printf "make run: compiled %d packages\n", n; exit $$4 } \
			/^[A-Za-z0-9._~\/-]+$$/ { if (++n % 50 == 0) printf "make run: compiled %d packages...\n", n; fflush(); next } \
			{ print; fflush() }'
	@echo "make run: starting every service in development mode (CHARTER_MATERIALS_ADDR and CHARTER_QUOTES_ADDR"
	@echo "          change the ports; Ctrl-C stops them)."
	@exec ./bin/charterd serve --dev $(RUN_ARGS)

test: ## Run every test with the race detector (PostgreSQL tests need its binaries).
	$(GO) test -race -count=1 ./...

test-nats: ## Run the events tests against a three-node NATS cluster started apart (.ci/nats-cluster).
	.ci/nats-cluster -race

test-short: ## Run the tests without the race detector.
	$(GO) test -count=1 ./...

bench: ## Run the benchmarks; print, per bare/full pair, the share of bare throughput full keeps, then the events figures.
	@for round in $$(seq $(COUNT)); do \
		$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count 1 $$($(GO) list ./... | grep -v '/services/platform/events$$') 2>&1 || exit 1; \
	done | $(GO) run ./tools/cmd/benchratio $(foreach t,$(BENCH_TARGETS),-target $(t))
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchtime 1x -count 1 $(EVENTS_PKG)

generate: generate-sdk-go ## Regenerate gen/ from the specs in api/ and the event contracts in api/events/.
	@mkdir -p gen/shared && \
		$(GO) tool oapi-codegen -config gen/shared/oapi-codegen.yaml -o gen/shared/shared.gen.go $(SHARED)
	@for s in $(SERVICES); do \
		mkdir -p gen/$$s && \
		$(GO) tool oapi-codegen -config gen/oapi-codegen.yaml -package $$s -o gen/$$s/$$s.gen.go api/$$s.yaml || exit 1; \
	done
	@rm -rf gen/events && $(GO) run ./tools/cmd/eventgen -out gen/events $(EVENTS)
	@# The TypeScript and Python SDKs (skipped, saying why, without node or python3).
	@GO=$(GO) tools/sdk/generate $(SERVICES)

generate-sdk-go: ## Regenerate the Go SDK (gen/sdk/go) from the specs in api/.
	@mkdir -p $(SDK_GO)/shared && \
		$(GO) tool oapi-codegen -config $(SDK_GO)/shared/oapi-codegen.yaml -o $(SDK_GO)/shared/shared.gen.go $(SHARED)
	@for s in $(SERVICES); do \
		mkdir -p $(SDK_GO)/$$s && \
		$(GO) tool oapi-codegen -config $(SDK_GO)/oapi-codegen.yaml -package $$s -o $(SDK_GO)/$$s/$$s.gen.go api/$$s.yaml || exit 1; \
	done

check-generated: generate ## Fail when gen/ differs from what the specs generate.
	@git diff --exit-code --stat -- gen/ || (echo "gen/ is stale: run make generate and commit the result" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen/)" || (git status --porcelain -- gen/; echo "gen/ has files that are not committed" >&2; exit 1)

vet: ## Run go vet and check formatting.
	$(GO) vet ./...
	@# The modules of their own: the Go SDK and its scenarios.
	$(GO) -C $(SDK_GO) vet ./...
	$(GO) -C tools/sdktest/go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt would change the files above" >&2; exit 1)

lint-spec: ## Lint every spec in api/ with vacuum against api/.vacuum.yaml (what makes good SDKs).
	@for s in $(SPECS); do \
		$(VACUUM) lint --ruleset $(CURDIR)/api/.vacuum.yaml --functions $(CURDIR)/tools/vacuum/functions \
			--details --no-banner --no-style --no-clip --no-update-check --fail-severity $(LINT_FAIL) $(CURDIR)/$$s || exit 1; \
	done

check: vet lint-spec check-generated ## Vet and format, lint the specs, check that gen/ is fresh.

fmt: ## Format the Go code.
	gofmt -w $$(git ls-files '*.go')

# breaking builds the command and runs it, because go run turns every
# non-zero exit into 1: make then reports the gate's own code, "Error 1"
# for breaking changes and "Error 2" when the gate could not run (make
# itself exits 2 on either; scripts that branch on the code run .ci/breaking).
breaking: ## Compare every spec in api/ at git ref BASE (default main) with the working tree.
	@bin=$$(mktemp -d) && trap 'rm -rf "$$bin"' EXIT && \
		$(GO) build -o "$$bin/charter" ./tools/cmd/charter && \
		"$$bin/charter" diff --base $(BASE) --api api

release-spec: ## Record the specs in api/ and api/events/ as released: the baseline .ci/breaking compares with.
	@mkdir -p api/released
	@# The SDKs' release: gen/sdk/CHANGELOG.md and the Go SDK's version.
	@GO=$(GO) tools/release/sdk-changelog
	@# The released specs' $$refs into shared/ must resolve to the shared
	@# components as they were released, not as they are now.
	@rm -rf api/released/shared && cp -R api/shared api/released/shared && echo "released api/shared"
	@for s in $(SPECS); do cp $$s api/released/ && echo "released $$s ($$(grep -m1 '^  version:' $$s | awk '{print $$2}'))"; done
	@# The event contracts, with their shared envelope; their $$refs to
	@# ../<service>.yaml resolve to the released HTTP specs beside them.
	@rm -rf api/released/events && mkdir -p api/released/events && cp -R api/events/. api/released/events/
	@for s in $(EVENTS); do echo "released $$s ($$(grep -m1 '^  version:' $$s | awk '{print $$2}'))"; done
