"""Mutation testing of the modules that hold ruiraq's rules (``make mutants``).

mutmut 3 changes one thing at a time in a module (a ``<`` into ``<=``, a string, a return
value) and runs the tests: a mutant the tests do not notice ("survived") is a rule no test
holds. Each module is run on its own, against the test files that cover it (not the whole
suite: mutmut runs them once per mutant, and of those it runs only the tests that reach the
mutated function), in a scratch folder of its own under ``var/mutants/<module>/``, so runs do
not disturb each other or the work tree. The report of each module (``mutmut results`` and
the score) is written to ``var/mutants/<module>/report.txt``; docs/testing.md keeps the
scores and the survivors judged equivalent.

Not part of CI: a module takes minutes to hours on two cores (docs/testing.md).

    python -m ruiraq.devtools.mutants dates folding     # some modules
    python -m ruiraq.devtools.mutants                   # all of them
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = ROOT / "var" / "mutants"

#: Each rule module: (the file mutated, the test files that cover it).
MODULES = {
    # The fuzzy date: normalising, parsing in three languages, the one rendering.
    "dates": ("ruiraq/dates.py", ["tests/test_dates.py"]),
    # The search text folding: documents and queries in every script. Its own tests, on
    # literal text: every test that saves a record also folds, and running those (each
    # building a database) for every mutant would take hours without adding a check.
    "folding": ("ruiraq/search/folding.py", ["tests/test_search_folding.py"]),
    # The editorial base, its public() queryset, who may change a status and the publishing
    # rule (validate_publishable), with the pieces every record shares: slugs, fuzzy spans,
    # the status date, the record of changes. One module; the files that test those rules.
    "models": (
        "ruiraq/models.py",
        [
            "tests/test_editorial.py",
            "tests/test_editorial_rules.py",
            "tests/test_admin_workflow.py",
            "tests/test_site_publication.py",
            "tests/test_citations.py",
            "tests/test_evidence.py",
            "tests/test_status_as_of.py",
            "tests/test_slugs.py",
        ],
    ),
    # Cache freshness: the content version every cached page is keyed on, and what may be
    # cached. Its own tests only: every request in the suite passes the middleware, and
    # test_production.py (headers, healthz, settings) asserts nothing about caching.
    "cache": ("ruiraq/cache.py", ["tests/test_public_cache.py"]),
    # The list filters shared by the site and the API, and the one reading of "since".
    "filters": (
        "ruiraq/filters.py",
        ["tests/test_site_filters.py", "tests/test_api_filters.py", "tests/test_research_sync.py"],
    ),
}

#: Tests that check the migrations themselves: the mutants' runs build their databases from
#: the models (``--no-migrations``), so these cannot pass there (and test no rule module).
NEEDS_MIGRATIONS = [
    "tests/test_admin_workflow.py::test_the_migration_creates_both_groups_with_their_permissions",
]

#: The code, copied into mutmut's own folder (its mutants/) with one module mutated.
PACKAGES = ["ruiraq", "actors", "articles"]
#: What the tests need beside the code.
PROJECT = [*PACKAGES, "templates", "static", "locale", "manage.py"]


def _config(module, tests):
    """The scratch folder's pyproject.toml: the project's pytest settings, and mutmut's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = project["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    lines += [f"{key} = {_toml(value)}" for key, value in pytest_options.items()]
    lines += [
        "",
        "[tool.mutmut]",
        f"source_paths = {_toml(PACKAGES)}",
        f"only_mutate = {_toml([module])}",
        f"also_copy = {_toml(['tests', 'pyproject.toml', *PROJECT[len(PACKAGES) :]])}",
        # One process per test run (no xdist), quiet, no cache folder in the copy.
        #
        # Each mutant's run builds a fresh database: through every migration that took
        # ~14 s of the 22 s run of one database test here; from the models
        # (``--no-migrations``) under a second. The tests lose nothing: no migration leaves a
        # row they read (the data migrations backfill rows that an empty database lacks, and
        # the Editors and Reviewers groups the fixtures need are made by tests/conftest.py
        # with the migrations' own functions), and the schema is the models'.
        f"pytest_add_cli_args = {_toml(_pytest_args([]))}",
        f"pytest_add_cli_args_test_selection = {_toml(tests)}",
        # A run of a database test builds its database first: seconds mutmut's own timeout
        # (15 times the test's measured duration) does not allow for.
        "timeout_constant = 30.0",
    ]
    return "\n".join(lines) + "\n"


