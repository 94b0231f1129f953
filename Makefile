# ruiraq: `make run` serves the site locally with the seed dataset; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint serve backup restore loadtest smoke clean messages screenshots mutants

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Stamps re-run the install only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: install, migrate, load the seed dataset, create a local admin, serve on :8000
run: export DEBUG ?= 1
run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py ensure_local_admin --url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: install (with test tools) and run the whole suite; prints line coverage at the end
## (files fully covered left out; COVERAGE= turns it off)
test: export DEBUG ?= 1
# Two worker processes (pytest-xdist): the suite is CPU-bound and machines have two cores.
PYTEST_WORKERS ?= 2
COVERAGE ?= --cov --cov-report=term:skip-covered
test: $(VENV)/.dev
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(COVERAGE) $(PYTEST_ARGS)

## mutants: mutation testing of the rule modules (slow: minutes to hours a module; not in CI).
## MUTANTS="dates folding" for some; reports in var/mutants/<module>/report.txt
mutants: export DEBUG ?= 1
mutants: $(VENV)/.dev
	$(PY) -m ruiraq.devtools.mutants $(MUTANTS)

## serve: production: collect static files, migrate, run gunicorn (DEBUG off; SECRET_KEY,
## ALLOWED_HOSTS and DATABASE_URL from the environment; WEB_CONCURRENCY workers, default 3)
serve: $(VENV)/.runtime
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(VENV)/bin/gunicorn ruiraq.wsgi --bind $(HOST):$(PORT) \
		--workers $${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

## backup: write a backup of the configured database to var/backups/ (or BACKUP=path)
backup: $(VENV)/.runtime
	$(PY) manage.py backup $(if $(BACKUP),--output $(BACKUP))

## restore: BACKUP=path replaces the configured database's content with that backup
restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=path/to/backup" && exit 2)
	$(PY) manage.py restore $(BACKUP) --yes

## loadtest: wrk against gunicorn on 127.0.0.1 (cache cold and warm); LOADTEST_ARGS to tune
## (LOADTEST_ARGS=--cold-path: the long tail, cache off, 2,000 records, /healthz as the floor)
loadtest: export DEBUG ?= 1
loadtest: $(VENV)/.dev
	$(PY) manage.py loadtest $(LOADTEST_ARGS)

## smoke: the load test and benchmarks at a tiny scale on a scratch SQLite database, so that
## they never rot (CI runs it)
SMOKE_DB := $(CURDIR)/var/smoke.sqlite3
smoke: export DEBUG ?= 1
smoke: $(VENV)/.dev
	mkdir -p var && rm -f $(SMOKE_DB)
	DATABASE_URL=sqlite:///$(SMOKE_DB) $(PY) manage.py migrate --noinput --verbosity 0
	DATABASE_URL=sqlite:///$(SMOKE_DB) $(PY) manage.py load_seed
	DATABASE_URL=sqlite:///$(SMOKE_DB) $(PY) manage.py loadtest --duration 2 --connections 5 \
		--workers 2 --json var/smoke-loadtest.json --fail-on-errors
	DATABASE_URL=sqlite:///$(SMOKE_DB) $(PY) manage.py loadtest --cold-path --rotate 20 \
		--duration 1 --connections 5 --workers 2 --json var/smoke-coldpath.json --fail-on-errors
	DATABASE_URL=sqlite:///$(SMOKE_DB) $(PY) manage.py bench --iterations 3 --warmup 1 \
		--json var/smoke-bench.json

## screenshots: run the browser tests and keep their screenshots in docs/screenshots/ (the
## README's pictures); a plain test run writes them to test-artifacts/ instead
screenshots: export DEBUG ?= 1
screenshots: $(VENV)/.dev
	RUIRAQ_SCREENSHOTS=docs/screenshots $(PY) -m pytest -m browser -p no:cacheprovider

## messages: after changing an interface string, update the Russian and Arabic catalogues
## (locale/*/LC_MESSAGES/django.po; needs GNU gettext), translate what is new or fuzzy, then
## run it again: it also compiles the .mo files, which are committed like the .po files.
## The API stays in English: its modules are left out (as in tests/test_translations.py).
MESSAGES_IGNORE := .venv staticfiles test-artifacts tests var api.py api_urls.py rest serializers.py
messages: export DEBUG ?= 1
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l ru -l ar --add-location=file \
		$(addprefix --ignore=,$(MESSAGES_IGNORE))
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
