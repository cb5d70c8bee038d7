# Notula. `make help` lists every target.
PY := .venv/bin/python
SHELL := /bin/bash

.DEFAULT_GOAL := help

help: ## List every target
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

install: ## Install system packages (apt) and Python packages (.venv)
	@./scripts/install.sh

demo: ## Install, start Notula on the embedded default, create a key and an admin, print how to try it
	@./scripts/demo.sh

run: install ## Start web + workers + beat on the configured services (DATABASE_URL, REDIS_URL)
	@./scripts/run.sh

stop: ## Stop what `make run` / `make demo` started in the background (NOTULA_RUN_DETACH=1)
	@./scripts/stop.sh

test: install ## Install what is missing and run the whole test suite (PostgreSQL + Redis; ~25 min on 2 cores)
	@./scripts/test-services.sh
	@./scripts/test.sh $(PYTEST_ARGS)

test-fast: ## Run the tests that start no browser, load no model, start no whole stack and fuzz nothing (~2 min)
	@$(PY) -m pytest -m "not browser and not asr and not slow" -n 2 $(PYTEST_ARGS)

lint: ## ruff check, ruff format --check, and mypy on services, selectors, states and platforms (~20 s)
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/mypy

format: ## Format and fix imports with ruff
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

migrate: ## Apply database migrations
	@$(PY) manage.py migrate

migrations: ## Create migrations for model changes
	@$(PY) manage.py makemigrations

apikey: ## Create an API key: make apikey ORG=Acme
	@$(PY) manage.py createapikey --org "$(or $(ORG),Demo)"

clean: stop ## Stop Notula and remove ./var (the embedded database, logs and recordings)
	rm -rf var

.PHONY: help install demo run stop test test-fast lint format migrate migrations apikey clean
