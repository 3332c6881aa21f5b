# The two commands a new user needs: `make demo` and `make test`.
# Both create .venv and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv demo test deploy synth clean bench checkov checkov-venv

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

# The tests need the npm packages too: the embedded cloud's IAM check runs a Node policy simulator;
# and checkov's virtualenv, which a test runs on the synthesized template.
test: venv node_modules/.installed checkov-venv
	$(PY) -m pytest

synth: venv node_modules/.installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH npx cdk synth

deploy: venv node_modules/.installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH npx cdk deploy

bench: venv
	$(PY) bench/demo_walltime.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) cdk.out node_modules .build
