# DINO-SAE: `make test` and `make report` set up .venv on first use and are idempotent afterwards.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLAGS ?=
PRESET ?= tiny
REPORT_DIR ?=
# pip on these machines prints a warning per package for an unused local index; keep the log readable
PIPQUIET := grep -v 'is neither a file nor a directory'

.PHONY: setup test lint check-sync readme report runall clean-report help

help:
	@echo "make test     set up .venv (first use), check notebooks/package/README are in sync, run every notebook's tests"
	@echo "make report   set up .venv (first use), then train, evaluate and regenerate every table and figure ($(PRESET) preset)"
	@echo "make readme   regenerate README.md from nbs/index.ipynb"
	@echo "make lint     ruff on the exported package dino_sae/ (part of make test)"
	@echo "make runall   Run All of every run notebook with the smoke preset (headless), then check git status is unchanged"

$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev]" > $(VENV)/pip.log 2>&1 || { $(PIPQUIET) $(VENV)/pip.log; exit 1; }
	cd /tmp && $(abspath $(BIN))/python -c "import dino_sae, torch, timm, nbdev"
	touch $(STAMP)

setup: $(STAMP)

# (a) nbdev_export and nbdev_clean must not change anything, and README.md must match nbs/index.ipynb
check-sync: $(STAMP)
	@before="$$(git status --porcelain -- dino_sae nbs README.md; git diff -- dino_sae nbs README.md | sha1sum)"; \
	$(BIN)/nbdev_export; $(BIN)/nbdev_clean; $(MAKE) -s readme; \
	after="$$(git status --porcelain -- dino_sae nbs README.md; git diff -- dino_sae nbs README.md | sha1sum)"; \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_export / nbdev_clean / make readme changed tracked files: commit the notebooks and the package together"; \
	  git status --short -- dino_sae nbs README.md; exit 1; fi; \
	echo "notebooks, package and README are in sync"

readme: $(STAMP)
	@$(BIN)/jupyter nbconvert --to markdown --log-level WARN nbs/index.ipynb --output-dir . --output README
	@sed -i -e 's/[[:space:]]*$$//' -e 's#(\.\./figures/#(figures/#g' README.md

# (b) every notebook under nbdev_test, (c) closing line `N passed, N failed`
test: check-sync lint
	$(BIN)/python tools/nbtest.py --flags "$(FLAGS)"

# the linter on the exported package (rules in pyproject.toml); `make test` runs it before the notebooks
lint: $(STAMP)
	$(BIN)/ruff check dino_sae

# the whole report: train, evaluate, regenerate figures/ and figures/tables/ (runs go to runs/$(PRESET)/)
report: $(STAMP)
	$(BIN)/python -m dino_sae.report --preset $(PRESET) --figures-dir figures $(if $(REPORT_DIR),--out $(REPORT_DIR))
	$(MAKE) -s readme

# Run All of the run notebooks, as in JupyterLab, with the smoke preset (into runs/smoke/); git status must not change
runall: $(STAMP)
	$(BIN)/python tools/runall.py --preset smoke

clean-report:
	rm -rf runs/$(PRESET)
