# The harness's commands. `make` alone lists them.
SHELL        := /bin/bash
.DEFAULT_GOAL := help
SWIFT        ?= swift
# The real studies: every config in Experiments/studies/, or `make figures STUDIES="a.yaml b.yaml"` (any paths).
STUDIES      ?= $(wildcard Experiments/studies/*.yaml)
RELEASE_BIN  := .build/release/landslide

.PHONY: help deps build test fuzz test-slurm figures figures-prep gallery ablations paper bench audit clean FORCE
FORCE:

help: ## List the targets
	@echo "landslide-susceptibility reproducibility harness"
	@echo
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

deps: ## Install system libraries with apt if pkg-config cannot find them (idempotent)
	@scripts/install-deps.sh

build: deps ## Build everything (debug)
	$(SWIFT) build

test: deps ## Build and run every test (installs what it needs first), then a short fuzz run of each reader
	$(SWIFT) build -c release
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10

# libFuzzer (swiftc -sanitize=fuzzer) on the readers of user files; a separate build folder, since every
# module is instrumented. Crashing inputs land in Fuzz/crashes/<target>/, which make test replays.
FUZZ_SECONDS ?= 600
fuzz: deps ## Fuzz the config, points-CSV, hyetograph and model readers, FUZZ_SECONDS each (default 600)
	$(SWIFT) build -c release --scratch-path .build/fuzz --product landslide-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
	scripts/fuzz.sh $(FUZZ_SECONDS)

gallery: deps ## One figure of every chart type (fixed specimen data) in figures/gallery/
	$(SWIFT) build -c release --product gallery
	.build/release/gallery --out figures/gallery

DATA_ROOT    ?= $(or $(LANDSLIDE_DATA_ROOT),../shared/data)
EXPERIMENTS  := model-comparison cov-sweep correlation-grid sampler-comparison network-comparison structure-sensitivity
HAVE_DATA    := $(shell [ -d "$(DATA_ROOT)" ] && echo yes)
# The twin always; the real studies when their data are there. The model comparison also runs on a
# mis-specified twin (its inventory favours valleys), which does not favour the PPM by construction.
# A study runs when the data root exists or when it names its own (a `data_root:` key).
READY_STUDIES := $(foreach s,$(STUDIES),$(if $(or $(HAVE_DATA),$(shell grep -qs '^data_root:' '$(s)' && echo yes)),$(s)))
study_name   = $(basename $(notdir $(1)))
FIGURE_STUDIES := twin $(foreach s,$(READY_STUDIES),$(call study_name,$(s)))
MISSPECIFIED := inventory-bias
RUNS         := $(foreach e,$(EXPERIMENTS),$(foreach s,$(FIGURE_STUDIES),figures/$(e)/$(s)/results.json)) \
                figures/model-comparison/twin-$(MISSPECIFIED)/results.json
study_config = $(if $(filter twin%,$(1)),figures/$(1)/study/twin.yaml,$(firstword $(foreach s,$(STUDIES),$(if $(filter $(1),$(call study_name,$(s))),$(s)))))
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
	@for study in $(READY_STUDIES); do \
	  $(RELEASE_BIN) info $$study --out figures/info/$$(basename $$study .yaml).json > /dev/null || exit 1; \
	done
	@if [ -z "$(HAVE_DATA)" ]; then \
	  echo "figures: no data root at $(DATA_ROOT) (set LANDSLIDE_DATA_ROOT); studies without their own data_root skipped, the twin stands in"; \
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

# The default ablations (issue G5): on the twin and each real study, (1) physics as a factorial of the
# storm and k_s (does runoff routing matter?), (2) every other setting one key at a time around Study A's
# values. Quick networks (8 channels, 4 epochs) keep the whole set within about an hour on 2 cores;
# `make ablations ABLATION_FLAGS=` runs Table 1's networks (about ten times longer).
ABLATION_REPLICATES ?= 4
ABLATION_FLAGS      ?= --quick
ABLATION_PHYSICS    := --vary rainfall.scale=0.5,1,2,4 --vary parameters.ks_m_per_s.scale=1,0.1
ABLATION_SETTINGS   := --design one-at-a-time --vary ppm.profile=a,b,c --vary sampler.pof_threshold=0.1,0.3,0.5,0.7,0.9 \
                       --vary morphology.open_kernel=1,3,5,7 --vary morphology.close_kernel=1,3,5,7 \
                       --vary cnn.pof_channel=false,true --vary cnn.patch=9,17,25 --vary negatives.ratio=1,2,5

ablations: deps ## The default ablations on the twin and the real studies into figures/ablations/ (about an hour on 2 cores), then make paper
	$(SWIFT) build -c release
	@started=$$(date +%s); mkdir -p figures/ablations; \
	[ -f figures/twin/study/twin.yaml ] || $(RELEASE_BIN) twin --out figures/twin/study --json figures/twin/twin.json > /dev/null || exit 1; \
	for entry in twin=figures/twin/study/twin.yaml $(foreach s,$(READY_STUDIES),$(call study_name,$(s))=$(s)); do \
	  study=$${entry%%=*}; config=$${entry#*=}; \
	  for run in physics settings; do \
	    if [ $$run = physics ]; then vary="$(ABLATION_PHYSICS)"; else vary="$(ABLATION_SETTINGS)"; fi; \
	    echo "== ablations: $$run on $$study ($$(date +%H:%M:%S))"; \
	    .build/release/ablate --study $$config \
	      $$vary --replicates $(ABLATION_REPLICATES) $(ABLATION_FLAGS) --out figures/ablations/$$study/$$run \
	      > figures/ablations/$$study-$$run.log 2>&1 \
	      || { echo "ablations: $$run on $$study failed; see figures/ablations/$$study-$$run.log" >&2; tail -3 figures/ablations/$$study-$$run.log >&2; exit 1; }; \
	    grep -a "^ablate: .* points" figures/ablations/$$study-$$run.log | head -1; \
	  done; \
	done; \
	echo "ablations: done in $$(( $$(date +%s) - started )) s; reports in figures/ablations/<study>/<run>/report.html"

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

TORCH_PYTHON ?= /usr/bin/python3
BENCH_TARGETS := figures/bench/targets

bench: deps $(PEER_PYTHON) ## Benchmarks beside peer tools in the same run (ratios); ends with the speed-target table
	@for p in terrain-bench form-bench classify-bench nn-bench chart-bench bench-table; do \
	  $(SWIFT) build -c release --product $$p || exit 1; done
	@rm -rf $(BENCH_TARGETS) && mkdir -p figures/bench $(BENCH_TARGETS)
	.build/release/terrain-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) --out figures/bench/terrain.json --targets $(BENCH_TARGETS)
	.build/release/terrain-bench --memory 16384 | tee figures/bench/terrain-memory.txt
	.build/release/form-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) --out figures/bench/form.json --targets $(BENCH_TARGETS) | tee figures/bench/form.txt
	.build/release/classify-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) --targets $(BENCH_TARGETS) | tee figures/bench/classify.txt
	@[ "$(TORCH_PYTHON)" != /usr/bin/python3 ] || /usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "bench: installing Debian's python3-torch (CPU) for the PyTorch peer"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >/dev/null 2>&1 \
	  || echo "bench: python3-torch unavailable; PyTorch columns are skipped" >&2; }
	.build/release/nn-bench $$( $(TORCH_PYTHON) -c 'import torch' 2>/dev/null && echo --torch-python $(TORCH_PYTHON) || echo --no-torch ) --targets $(BENCH_TARGETS) | tee figures/bench/nn.txt
	.build/release/chart-bench $$( [ -x $(PEER_PYTHON) ] && echo --peer-python $(PEER_PYTHON) ) | tee figures/bench/chart.txt
	@.build/release/bench-table $(BENCH_TARGETS) | tee figures/bench/targets.md

audit: ## Consistency audit of the studies' published numbers (prints the report)
	$(SWIFT) build -c release --product paper-audit
	@mkdir -p figures/paper-audit
	.build/release/paper-audit --papers $(DATA_ROOT)/../papers --out figures/paper-audit

clean: ## Remove build products, peer tools and generated figures
	rm -rf .build $(PEERS) figures/info figures/*/ paper/build
