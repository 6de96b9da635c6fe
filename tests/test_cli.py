"""The command line, in process (click's CliRunner)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gerokg.cli import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _commands(group, prefix=()):
    yield list(prefix)
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield [*prefix, name]


def test_help_of_every_command_has_an_example(runner) -> None:
    seen = list(_commands(main))
    assert ["docs"] in seen and ["diagram"] in seen and ["imports", "refresh"] in seen and len(seen) >= 13
    for args in seen:
        res = runner.invoke(main, [*args, "--help"])
        assert res.exit_code == 0
        example = res.output[res.output.index("Example"):]
        assert "gerokg " in example, args  # an example command line, not just the word


def test_progress_lines_and_quiet(tmp_path: Path) -> None:
    """Long steps print progress on stderr (plain lines off a terminal); --quiet silences them."""
    runner = CliRunner()
    res = runner.invoke(main, ["build", "--out", str(tmp_path / "a"), "--no-review"])
    assert res.exit_code == 0, res.output
    assert "• reading the ontology, imports and claims" in res.stderr
    assert "• writing" in res.stderr and "• " not in res.stdout
    # --quiet: test_build_writes_the_release builds with -q and finds stderr empty


def test_progress_on_a_terminal_ticks_each_step() -> None:
    import io

    from rich.console import Console

    from gerokg.progress import Progress

    buf = io.StringIO()
    with Progress(console=Console(file=buf, force_terminal=True, width=100)) as p:
        p("assembling the release")
        p("classifying with HermiT (Java)")
        p("uploading")
        p.advance(1_500_000, 3_000_000)
        p.advance(3_000_000, 3_000_000)
    out = buf.getvalue()
    assert "✓" in out and "assembling the release" in out and "classifying with HermiT (Java)" in out
    assert "3.0/3.0 MB" in out  # uploads show bytes; other steps show none
    assert "bytes" not in out
    quiet = io.StringIO()
    with Progress(quiet=True, console=Console(file=quiet, force_terminal=True)) as p:
        p("nothing to see")
    assert quiet.getvalue() == ""


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (apt-get install graphviz)")
def test_diagram_command(tmp_path) -> None:
    out = tmp_path / "pathway.svg"
    res = CliRunner().invoke(main, ["-q", "diagram", "--out", str(out), "--link-base", "/"])
    assert res.exit_code == 0, res.output
    assert b'xlink:href="/claim/C0183"' in out.read_bytes()
    res = CliRunner().invoke(main, ["diagram", "CHEBI:68478", "--format", "dot", "--out", str(tmp_path / "e.dot")])
    assert res.exit_code == 0 and 'id="claim-C0194"' in (tmp_path / "e.dot").read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["diagram", "FOO:1"])
    assert res.exit_code == 2 and "known prefix" in res.output


def test_docs_command(tmp_path) -> None:
    res = CliRunner().invoke(main, ["-q", "docs", "--out", str(tmp_path / "docs")])
    assert res.exit_code == 0, res.output
    assert "wrote 2 pages" in res.output
    assert "gerosuppressant" in (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "Quantitative findings" in (tmp_path / "docs" / "queries.html").read_text(encoding="utf-8")


def test_build_writes_the_release(runner, tmp_path: Path, review_path: Path) -> None:
    res = runner.invoke(main, ["-q", "build", "--out", str(tmp_path), "--review", str(review_path)])
    assert res.exit_code == 0, res.output
    assert "290 claims" in res.output and "checked against" in res.output
    assert res.stderr == ""  # -q: no progress lines
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


def test_query_by_the_reviews_name_of_the_drug(runner) -> None:
    res = runner.invoke(main, ["query", "term-participation", "--param", "term=rapamycin", "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["role", "via", "viaLabel", "claim"] and header[-1] == "quote"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 63 and {r[header.index("subject")] for r in rows} == {"CHEBI:9168"}
    assert "(63 rows; asserted facts only; --inferred adds the reasoner's conclusions)" in res.stderr


def test_query_table_cuts_cells_visibly(runner) -> None:
    res = runner.invoke(main, ["query", "claims-citing-reference", "--param", "ref=19", "--width", "30"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].split()[:5] == ["claim", "subjectLabel", "predicateLabel", "objectLabel", "polarity"]
    row = next(line for line in lines if line.startswith("gkc:C0044"))
    assert "negated" in row and "rapamycin and everolimus not…" in row   # cut with an ellipsis
    assert lines[-1] == "(8 rows; asserted facts only; --inferred adds the reasoner's conclusions)"
    full = runner.invoke(main, ["query", "claims-citing-reference", "--param", "ref=19", "--width", "0"])
    quote = "rapamycin and everolimus not only do not increase cancer incidence in transplant recipients"
    assert quote in full.output and "…" not in full.output


def test_query_a_users_file_and_sparql_text(runner, tmp_path: Path) -> None:
    mine = tmp_path / "my.rq"
    mine.write_text("# the rapalogs, prefixes predeclared\n"
                    "SELECT ?drug ?label WHERE { ?drug rdfs:subClassOf GEROKG:0000054 ; rdfs:label ?label }\n"
                    "ORDER BY ?label\n")
    res = runner.invoke(main, ["query", str(mine), "--format", "tsv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["drug\tlabel", "CHEBI:79699\tTemsirolimus", "CHEBI:68478\teverolimus",
                                       "CHEBI:82677\tridaforolimus", "CHEBI:9168\tsirolimus"]
    res = runner.invoke(main, ["sparql", "ASK { CHEBI:9168 oboInOwl:hasExactSynonym \"rapamycin\" }"])
    assert res.exit_code == 0 and res.output.strip() == "true"
    res = runner.invoke(main, ["query", str(tmp_path / "missing.rq")])
    assert res.exit_code == 2 and "missing.rq: no such file" in res.output


def test_sparql_syntax_errors_are_one_line_with_position(runner) -> None:
    res = runner.invoke(main, ["sparql", "SELECT ?x WHERE {\n  ?x foo:bar ?y }"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.output.startswith("error: <sparql>: line 2, column 6: unknown prefix 'foo:' (declare it with PREFIX")
    assert len(res.output.strip().splitlines()) == 1
    res = runner.invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o "])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        "error: <sparql>: line 1, column 28: expected one of \",\", \".\", \";\", \"{\", \"{|\", \"}\", \"~\", [_] at the end"]


def test_construct_as_json_is_json_ld(runner) -> None:
    import json

    res = runner.invoke(main, ["query", "construct-claim-edges", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    sirolimus = next(node for node in doc if node["@id"] == "http://purl.obolibrary.org/obo/CHEBI_9168")
    assert {"@id": "http://purl.obolibrary.org/obo/GO_0038202"} in sirolimus["http://purl.obolibrary.org/obo/RO_0012006"]
    assert "triples; asserted facts only" in res.stderr


def test_term_command(runner) -> None:
    res = runner.invoke(main, ["term", "Rapamune"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("CHEBI:9168  sirolimus\nsynonyms: rapamycin (exact); Rapamune® (related)")
    assert "claims: 63" in res.output and "gkc:C0044: sirolimus NOT increases incidence of cancer" in res.output
    res = runner.invoke(main, ["term", "rapamicyn"])
    assert res.exit_code == 2 and "close names: CHEBI:9168 (rapamycin)" in res.output
