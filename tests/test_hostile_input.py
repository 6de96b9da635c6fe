"""Hostile and malformed input on every surface: a clear message naming the file, exit code 2,
no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerokg.cli import main
from gerokg.errors import RdfParseError
from gerokg.rdf.rdfio import parse_rdf_file

CORPUS = sorted((Path(__file__).parent / "fixtures" / "hostile" / "rdf").iterdir())


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_parser_refuses_with_the_file_named(path: Path) -> None:
    with pytest.raises(RdfParseError) as err:
        parse_rdf_file(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
@pytest.mark.parametrize("command", [["validate"], ["validate", "--no-release"]])
def test_cli_validate_exits_2(path: Path, command: list[str]) -> None:
    res = CliRunner().invoke(main, [*command, str(path)])
    assert res.exit_code == 2, res.output
    assert path.name in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("path", CORPUS[:6], ids=[p.name for p in CORPUS[:6]])
def test_cli_query_with_hostile_extra_file_exits_2(path: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    res = CliRunner().invoke(main, ["query", "regulatory-events", "--with", str(path), "--store", str(store)])
    assert res.exit_code == 2, res.output
    assert path.name in res.output and "Traceback" not in res.output


@pytest.mark.java
def test_cli_reason_with_hostile_file_exits_2() -> None:
    path = next(p for p in CORPUS if p.name == "billion-laughs.owl")
    res = CliRunner().invoke(main, ["reason", str(path)])
    assert res.exit_code == 2 and "DTD or entities" in res.output


@pytest.mark.parametrize("args", [
    ["query", "no-such-query"],
    ["query", "term-participation", "--param", "term"],
    ["query", "term-participation", "--param", "term=<x>"],
    ["query", "claims-citing-reference", "--param", "ref=ten"],
    ["serve", "--port", "70000"],
    ["serve", "--timeout", "0"],
    ["explain", "CHEBI:9168", "NOPE:1"],
    ["build", "--out", "/proc/gerokg-cannot-write-here"],
])
def test_bad_cli_options_exit_2(args: list[str]) -> None:
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output


def test_curation_errors_in_a_claims_file_leave_nothing_written(tmp_path: Path) -> None:
    from gerokg.artefacts.build import build_release
    from gerokg.errors import CurationError

    bad = tmp_path / "claims.yaml"
    bad.write_text("sections: {}\nclaims:\n  - id: C0001\n    kind: mechanism\n    subject: '{{'\n")
    with pytest.raises(CurationError) as err:
        build_release(tmp_path / "out", claims_path=bad)
    assert "claims.yaml:" in str(err.value)
    assert not (tmp_path / "out" / "gerokg.owl").exists()


@given(data=st.binary(max_size=400), suffix=st.sampled_from([".ttl", ".nt", ".jsonld", ".owl", ".trig"]))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes_never_escape_as_other_errors(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    try:
        parse_rdf_file(path)
    except RdfParseError as exc:
        assert str(path) in str(exc)
