# The two commands a new user needs: `make demo` and `make test`.
# Both create .venv and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv demo test deploy synth clean bench

venv: $(STAMP)

$(STAMP): requirements.txt requirements.lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules/.installed

demo: venv
	$(VENV)/bin/mlops demo

# The tests need the npm packages too: the embedded cloud's IAM check runs a Node policy simulator.
test: venv node_modules/.installed
	$(PY) -m pytest

synth: venv node_modules/.installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH npx cdk synth

deploy: venv node_modules/.installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH npx cdk deploy

bench: venv
	$(PY) bench/demo_walltime.py

clean:
	rm -rf $(VENV) cdk.out node_modules .build
