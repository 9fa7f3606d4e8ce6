# make demo — install into .venv, load the Bangkok consultation into SQLite and serve it
# make test — install with the test extras and run the suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export TARGET87_VAR ?= $(CURDIR)/var

.PHONY: demo serve test test-browser install install-test system messages bench clean

# Debian packages the product needs beside Python: Pango for the PDF report and fonts that cover Thai,
# Khmer, Lao, Vietnamese and Chinese names; poppler-utils reads the PDF back in the tests. Installed when
# missing and apt-get is at hand (as root); elsewhere, install them with the system's package manager.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk poppler-utils
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Please install: $$missing"; fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: system install
	$(BIN)/target87 migrate --no-input -v 0
	$(BIN)/target87 load-demo
	@echo
	@echo "  Target 8.7 is at http://$(HOST):$(PORT)/consultations/bangkok-2016/"
	@echo "  Back office:  http://$(HOST):$(PORT)/manage/  (user: convener, password: bangkok-8.7-demo)"
	@echo "  Rapporteur:   http://$(HOST):$(PORT)/manage/  (user: rapporteur, password: rapporteur-8.7-demo)"
	@echo
	$(MAKE) --no-print-directory serve

# the job worker runs beside the web server; both stop together
serve:
	@$(BIN)/target87 run_huey --quiet & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/target87 runserver $(HOST):$(PORT)

test: system install-test
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: system install-test
	$(BIN)/python -m pytest tests/browser -m browser $(PYTEST_ARGS)

messages: install
	cd src/target87 && ../../$(BIN)/target87 makemessages -l fr -l es --no-obsolete --ignore "engines/*/test*" && ../../$(BIN)/target87 compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
