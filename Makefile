# Two commands for a newcomer: `make run` and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CORPUS ?= seeds
OUTPUT ?= outputs
NBVAL_DIR := build/nbval

.PHONY: run test notebooks lab bench clean venv

venv: $(STAMP)

# (Re)create .venv when it is missing or its interpreter no longer works or is too old,
# then install the package with its dev extras whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "kursk-framing needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
		       "Run: make PYTHON=python3.11 ..." >&2; exit 1; }
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kursk run --corpus $(CORPUS) --output $(OUTPUT)

# Unit tests, the end-to-end run and nbval on the committed notebooks. nbval runs a copy of
# notebooks/ beside a link to seeds/, so the notebooks' default paths work and outputs/ is untouched.
test: $(STAMP)
	bash .ci/ensure-chromium
	rm -rf $(NBVAL_DIR) && mkdir -p $(NBVAL_DIR)
	cp -r notebooks $(NBVAL_DIR)/notebooks && ln -s ../../seeds $(NBVAL_DIR)/seeds
	$(BIN)/pytest tests $(NBVAL_DIR)/notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

# Re-execute the committed notebooks in place on the seeds (for intentional changes of results).
notebooks: $(STAMP)
	$(BIN)/python -c "from kursk_utils.pipeline import refresh_notebooks; refresh_notebooks()"

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.hostile

clean:
	rm -rf build $(OUTPUT)/data $(OUTPUT)/notebooks $(OUTPUT)/html $(OUTPUT)/figures $(OUTPUT)/run.json \
		$(OUTPUT)/cache $(OUTPUT)/benchmarks $(OUTPUT)/validation $(OUTPUT)/screenshots
