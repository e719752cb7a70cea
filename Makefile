# Quick start: `make demo` (analyse the bundled clip into ./output) and `make test` (the whole test suite).
# Both create or reuse .venv/ and install exactly the pinned set in constraints.txt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
LOCK_HASH := $(shell cat constraints.txt constraints-smplx.txt pyproject.toml | sha1sum | cut -c1-12)
BASE := $(VENV)/.base-$(LOCK_HASH)
FULL := $(VENV)/.full-$(LOCK_HASH)

.PHONY: demo test test-python test-apps-script bench accuracy clean

$(BASE):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	$(PY) tools/fetch_pose_model.py models
	touch $@

# The optional SMPL-X extra (torch CPU build + smplx) is needed by its tests, not by the demo.
$(FULL): $(BASE)
	$(PY) -m pip install -q -c constraints.txt -c constraints-smplx.txt -e '.[dev,smplx]'
	touch $@

demo: $(BASE)
	$(PY) handler.py

test: test-python test-apps-script

test-python: $(FULL)
	$(PY) -m pytest -q -p no:cacheprovider

test-apps-script:
	node --test apps_script/tests/*.test.js

bench: $(FULL)
	$(PY) benchmarks/speed.py

accuracy: $(BASE)
	$(PY) benchmarks/accuracy.py

clean:
	rm -rf output .pytest_cache
