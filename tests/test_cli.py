"""The command line, in process (click's CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gerokg.cli import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_help_of_every_command_has_an_example(runner) -> None:
    for args in ([], ["build"], ["check"], ["reason"], ["imports", "refresh"]):
        res = runner.invoke(main, [*args, "--help"])
        assert res.exit_code == 0
        assert "Example" in res.output, args


def test_build_writes_the_release(runner, tmp_path: Path, review_path: Path) -> None:
    res = runner.invoke(main, ["-q", "build", "--out", str(tmp_path), "--review", str(review_path)])
    assert res.exit_code == 0, res.output
    assert "289 claims" in res.output and "checked against" in res.output
    assert (tmp_path / "gerokg.owl").is_file()


def test_build_curation_error_exits_2_naming_the_file(runner, tmp_path: Path) -> None:
    bad = tmp_path / "review.txt"
    bad.write_text("A text that contains none of the quotes.")
    res = runner.invoke(main, ["-q", "build", "--out", str(tmp_path / "out"), "--review", str(bad)])
    assert res.exit_code == 2
    assert "review-claims.yaml:" in res.output and "quote not found verbatim" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "out" / "gerokg.owl").exists()


def test_check_passes_on_the_release(runner) -> None:
    res = runner.invoke(main, ["check", "--show", "ERROR"])
    assert res.exit_code == 0, res.output
    assert "quality gate: passed" in res.output


def test_check_fails_with_exit_1_on_a_bad_release(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                   "<https://w3id.org/gerokg/GEROKG_9999999> a owl:Class ; "
                   "<http://purl.obolibrary.org/obo/IAO_0000115> \"no label\" .\n")
    res = runner.invoke(main, ["check", "--release", str(bad), "--format", "tsv"])
    assert res.exit_code == 1
    assert "ERROR\tmissing_label\tGEROKG:9999999" in res.output


def test_imports_refresh_check_against_refdata(runner, refdata: Path) -> None:
    res = runner.invoke(main, ["imports", "refresh", "--refdata", str(refdata), "--check"])
    assert res.exit_code == 0, res.output
    assert res.output.count("up to date") == 8


def test_unreadable_release_exits_2(runner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle\n")
    res = runner.invoke(main, ["check", "--release", str(bad)])
    assert res.exit_code == 2
    assert "broken.ttl" in res.output