def _toml(value):
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def _pytest_args(tests):
    """The options of every test run here and in mutmut's: see ``_config``."""
    deselected = [arg for test in NEEDS_MIGRATIONS for arg in ("--deselect", test)]
    return ["-p", "no:cacheprovider", "-n", "0", "-q", "--no-migrations", *deselected, *tests]


def _env():
    env = {**os.environ, "DEBUG": "1", "CI": ""}
    env.pop("DATABASE_URL", None)  # SQLite: a fresh in-memory test database per run
    env.pop("DATABASE_REPLICA_URLS", None)
    return env


def _mutmut(folder, *args, **kwargs):
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(mutmut), *args], cwd=folder, env=_env(), check=False, **kwargs)


def run(name, max_children):
    module, tests = MODULES[name]
    folder = SCRATCH / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for entry in [*PROJECT, "tests"]:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, folder / entry, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / entry)
    (folder / "pyproject.toml").write_text(_config(module, tests), encoding="utf-8")
    mutation = _mutmut(folder, "run", "--max-children", str(max_children))
    if mutation.returncode != 0:
        # Failing clean tests or stats: no mutant was tested, so there is no score to report.
        score = f"{name} ({module}): mutmut failed (exit {mutation.returncode}); see its output"
        print(score)
        return score
    return report(name)


def _results(folder):
    """{mutant: status} as ``mutmut results`` gives them."""
    text = _mutmut(folder, "results", "--all", "true", capture_output=True, text=True).stdout
    return dict(re.findall(r"^\s*(\S+): (\w[\w ]*)$", text, flags=re.MULTILINE)), text


#: The recheck's helper (see ``recheck``): argv[1] is [mutants, pytest args, children, warm].
_RECHECK_HELPER = """
import json, os, resource, sys
import pytest
mutants, args, children, warm = json.loads(sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruiraq.settings")
import django
import django.test
if warm:
    django.setup()
VERDICT = {0: "survived", 1: "killed", 2: "killed", 3: "killed"}
running = {}
def reap():
    pid, status = os.wait()
    name = running.pop(pid)
    if os.WIFSIGNALED(status):
        verdict = "timeout"
    else:
        verdict = VERDICT.get(os.waitstatus_to_exitcode(status), "error")
    print(f"{name}: {verdict}", flush=True)
def start(name):
    pid = os.fork()
    if pid == 0:
        os.environ["MUTANT_UNDER_TEST"] = name
        # A mutant that loops for ever (a counter that no longer counts) is stopped.
        resource.setrlimit(resource.RLIMIT_CPU, (300, 301))
        sys.stdout = sys.stderr = open(os.devnull, "w")
        try:
            code = int(pytest.main(args))
        except BaseException:
            code = 3
        os._exit(code)
    return pid
# The control: with no mutant on (a name no function has), the tests must pass, or every
# mutant would look killed.
_, status = os.waitpid(start("none"), 0)
if not os.WIFEXITED(status) or os.waitstatus_to_exitcode(status) != 0:
    print("control: failed", flush=True)
    sys.exit(1)
for name in mutants:
    while len(running) >= children:
        reap()
    running[start(name)] = name
while running:
    reap()
"""


