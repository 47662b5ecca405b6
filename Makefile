# Two commands matter: `make demo` and `make test`. Both build .venv from scratch when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
EMULATOR_PORT ?= 12111
PORT ?= 5000

.PHONY: demo test install translations translations-update lint bench-search clean serve css

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

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
	rm -rf $(VENV) instance/marketplace.sqlite*
