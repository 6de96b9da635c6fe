"""The packaging and the CI script agree with the README."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib

from gerokg import __version__
from gerokg.resources import DATA_DIRS, data_dir

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_two_commands() -> None:
    main, tests = _readme_commands()
    assert main.startswith("pip install .") and "gerokg" in main
    assert tests.startswith('pip install ".[test]"') and "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in ci


def test_every_data_file_is_reachable_through_resources() -> None:
    for name in DATA_DIRS:
        shipped = sorted(p.relative_to(ROOT / name) for p in (ROOT / name).rglob("*") if p.is_file())
        reachable = sorted(p.relative_to(data_dir(name)) for p in data_dir(name).rglob("*") if p.is_file())
        assert shipped and shipped == reachable


def test_version_is_single_sourced() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["dynamic"] == ["version"]
    assert meta["tool"]["hatch"]["version"]["path"] == "src/gerokg/_version.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_wheel_force_includes_the_data_directories() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mapping = meta["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert mapping == {d: f"gerokg/{d}" for d in DATA_DIRS}