def recheck(name, max_children, tests=None, only=None, unchecked=False):
    """Run each survivor of the last run again, in a fresh process, against the tests as
    they are now (copied into the scratch folder first), and report.

    mutmut forks its workers from a process that has already imported the project and run
    the tests once, so a mutant in code that ran there is never switched on where it
    matters: code run at import (a filter's ``__init__`` called in a FilterSet's class body,
    a field built in a model's), or an object built once and copied afterwards (a filter's
    form field, which each FilterSet deep-copies). Such a mutant survives whatever the tests
    say; in a fresh process it is on from the first import. Also the way to see that tests
    written since the run kill their survivors, while the code is the run's: the tests are
    first run with no mutant on, and must pass (tests of code written since would fail on the
    run's copy, and every mutant would look killed; that happened once). A survivor already
    rechecked and killed is not run again unless ``only`` names it. With ``unchecked``, also
    the mutants a stopped run did not get to.
    """
    module, module_tests = MODULES[name]
    folder = SCRATCH / name
    for target in (folder / "tests", folder / "mutants" / "tests"):
        shutil.rmtree(target)
        shutil.copytree(ROOT / "tests", target, ignore=shutil.ignore_patterns("__pycache__"))
    statuses, _text = _results(folder)
    wanted = ("survived", "not checked") if unchecked else ("survived",)
    survivors = sorted(m for m, status in statuses.items() if status in wanted)
    if only:  # in the patterns' order: the first ones first
        survivors = list(dict.fromkeys(m for p in only for m in survivors if fnmatch.fnmatch(m, p)))
    else:
        killed = {m for m, status in _rechecked(folder).items() if status == "killed"}
        survivors = [m for m in survivors if m not in killed]
    print(f"{name}: rechecking {len(survivors)} mutants", flush=True)
    args = ["-x", *_pytest_args(tests or module_tests)]
    # One helper process, started in the mutated copy, imports what the tests need but the
    # mutated module (pytest and its plugins, Django; for a module Django's start-up does
    # not import, Django set up too) and forks a child per survivor: the child switches its
    # mutant on, then imports the module and runs the tests. Each run then costs the tests,
    # not the ~40 s of imports a fresh interpreter spent here on a loaded machine.
    warm = module != "ruiraq/models.py"
    helper = subprocess.Popen(
        [sys.executable, "-c", _RECHECK_HELPER, json.dumps([survivors, args, max_children, warm])],
        cwd=folder / "mutants",
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in helper.stdout:
        mutant, _, status = line.strip().rpartition(": ")
        if mutant == "control":
            helper.wait()
            raise SystemExit(
                f"{name}: the tests fail with no mutant on, in {folder.relative_to(ROOT)}: its "
                "copy of the code is the run's, and the tests are today's. A verdict now would "
                "count every mutant killed. Recheck from a checkout of the run's commit, or run "
                "the module again."
            )
        if mutant:
            # Kept as each verdict comes: a recheck stopped half-way keeps what it found.
            # Earlier rechecks of other survivors stand; a mutant rechecked again takes the
            # new verdict.
            _write_rechecked(folder, {**_rechecked(folder), mutant: status})
            print(line.strip(), flush=True)
    helper.wait()
    return report(name)


def _write_rechecked(folder, outcome):
    (folder / "recheck.txt").write_text(
        "".join(f"{mutant}: {status}\n" for mutant, status in sorted(outcome.items())),
        encoding="utf-8",
    )


def _rechecked(folder):
    path = folder / "recheck.txt"
    if not path.exists():
        return {}
    return dict(re.findall(r"^(\S+): (\w+)$", path.read_text(encoding="utf-8"), re.M))


def report(name):
    """The score of the last run, with the survivors rechecked since (``recheck.txt``)
    counted as the recheck found them; written to ``report.txt``."""
    module, _tests = MODULES[name]
    folder = SCRATCH / name
    statuses, results = _results(folder)
    rechecked = folder / "recheck.txt"
    again = _rechecked(folder)
    statuses.update({m: again[m] for m in statuses if m in again})
    total = len(statuses)
    killed = sum(status in ("killed", "timeout") for status in statuses.values())
    survivors = sorted(m for m, status in statuses.items() if status == "survived")
    others = Counter(
        status for status in statuses.values() if status not in ("killed", "timeout", "survived")
    )
    score = f"{name} ({module}): {killed} of {total} mutants killed"
    if total:
        score += f" ({100 * killed / total:.0f}%), {len(survivors)} survived"
    if others:
        score += "; " + ", ".join(f"{n} {status}" for status, n in sorted(others.items()))
    (folder / "report.txt").write_text(
        score
        + ("\n(survivors rechecked in fresh processes: recheck.txt)" if rechecked.exists() else "")
        + "\n\nSurvivors (`mutmut show NAME` in this folder shows each):\n"
        + "\n".join(survivors)
        + "\n\nmutmut's own results:\n"
        + results,
        encoding="utf-8",
    )
    print(score)
    print(f"report: {(folder / 'report.txt').relative_to(ROOT)}")
    return score


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", metavar="MODULE", help=f"any of {', '.join(MODULES)} (default: all)"
    )
    parser.add_argument(
        "--max-children", type=int, default=2, help="mutants tested at once (default 2)"
    )
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="run the last run's survivors again in fresh processes, against today's tests",
    )
    parser.add_argument(
        "--tests", nargs="+", help="with --recheck: these test files instead of the module's"
    )
    parser.add_argument(
        "--only", nargs="+", metavar="PATTERN", help="with --recheck: only these survivors"
    )
    parser.add_argument(
        "--unchecked",
        action="store_true",
        help="with --recheck: also the mutants a stopped run did not test",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}: choose from {', '.join(MODULES)}")
    if args.recheck:
        scores = [
            recheck(name, args.max_children, args.tests, args.only, args.unchecked)
            for name in args.modules or MODULES
        ]
    else:
        scores = [run(name, args.max_children) for name in args.modules or MODULES]
    print("\n".join(scores))


if __name__ == "__main__":
    main()
