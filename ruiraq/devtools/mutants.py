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
import os
import re
import shutil
import subprocess
import sys
import tomllib
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
    # rule (validate_publishable): one module.
    "models": (
        "ruiraq/models.py",
        [
            "tests/test_editorial.py",
            "tests/test_admin_workflow.py",
            "tests/test_site_publication.py",
            "tests/test_citations.py",
        ],
    ),
    # Cache freshness: the content version every cached page is keyed on.
    "cache": ("ruiraq/cache.py", ["tests/test_public_cache.py", "tests/test_production.py"]),
    # The list filters shared by the site and the API.
    "filters": ("ruiraq/filters.py", ["tests/test_site_filters.py", "tests/test_api_filters.py"]),
}

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
        f"pytest_add_cli_args = {_toml(['-p', 'no:cacheprovider', '-n', '0', '-q'])}",
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
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "DEBUG": "1", "CI": ""}
    env.pop("DATABASE_URL", None)  # SQLite: a fresh in-memory test database per run
    subprocess.run(
        [str(mutmut), "run", "--max-children", str(max_children)], cwd=folder, env=env, check=False
    )
    results = subprocess.run(
        [str(mutmut), "results", "--all", "true"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    statuses = re.findall(r"^\s*\S+: (\w[\w ]*)$", results, flags=re.MULTILINE)
    killed = statuses.count("killed")
    total = len(statuses)
    score = f"{name} ({module}): {killed} of {total} mutants killed"
    if total:
        score += f" ({100 * killed / total:.0f}%)"
    survivors = [line.strip() for line in results.splitlines() if "survived" in line]
    report = folder / "report.txt"
    report.write_text(
        score
        + "\n\nSurvivors (`mutmut show NAME` in this folder shows each):\n"
        + "\n".join(survivors)
        + "\n\n"
        + results,
        encoding="utf-8",
    )
    print(score)
    print(f"report: {report.relative_to(ROOT)}")
    return score


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", metavar="MODULE", help=f"any of {', '.join(MODULES)} (default: all)"
    )
    parser.add_argument(
        "--max-children", type=int, default=2, help="mutants tested at once (default 2)"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}: choose from {', '.join(MODULES)}")
    scores = [run(name, args.max_children) for name in args.modules or MODULES]
    print("\n".join(scores))


if __name__ == "__main__":
    main()
