# Two commands for a newcomer: `make run` and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CORPUS ?= seeds
OUTPUT ?= outputs
NBVAL_DIR := build/nbval

LOCK := requirements.lock
# The lock pins every package (with its hashes) for CPython 3.11 on Linux, as tested.
LOCK_PYTHON := 3.11.7
# `make lock` keeps the pins already in the lock where pyproject.toml still allows them;
# `make lock LOCK_UPGRADE=--upgrade` moves every package to its newest allowed release.
LOCK_UPGRADE ?=
# jupyter refuses to start as root unless told that it is on purpose (containers, CI).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: run test notebooks lab bench clean venv lock model

venv: $(STAMP)

# (Re)create .venv when it is missing or its interpreter no longer works or is too old,
# then install exactly the locked packages and the project itself whenever either changes.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "kursk-framing needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
		       "Run: make PYTHON=python3.11 ..." >&2; exit 1; }
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Re-resolve pyproject.toml (runtime, dev and dask extras) into the hash-pinned lock with uv.
# Needs only a venv with uv, so a lock that no longer installs can still be refreshed.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra dask --generate-hashes \
		--python-version $(LOCK_PYTHON) --python-platform linux --custom-compile-command "make lock" \
		$(LOCK_UPGRADE) -o $(LOCK)

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

# Retrain the models shipped in kursk_utils/data/models, target sentiment and frames (deterministic:
# same bytes).
model: $(STAMP)
	$(BIN)/kursk train-sentiment
	$(BIN)/kursk train-frames

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.hostile

clean:
	rm -rf build $(OUTPUT)/data $(OUTPUT)/notebooks $(OUTPUT)/html $(OUTPUT)/figures $(OUTPUT)/run.json \
		$(OUTPUT)/cache $(OUTPUT)/benchmarks $(OUTPUT)/validation $(OUTPUT)/screenshots
