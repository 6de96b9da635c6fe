"""Every ``>>>`` example in the package's docstrings runs with the suite and shows what it prints.

The examples are found in the installed package (the checkout in an editable install, the wheel's
copy in CI), one test per module that has any, and run with :mod:`doctest` inside this suite, so
they share its cache folder (``tests/conftest.py``) and the process-wide default store with the
other tests. Only the modules that hold examples are imported, by their package name.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
from pathlib import Path

import pytest

#: modules whose examples run HermiT; they are skipped without Java, like the tests marked ``java``
#: (no example needs it today: they all run on the asserted release)
NEEDS_JAVA: set[str] = set()

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _package_dir() -> Path:
    spec = importlib.util.find_spec("gerokg")  # finds the package without importing it
    assert spec is not None and spec.submodule_search_locations, "gerokg is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def _modules_with_examples() -> list[str]:
    root = _package_dir()
    names = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "__main__.py" or ">>>" not in path.read_text(encoding="utf-8"):
            continue
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


MODULES = _modules_with_examples()


def test_the_examples_are_found() -> None:
    # the modules known to hold examples; a finder that found nothing would pass everything
    assert {"gerokg.rdf.rdfio", "gerokg.answers.why", "gerokg.querying.terms", "gerokg.api"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_examples(name: str) -> None:
    if name in NEEDS_JAVA:
        from gerokg.release.reason import java_version

        if java_version() is None:
            pytest.skip("no Java runtime: HermiT cannot run")
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder().find(module) if t.examples]
    assert tests, f"{name} has '>>>' in its text but no docstring example doctest can find"
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    for t in sorted(tests, key=lambda t: t.name):
        runner.run(t, out=report.append)
    assert runner.failures == 0, "".join(report)
