# The harness's commands. `make` alone lists them.
SHELL        := /bin/bash
.DEFAULT_GOAL := help
SWIFT        ?= swift
STUDIES      := $(wildcard Experiments/studies/*.yaml)
RELEASE_BIN  := .build/release/landslide

.PHONY: help deps build test test-slurm figures figures-prep gallery paper bench audit clean FORCE
FORCE:

help: ## List the targets
	@echo "landslide-susceptibility reproducibility harness"
	@echo
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

deps: ## Install system libraries with apt if pkg-config cannot find them (idempotent)
	@scripts/install-deps.sh

build: deps ## Build everything (debug)
	$(SWIFT) build

test: deps ## Build and run every test (installs what it needs first)
	$(SWIFT) build -c release
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

gallery: deps ## One figure of every chart type (fixed specimen data) in figures/gallery/
	$(SWIFT) build -c release --product gallery
	.build/release/gallery --out figures/gallery

DATA_ROOT    ?= $(or $(LANDSLIDE_DATA_ROOT),../shared/data)
EXPERIMENTS  := model-comparison cov-sweep correlation-grid sampler-comparison network-comparison structure-sensitivity
HAVE_DATA    := $(shell [ -d "$(DATA_ROOT)" ] && echo yes)
# The twin always; the real studies when their data are there. The model comparison also runs on a
# mis-specified twin (its inventory favours valleys), which does not favour the PPM by construction.
FIGURE_STUDIES := twin $(if $(HAVE_DATA),$(basename $(notdir $(STUDIES))))
MISSPECIFIED := inventory-bias
RUNS         := $(foreach e,$(EXPERIMENTS),$(foreach s,$(FIGURE_STUDIES),figures/$(e)/$(s)/results.json)) \
                figures/model-comparison/twin-$(MISSPECIFIED)/results.json
study_config = $(if $(filter twin%,$(1)),figures/$(1)/study/twin.yaml,Experiments/studies/$(1).yaml)
# Replicates of every experiment (see README: about 40 minutes on 2 cores); `make figures REPLICATES=20` for more.
REPLICATES   ?= 3
# Where the replicates run: local (this machine's cores) or slurm (README, "Running on a cluster").
EXECUTOR     ?= local
ifeq ($(filter $(EXECUTOR),local slurm),)
$(error EXECUTOR=$(EXECUTOR): expected local or slurm)
endif

figures: figures-prep $(RUNS) figures/paper-audit/results.json ## Regenerate every figure and results file (make -j2 runs experiments in parallel; EXECUTOR=slurm submits them)
ifeq ($(EXECUTOR),slurm)
	@ids=$$(for r in $(RUNS); do sed -n 's/.*"aggregate_job" : "\([0-9]*\)".*/\1/p' $$(dirname $$r)/slurm/jobs.json; done | paste -sd:); \
	job=$$(sbatch --parsable --job-name=figures-summary --dependency=afterok:$$ids --kill-on-invalid-dep=yes \
	  --output=figures/slurm-summary.out --wrap ".build/release/paper-build --summary") || exit 1; \
	echo "figures: submitted; job $${job%%;*} prints the summary after the aggregation jobs $$ids (figures/slurm-summary.out); then make paper"
else
	@.build/release/paper-build --summary
	@echo "figures: done in $$(( $$(date +%s) - $$(cat figures/.started) )) s"
endif

figures-prep: deps gallery
	@date +%s > figures/.started
	$(SWIFT) build -c release
	@mkdir -p figures/info figures/twin
	@echo "== twin: the synthetic twin of Study A's basin (the embedded default study)"
	$(RELEASE_BIN) twin --out figures/twin/study --json figures/twin/twin.json
	@echo "== twin-$(MISSPECIFIED): the twin with a mis-specified inventory"
	$(RELEASE_BIN) twin --out figures/twin-$(MISSPECIFIED)/study --misspecify $(MISSPECIFIED) --json figures/twin-$(MISSPECIFIED)/twin.json > /dev/null
	$(RELEASE_BIN) info figures/twin/study/twin.yaml --out figures/info/twin.json > /dev/null
	@if [ -n "$(HAVE_DATA)" ]; then \
	  for study in $(STUDIES); do \
	    $(RELEASE_BIN) info $$study --out figures/info/$$(basename $$study .yaml).json > /dev/null || exit 1; \
	  done; \
	else \
	  echo "figures: no data root at $(DATA_ROOT) (set LANDSLIDE_DATA_ROOT); real studies skipped, the twin stands in"; \
	fi

# FORCE: `make figures` regenerates every result, also where an older one exists.
figures/%/results.json: FORCE | figures-prep
	@exp=$(word 2,$(subst /, ,$@)); study=$(word 3,$(subst /, ,$@)); \
	echo "== $$exp on $$study"; \
	.build/release/$$exp --study $(call study_config,$(word 3,$(subst /, ,$@))) --replicates $(REPLICATES) --executor $(EXECUTOR) \
	  --out figures/$$exp/$$study > figures/$$exp-$$study.log 2>&1 \
	  || { echo "figures: $$exp on $$study failed; see figures/$$exp-$$study.log" >&2; tail -3 figures/$$exp-$$study.log >&2; exit 1; }; \
	tail -1 figures/$$exp-$$study.log

figures/paper-audit/results.json: FORCE | figures-prep
	@mkdir -p figures/paper-audit
	@.build/release/paper-audit --papers $(DATA_ROOT)/../papers --out figures/paper-audit > figures/paper-audit/report.txt && head -1 figures/paper-audit/report.txt

test-slurm: deps ## Start a private one-node Slurm cluster (root; installs slurm-wlm, munge), run the Slurm tests on it, stop it
	$(SWIFT) build -c release
	$(SWIFT) build --build-tests
	@scripts/test-slurm.sh

paper: ## Build the write-up from the results of make figures: paper/build/paper.md and paper.html
	$(SWIFT) build -c release --product paper-build
	.build/release/paper-build

PEERS        := .venv-peers
PEER_PYTHON  := $(PEERS)/bin/python

$(PEER_PYTHON): Benchmarks/peers/requirements.txt
	@echo "bench: setting up the peer tools in $(PEERS) (PyPI: $$(grep -v '^#' Benchmarks/peers/requirements.txt | tr '\n' ' '))"
	@python3 -m venv $(PEERS) && $(PEERS)/bin/pip install -q -r Benchmarks/peers/requirements.txt \
	  || { echo "bench: peer tools failed to install; peers will be reported as unavailable" >&2; rm -rf $(PEERS); }
	@touch -c $(PEER_PYTHON)

bench: deps $(PEER_PYTHON) ## Benchmarks, side by side with peer tools in the same run (ratios)
	$(SWIFT) build -c release --product terrain-bench
	@mkdir -p figures/bench
	.build/release/terrain-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) --out figures/bench/terrain.json
	.build/release/terrain-bench --memory 16384 | tee figures/bench/terrain-memory.txt
	$(SWIFT) build -c release --product form-bench
	.build/release/form-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) --out figures/bench/form.json | tee figures/bench/form.txt
	$(SWIFT) build -c release --product classify-bench
	.build/release/classify-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) | tee figures/bench/classify.txt
	$(SWIFT) build -c release --product nn-bench
	@/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "bench: installing Debian's python3-torch (CPU) for the PyTorch peer"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >/dev/null 2>&1 \
	  || echo "bench: python3-torch unavailable; PyTorch columns are skipped" >&2; }
	.build/release/nn-bench $$( command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import torch' 2>/dev/null && echo --torch-python /usr/bin/python3 || echo --no-torch ) | tee figures/bench/nn.txt
	$(SWIFT) build -c release --product chart-bench
	.build/release/chart-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) | tee figures/bench/chart.txt

audit: ## Consistency audit of the studies' published numbers (prints the report)
	$(SWIFT) build -c release --product paper-audit
	@mkdir -p figures/paper-audit
	.build/release/paper-audit --papers $(DATA_ROOT)/../papers --out figures/paper-audit

clean: ## Remove build products, peer tools and generated figures
	rm -rf .build $(PEERS) figures/info figures/*/ paper/build
