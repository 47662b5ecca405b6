# Two commands matter: `make demo` and `make test`. Both build .venv from scratch when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
EMULATOR_PORT ?= 12111
PORT ?= 5000

.PHONY: demo test install lock translations translations-update lint bench-search clean serve css

# exact versions with their hashes from the dev lock, then the project itself in editable mode
# (its build requirements, setuptools and Babel, come from the lock: no build isolation)
$(STAMP): requirements-dev.lock pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# after a change to the dependencies in pyproject.toml; `make lock UPGRADE=--upgrade` takes the
# newest versions the ranges allow. Both files are resolved for Python 3.11 on Linux x86_64; the
# runtime lock takes the dev lock's versions, so both install the same runtime.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" $(UPGRADE)
lock:
	test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/pip install --quiet uv; }
	$(LOCK) --extra dev -o requirements-dev.lock
	$(LOCK) --constraint requirements-dev.lock -o requirements.lock

translations: $(STAMP)
	$(BIN)/pybabel compile -f -d translations

translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/python -m marketplace.devtools.fill_english translations/en/LC_MESSAGES/messages.po

demo: $(STAMP) translations
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo seed
	@echo "Stripe emulator on http://127.0.0.1:$(EMULATOR_PORT); site on http://127.0.0.1:$(PORT); job worker beside it"
	$(BIN)/python -m marketplace.devtools.stripe_emulator --port $(EMULATOR_PORT) \
		--webhook-url http://127.0.0.1:$(PORT)/webhooks/stripe --webhook-secret whsec_emulator & \
	EMULATOR=$$!; \
	export STRIPE_API_BASE=http://127.0.0.1:$(EMULATOR_PORT) BASE_URL=http://127.0.0.1:$(PORT); \
	$(FLASK) jobs worker & \
	WORKER=$$!; trap "kill $$EMULATOR; kill -INT $$WORKER" EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: $(STAMP) translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Pico with only the modules the pages use, from static/vendor/pico/source/pico.scss;
# built in a scratch folder (no node_modules under static/), the output is committed
css:
	BUILD=$$(mktemp -d) && cp -r static/vendor/pico/source/. $$BUILD && \
	(cd $$BUILD && npm ci --no-audit --no-fund && npm run css) && \
	cp $$BUILD/build/pico.min.css static/vendor/pico/pico.min.css && rm -rf $$BUILD

bench-search: $(STAMP)
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) instance/marketplace.sqlite* build *.egg-info
