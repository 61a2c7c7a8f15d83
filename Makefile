# The harness's commands. `make` alone lists them.
SHELL        := /bin/bash
.DEFAULT_GOAL := help
SWIFT        ?= swift
STUDIES      := $(wildcard Experiments/studies/*.yaml)
RELEASE_BIN  := .build/release/landslide

.PHONY: help deps build test figures paper bench audit clean

help: ## List the targets
	@echo "landslide-susceptibility reproducibility harness"
	@echo
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

deps: ## Install system libraries with apt if pkg-config cannot find them (idempotent)
	@scripts/install-deps.sh

build: deps ## Build everything (debug)
	$(SWIFT) build

test: deps ## Build and run every test (installs what it needs first)
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

figures: deps ## Regenerate every figure and results file under figures/
	$(SWIFT) build -c release --product landslide
	@mkdir -p figures/info
	@for study in $(STUDIES); do \
	  name=$$(basename $$study .yaml); \
	  echo "== info: $$name"; \
	  $(RELEASE_BIN) info $$study --out figures/info/$$name.json || exit 1; \
	done
	@echo "figures: wrote $$(ls figures/info/*.json | wc -l) study reports to figures/info/"

paper: ## Build the literate write-up (arrives with issue F7)
	@echo "make paper: not available yet; the write-up arrives with issue F7 (#8)" >&2; exit 2

bench: ## Benchmarks side by side with peer tools (arrive with issues F2-F6)
	@echo "make bench: no benchmarks yet; they arrive with issues F2-F6 (#3-#7)" >&2; exit 2

audit: ## Consistency audit of the studies' published numbers (arrives with issue F7)
	@echo "make audit: not available yet; the audit arrives with issue F7 (#8)" >&2; exit 2

clean: ## Remove build products and generated figures
	rm -rf .build figures/info figures/*/ paper/build
