# GoLive: `make run` starts everything on the embedded defaults; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install run test test-fast lint format migrate seed bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

CSS := static/compiled/nhsuk.css

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

$(CSS): $(STAMP) static_src/scss/nhsuk.scss
	npm run --silent build:css

install: $(STAMP) $(CSS) ## Create .venv, install Python and npm packages, build the CSS

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

seed: migrate ## Load the demo data (safe to run twice)
	$(BIN)/python manage.py seed_demo

run: seed ## Set up and start web, Celery worker and beat on http://127.0.0.1:8000
	@echo ""
	@echo "GoLive is starting on http://127.0.0.1:8000"
	@echo "Demo sign-ins (password golive-demo-password):"
	@echo "  manager@riverside.example    practice manager, Riverside Surgery (live, read-only window)"
	@echo "  staff@riverside.example      practice staff, Riverside Surgery"
	@echo "  manager@hillview.example     practice manager, Hillview Medical Centre (in cutover)"
	@echo "  commissioner@north.example   commissioner, North ICB"
	@echo "  commissioner@south.example   commissioner, South ICB"
	@echo "  commissioner@rivermouth.example  place commissioner, one sub-ICB location of North ICB"
	@echo "  admin@golive.example         administrator"
	@echo ""
	$(BIN)/honcho start

test: install ## Run the whole suite (uses DATABASE_URL and REDIS_URL when set)
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=golive.settings.test
	$(BIN)/pytest

test-fast: install ## Run the suite without the browser and process tests
	$(BIN)/pytest -m "not browser and not integration"

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Benchmark pages against the floor, scale-out and reminders (PostgreSQL, redis-server, wrk)
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk from Debian (apt-get, as root)"; \
	  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
	  || echo "Could not install wrk: the bench falls back to its Python load client (it says so)"; }
	$(BIN)/python -m bench

clean: ## Remove local state (database, broker folders)
	rm -rf var/*
