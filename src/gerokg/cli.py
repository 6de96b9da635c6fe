"""The ``gerokg`` command: a thin layer over the library.

Each command parses its options, makes one library call, prints, and sets the exit code:
0 success, 1 the data does not conform (a violation was found), 2 a load or usage error.
Tracebacks are hidden unless ``--debug`` is given.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gerokg._version import __version__
from gerokg.errors import GerokgError

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


def _default_review() -> Path | None:
    """The review's text beside the checkout (``../shared/review.txt``), if present."""
    for candidate in (Path.cwd().parent / "shared" / "review.txt", Path.cwd() / "shared" / "review.txt"):
        if candidate.is_file():
            return candidate
    return None


def _handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except GerokgError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gerokg")
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print no progress messages.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """gerokg: the geroconversion knowledge graph (ontology, claims, shapes, queries).

    \b
    Example:
      gerokg build --out build
    """
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


def _root_path(value: str) -> str:
    """A root path: empty, or '/' followed by path segments, without a trailing slash."""
    import re

    value = value.rstrip("/")
    if value and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", value):
        raise click.BadParameter(f"{value!r}: use a path such as /gerokg (letters, digits, . _ ~ - and /)",
                                 param_hint="'--root-path'")
    return value


def _progress(ctx: click.Context) -> Any:
    """A :class:`gerokg.progress.Progress` for this command (silent with ``--quiet``), closed
    when the command ends."""
    from gerokg.progress import Progress

    progress = Progress(quiet=bool(ctx.find_root().params.get("quiet")))
    ctx.call_on_close(progress.close)
    return progress


@main.command()
@click.option("--out", "out_dir", default="build", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the release to.")
@click.option("--review", type=click.Path(exists=True, dir_okay=False),
              help="The review's text; every quote, section and reference is checked against it "
                   "(default: ../shared/review.txt when present).")
@click.option("--no-review", is_flag=True, help="Do not check claims against the review text.")
@click.option("--inferred", is_flag=True, help="Also write gerokg-inferred.ttl, the reasoner's conclusions (needs Java).")
@click.option("--date", metavar="YYYY-MM-DD",
              help="Release date for the version IRI releases/DATE/ and dct:created "
                   "(default: SOURCE_DATE_EPOCH, else the last commit's date; never the clock).")
@click.option("--sign-key", type=click.Path(exists=True, dir_okay=False),
              help="RSA private key (PEM or base64 PKCS#8) to sign the nanopublications with (trusty URIs).")
@click.pass_context
@_handle_errors
def build(ctx: click.Context, out_dir: str, review: str | None, no_review: bool, inferred: bool,
          date: str | None, sign_key: str | None) -> None:
    """Build the release artifacts (gerokg.owl, -base, -simple, .obo, .json, gerokg-full.*, claim exports).

    When OUT already holds a release, gerokg-diff.txt and gerokg-diff.json say what changed.

    \b
    Example:
      gerokg build --out build --review ../shared/review.txt --date 2026-12-01
    """
    from gerokg.artefacts.build import build_release

    review_path = None if no_review else (review or _default_review())
    result = build_release(out_dir, review=review_path, progress=_progress(ctx), inferred=inferred,
                           date=date, sign_key=sign_key)
    checked = f", claims checked against {review_path}" if review_path else ", claims not checked against the review text"
    click.echo(f"built {len(result.files)} files into {result.out_dir} ({result.triples} triples, "
               f"{result.claims} claims{checked}); {len(result.changed)} changed")
    if "gerokg-diff.txt" in result.changed:
        click.echo(f"changes since the previous release: {Path(result.out_dir) / 'gerokg-diff.txt'}")


@main.command()
@click.argument("old", type=click.Path(exists=True, file_okay=False))
@click.argument("new", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_handle_errors
def diff(old: str, new: str, fmt: str) -> None:
    """Compare two release folders: claims, axioms, mappings and inferred superclasses.

    \b
    Example:
      gerokg diff releases/2026-11-01 build
    """
    from gerokg.artefacts.diff import diff_releases

    d = diff_releases(old, new)
    click.echo(d.to_json().decode("utf-8") if fmt == "json" else d.to_text(), nl=False)


@main.command()
@click.option("--site", required=True, help="Base URL of the running 'gerokg serve' (terms, claims, queries, endpoint).")
@click.option("--releases", required=True, help="Base URL of the release folders (RELEASES/YYYY-MM-DD/FILE).")
@click.option("--latest", default="latest", show_default=True, help="The folder under --releases holding the newest release.")
@_handle_errors
def w3id(site: str, releases: str, latest: str) -> None:
    """Print the w3id.org .htaccess (303 redirects) for https://w3id.org/gerokg/.

    \b
    Example:
      gerokg w3id --site https://gerokg.example.org --releases https://files.example.org/gerokg > .htaccess
    """
    from gerokg.artefacts.w3id import htaccess

    try:
        click.echo(htaccess(site, releases, latest), nl=False)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@main.group()
def imports() -> None:
    """Manage the import modules (ChEBI, GO, MONDO, HGNC, NCBITaxon, RO, ECO, IAO).

    \b
    Example:
      gerokg imports refresh --refdata ../shared/refdata --check
    """


@imports.command("refresh")
@click.option("--refdata", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder with the source snapshots named in ontology/imports/sources.yaml.")
@click.option("--check", is_flag=True, help="Only compare with the committed modules; exit 1 if they differ.")
@click.argument("names", nargs=-1)
@_handle_errors
def imports_refresh(refdata: str, check: bool, names: tuple[str, ...]) -> None:
    """Regenerate import modules from the term lists and the source snapshots.

    \b
    Example:
      gerokg imports refresh --refdata ../shared/refdata go chebi
    """
    from gerokg.sources.imports import refresh_imports

    changed = refresh_imports(refdata, names or None, check=check)
    for name, differs in sorted(changed.items()):
        state = ("differs" if check else "updated") if differs else "up to date"
        click.echo(f"{name}_import.owl: {state}")
    if check and any(changed.values()):
        sys.exit(EXIT_VIOLATIONS)


def _release_store(release: str | None, extra: tuple[str, ...] = ()) -> Any:
    from gerokg.release.store import open_store

    return open_store(release, extra=extra)


@main.command()
@click.option("--release", type=click.Path(exists=True, dir_okay=False),
              help="A built release file (e.g. build/gerokg-full.nt); default: the package's sources.")
@click.option("--format", "fmt", type=click.Choice(["text", "tsv", "json"]), default="text", show_default=True)
@click.option("--show", type=click.Choice(["ERROR", "WARN", "INFO"]), default="WARN", show_default=True,
              help="List findings of this level and above.")
@click.option("--no-reasoner", is_flag=True,
              help="Skip the 'inferences beyond the review' report (it runs HermiT when Java is found).")
@click.option("--refdata", type=click.Path(exists=True, file_okay=False),
              help="Reference snapshots folder (e.g. ../shared/refdata): also look for native duplicates "
                   "of any live GO, MONDO or ChEBI term.")
@_handle_errors
def check(release: str | None, fmt: str, show: str, no_reasoner: bool, refdata: str | None) -> None:
    """Run the quality gate; exit 1 on any ERROR.

    The gate is the ROBOT report checks as SPARQL plus the modelling-guide checks
    (ontology/MODELLING.md): relation domain and range, no axioms on imported classes outside the
    bridge module, no native duplicates, no circular definitions, definition genus = parent, no
    non-assertive claim as a step, and the inferences beyond the review (with Java).

    \b
    Example:
      gerokg check --release build/gerokg-full.nt --format tsv
    """
    import json as _json

    from gerokg.checks.check import LEVELS, run_checks

    reasoning = None
    if not no_reasoner:
        from gerokg.release.reason import java_version, reason

        if java_version() is not None:
            reasoning = reason()
        else:
            click.echo("note: no Java runtime, so no 'inferences beyond the review' report", err=True)
    report = run_checks(_release_store(release), reasoning=reasoning, refdata=refdata)
    shown = [f for f in report.findings if LEVELS.index(f.level) <= LEVELS.index(show)]
    if fmt == "json":
        click.echo(_json.dumps({
            "passed": report.passed,
            "counts": {k: {"level": lvl, "rows": n} for k, (lvl, n) in sorted(report.counts.items())},
            "findings": [f.__dict__ for f in shown],
        }, indent=1))
    elif fmt == "tsv":
        click.echo("level\tcheck\tentity\tproperty\tvalue")
        for f in shown:
            click.echo(f"{f.level}\t{f.check}\t{f.entity}\t{f.property}\t{f.value}")
    else:
        for check_name, (lvl, n) in sorted(report.counts.items(), key=lambda kv: (LEVELS.index(kv[1][0]), kv[0])):
            click.echo(f"{lvl:5}  {check_name:32} {n}")
        for f in shown:
            click.echo(f"{f.level}\t{f.check}\t{f.entity}\t{f.property}\t{f.value[:100]}")
        click.echo("quality gate: " + ("passed" if report.passed else f"FAILED ({len(report.errors)} errors)"))
    if not report.passed:
        sys.exit(EXIT_VIOLATIONS)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option("--only-native", is_flag=True, help="List inferences about gerokg's own terms and the drugs only.")
@click.pass_context
@_handle_errors
def reason(ctx: click.Context, files: tuple[str, ...], fmt: str, only_native: bool) -> None:
    """Classify the release (plus FILES) with HermiT: consistency, unsatisfiable classes, inferences.

    \b
    Example:
      gerokg reason my-new-drug.ttl
    """
    import json as _json

    from gerokg.rdf.rdfio import compact_iri, serialize_graph
    from gerokg.release.reason import reason as run_reasoner

    progress = _progress(ctx)
    result = run_reasoner(extra=files, progress=progress)
    progress.close()
    if not result.consistent:
        click.echo(result.explanation, err=True)
        sys.exit(EXIT_VIOLATIONS)
    from gerokg.querying.terms import resolver_for

    names = resolver_for(_release_store(None, files) if files else None)

    def named(iri: str) -> str:
        label = names.label(iri)
        return f"{compact_iri(iri)} {label}" if label else compact_iri(iri)

    rows = sorted(
        (compact_iri(c), sorted(compact_iri(p) for p in parents), named(c), sorted(named(p) for p in parents))
        for c, parents in result.inferred.items()
        if not only_native or "GEROKG_" in c or any("GEROKG_" in p for p in parents)
    )
    if fmt == "json":
        click.echo(_json.dumps({"consistent": True, "unsatisfiable": [compact_iri(u) for u in result.unsatisfiable],
                                "inferred_superclasses": {c: ps for c, ps, _n, _ns in rows},
                                "labels": {compact_iri(i): names.label(i) for c, ps in result.inferred.items()
                                           for i in (c, *ps) if names.label(i)}}, indent=1, sort_keys=True))
    elif fmt == "turtle":
        click.echo(serialize_graph(result.graph, "turtle").decode())
    else:
        click.echo(f"consistent: yes; unsatisfiable classes: {len(result.unsatisfiable)}")
        for u in result.unsatisfiable:
            click.echo(f"  unsatisfiable: {named(u)}")
        click.echo(f"{len(rows)} classes with inferred superclasses (gerokg why CLASS SUPERCLASS says why):")
        for _c, _ps, cls, parents in rows:
            click.echo(f"{cls}  is a  {'; '.join(parents)}")
    if result.unsatisfiable:
        sys.exit(EXIT_VIOLATIONS)


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True,
              help="text: grouped by focus node; json or turtle (the SHACL report graph) for machines.")
@click.option("--no-release", is_flag=True, help="Validate FILES alone, without merging the release.")
@click.option("--max-size", default=64, show_default=True, type=click.IntRange(0, None),
              help="Refuse an input file larger than this many MB (0: no limit). SHACL validation holds the "
                   "whole graph in memory: validate big data in parts (split N-Triples by line), or load it "
                   "into a triple store and check it with gerokg's QC queries.")
@click.option("--engine", type=click.Choice(["turbo", "pyshacl"]), default="turbo", show_default=True,
              help="The SHACL engine: turbo (pyshacl-turbo, in Rust) or pyshacl (the reference); same reports.")
@click.option("--full", is_flag=True,
              help="Validate every node of the merged graph, not only your files' nodes against the release's kept report.")
@_handle_errors
def validate_cmd(files: tuple[str, ...], fmt: str, no_release: bool, max_size: int, engine: str, full: bool) -> None:
    """Validate the release, or your own RDF files merged with it, against gerokg's SHACL shapes.

    Exit code 0: conforms; 1: violations; 2: unreadable input (file and line named).

    \b
    Example:
      gerokg validate my-claims.ttl --format json
    """
    from gerokg.checks.validate import validate

    report = validate(list(files) or None, with_release=not no_release,
                      max_bytes=max_size * 1000 * 1000 if max_size else None, engine=engine, full=full)
    if fmt == "json":
        click.echo(report.json())
    elif fmt == "turtle":
        click.echo(report.turtle(), nl=False)
    else:
        click.echo(report.text())
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected name=value, got {pair!r}", param_hint="--param")
        out[name.strip()] = value
    return out


def _format_value(v: Any) -> str:
    from gerokg.querying.canned import IRI

    if v is None:
        return ""
    if isinstance(v, IRI):
        return v.curie
    return str(v)


def _cell(text: str, width: int) -> str:
    """A table cell of at most ``width`` characters: on one line, cut visibly with an ellipsis."""
    text = " ".join(text.split())
    if width and len(text) > width:
        return text[: width - 1].rstrip() + "\u2026"
    return text


def _table(cols: list[str], rows: list[dict[str, Any]], width: int) -> list[str]:
    """Lines of a plain-text table; cells longer than ``width`` end in '…' (0: no limit).

    A column ``x`` beside its ``xLabel`` shows only the label, and columns empty in every row are
    left out (csv, tsv and json keep every column)."""
    cols = [c for c in cols if f"{c}Label" not in cols]
    cells = [[_cell(_format_value(r.get(c)), width) for c in cols] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    # columns that are empty in every row are left out of the table (kept in csv, tsv and json)
    keep = [i for i, c in enumerate(cols) if any(row[i] for row in cells)] if rows else list(range(len(cols)))
    out = ["  ".join(cols[i].ljust(widths[i]) for i in keep).rstrip()]
    for row in cells:
        out.append("  ".join(row[i].ljust(widths[i]) for i in keep).rstrip())
    return out


_QUERY_OPTIONS = [
    click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                 help="A query parameter (repeatable); a term takes a CURIE, IRI, label or synonym."),
    click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle"]), default="table",
                 show_default=True, help="json: rows as objects (SELECT) or JSON-LD (CONSTRUCT)."),
    click.option("--width", default=60, show_default=True, type=click.IntRange(0, 10000),
                 help="Widest table cell; longer ones end in '…' (0: no limit; csv, tsv and json are never cut)."),
    click.option("--endpoint", help="Run on this remote SPARQL endpoint (SPARQLWrapper) instead of the embedded store."),
    click.option("--release", type=click.Path(exists=True, dir_okay=False), help="A release file to query (default: the package's sources)."),
    click.option("--with", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False), help="More RDF files to load beside the release."),
    click.option("--store", "location", type=click.Path(file_okay=False), help="A persistent on-disk store folder (created and loaded once)."),
    click.option("--inferred", is_flag=True,
                 help="Include the reasoner's conclusions (needs Java). Default: asserted facts only, as each answer says."),
    click.option("--show-query", is_flag=True, help="Print the query text with its parameters bound, and do not run it."),
]


def _query_options(func: F) -> F:
    for option in reversed(_QUERY_OPTIONS):
        func = option(func)
    return func


def _run_and_print(q: Any, params: tuple[str, ...], fmt: str, width: int, endpoint: str | None, release: str | None,
                   extra: tuple[str, ...], location: str | None, inferred: bool, show_query: bool) -> None:
    from gerokg.querying.canned import bind_params, bind_query_text, run_query

    values = _parse_params(params)
    if endpoint:
        from gerokg.querying.remote import run_remote_query

        if show_query:
            click.echo(bind_query_text(q, bind_params(q, values)))
            return
        result = run_remote_query(q, endpoint, values)
    else:
        from gerokg.release.store import open_store

        store = open_store(release, extra=extra, location=location, inferred=inferred)
        if show_query:
            click.echo(bind_query_text(q, bind_params(q, values, store)))
            return
        result = run_query(q, store, values)
    basis = ("the endpoint's data" if result.inferred is None else
             "asserted facts and the reasoner's conclusions" if result.inferred else
             "asserted facts only; --inferred adds the reasoner's conclusions")
    if result.triples is not None:
        _print_triples(result.triples, fmt, basis)
    elif result.boolean is not None:
        click.echo("true" if result.boolean else "false")
    else:
        _print_rows(result.variables, result.rows, fmt, width, basis)


def _print_triples(result_triples: list[tuple[Any, Any, Any]], fmt: str, basis: str) -> None:
    """A CONSTRUCT answer: JSON-LD for ``--format json``, else Turtle with the project's prefixes."""
    import pyoxigraph as ox

    from gerokg.resources import prefixes

    triples = [ox.Triple(*t) for t in result_triples]
    if fmt == "json":
        # JSON-LD, one node object per subject (rdflib's serializer groups them)
        from rdflib import Graph

        g = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
        data: bytes | None = g.serialize(format="json-ld", indent=1, sort_keys=True).encode("utf-8")
    else:
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes())
    text = (data or b"").decode("utf-8")
    click.echo(text, nl=not text.endswith("\n"))
    click.echo(f"({len(triples)} triples; {basis})", err=True)


def _print_rows(cols: list[str], rows: list[dict[str, Any]], fmt: str, width: int, basis: str) -> None:
    """A SELECT answer as JSON objects, CSV, TSV or a table."""
    import csv as _csv
    import io as _io
    import json as _json

    if fmt == "json":
        click.echo(_json.dumps([{c: _format_value(r.get(c)) for c in cols} for r in rows], indent=1,
                               ensure_ascii=False))
        click.echo(f"({len(rows)} rows; {basis})", err=True)
    elif fmt in ("csv", "tsv"):
        buf = _io.StringIO()
        w = _csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_format_value(r.get(c)) for c in cols])
        click.echo(buf.getvalue(), nl=False)
        click.echo(f"({len(rows)} rows; {basis})", err=True)
    elif fmt == "turtle":
        raise click.UsageError("--format turtle is for CONSTRUCT queries; this one is a SELECT")
    else:
        for line in _table(cols, rows, width):
            click.echo(line)
        click.echo(f"({len(rows)} rows; {basis})")


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the canned queries.")
@_query_options
@_handle_errors
def query(name: str | None, list_: bool, params: tuple[str, ...], fmt: str, width: int, endpoint: str | None,
          release: str | None, extra: tuple[str, ...], location: str | None, inferred: bool, show_query: bool) -> None:
    """Run a canned SPARQL query, or a .rq file of your own, on the embedded store or a remote endpoint.

    NAME is a canned query (see --list) or a file; the release's prefixes (CHEBI:, GO:, gks:, ...)
    are predeclared for your own files. Answers hold asserted facts unless --inferred is given.

    \b
    Examples:
      gerokg query --list
      gerokg query term-dossier --param term=rapamycin
      gerokg query quantitative-findings --param organism=NCBITaxon:10090 --format csv
      gerokg query my.rq --format json
      gerokg query gerosuppressants --endpoint http://127.0.0.1:7878/query
    """
    from gerokg.querying.canned import list_queries, load_query, sparql_query

    if list_ or not name:
        for q in list_queries():
            ps = ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default is not None else "") for p in q.params)
            click.echo(f"{q.name:42} {q.question}" + (f"  [{ps}]" if ps else ""))
        return
    path = Path(name)
    if name.endswith((".rq", ".sparql")) or path.is_file():
        if not path.is_file():
            raise click.BadParameter(f"{name}: no such file", param_hint="NAME")
        q = sparql_query(path.read_text(encoding="utf-8"), path)
    else:
        q = load_query(name)
    _run_and_print(q, params, fmt, width, endpoint, release, extra, location, inferred, show_query)


@main.command()
@click.argument("text")
@_query_options
@_handle_errors
def sparql(text: str, params: tuple[str, ...], fmt: str, width: int, endpoint: str | None, release: str | None,
           extra: tuple[str, ...], location: str | None, inferred: bool, show_query: bool) -> None:
    """Run the SPARQL query TEXT ('-' reads it from standard input), the release's prefixes predeclared.

    \b
    Example:
      gerokg sparql 'SELECT ?drug ?label WHERE { ?drug rdfs:subClassOf GEROKG:0000054 ; rdfs:label ?label }'
    """
    from gerokg.querying.canned import sparql_query

    if text == "-":
        text = sys.stdin.read()
    if params:
        raise click.UsageError("--param is for canned queries; write the values into the SPARQL text")
    _run_and_print(sparql_query(text), (), fmt, width, endpoint, release, extra, location, inferred, show_query)


@main.command("term")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--release", type=click.Path(exists=True, dir_okay=False), help="A release file (default: the package's sources).")
@click.option("--with", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False), help="More RDF files to load beside the release.")
@_handle_errors
def term_cmd(name: str, fmt: str, release: str | None, extra: tuple[str, ...]) -> None:
    """Show a term named by CURIE, IRI, label or synonym: label, synonyms, definition, parents,
    children, ancestors and the review's claims about it.

    \b
    Example:
      gerokg term rapamycin
      gerokg term Rapamune --format json
    """
    import dataclasses
    import json as _json

    from gerokg.querying.dossier import term as get_term

    store = _release_store(release, extra) if (release or extra) else None
    t = get_term(name, store)
    if fmt == "json":
        click.echo(_json.dumps(dataclasses.asdict(t), indent=1, ensure_ascii=False))
    else:
        click.echo(t.text())


def _query_limits(command: Any) -> Any:
    """The per-query limits shared by ``serve`` and ``mcp`` (one set of options, one set of defaults)."""
    command = click.option("--max-query-depth", default=64, show_default=True, type=click.IntRange(1, 1000),
                           help="Levels of nested groups, sub-queries, expressions and paths a query may have.")(command)
    command = click.option("--max-query-length", default=100_000, show_default=True,
                           type=click.IntRange(1, 10_000_000), help="Characters a query may have.")(command)
    return click.option("--max-query-memory", default=1024, show_default=True, type=click.IntRange(0, 1 << 20),
                        help="MB of memory one query may use in its worker (0: no cap); past it the query "
                             "gets a 503.")(command)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep 127.0.0.1 unless behind a proxy).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--release", type=click.Path(exists=True, dir_okay=False), help="A release file to serve (default: the package's sources).")
@click.option("--with", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="More RDF files to serve beside the release (ChEBI, GO, ...).")
@click.option("--store", "location", type=click.Path(file_okay=False), help="A persistent store folder: loaded once, reused on restart.")
@click.option("--inferred/--no-inferred", default=False, show_default=True,
              help="Serve the reasoner's conclusions too, so term pages show what each term is classified as and "
                   "why (needs Java; computed once per release and kept). Off by default, as in 'gerokg query': "
                   "every interface answers from the asserted facts unless asked, and says which it did.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 3600), help="Seconds a query may run.")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(1, 10_000_000), help="Rows (or triples) per answer.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--root-path", default="", callback=lambda _c, _p, v: _root_path(v),
              help="The path a reverse proxy publishes the site under (e.g. /gerokg), for the pages' links.")
@_query_limits
@click.option("--max-connections", default=4096, show_default=True, type=click.IntRange(1, 1_000_000),
              help="Connections open at once; one more gets a 503.")
@click.option("--head-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a client has to send a request's head.")
@click.pass_context
@_handle_errors
def serve(ctx: click.Context, host: str, port: int, release: str | None, extra: tuple[str, ...], location: str | None,
          inferred: bool, timeout: float, max_rows: int, workers: int, root_path: str, max_query_memory: int,
          max_query_length: int, max_query_depth: int, max_connections: int, head_timeout: float) -> None:
    """Serve the graph: web pages to search, browse and query it, and a read-only SPARQL 1.1 endpoint.

    Open the printed address in a browser: search a term, read its page (definition, classification
    and why, every claim with quote and references), run the canned questions as forms with CSV
    download, write SPARQL, and see the pathway picture. Programs use /sparql and /queries.

    \b
    Example:
      gerokg serve --port 8000 --timeout 10
      curl 'http://127.0.0.1:8000/queries/gerosuppressants?format=csv'
    """
    from gerokg.release.reason import java_version
    from gerokg.serving.server import EndpointConfig
    from gerokg.serving.server import serve as run_server

    if inferred and java_version() is None:
        raise click.UsageError("--inferred needs a Java runtime for the reasoner (e.g. apt-get install "
                               "default-jre-headless); serve without it for the asserted facts")
    cfg = EndpointConfig(host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
                         root_path=root_path, max_query_memory_mb=max_query_memory, max_query_length=max_query_length,
                         max_query_depth=max_query_depth, max_connections=max_connections, head_timeout=head_timeout)
    run_server(cfg, release=release, extra=extra, location=location, inferred=inferred,
               announce=lambda m: click.echo(m, err=True), progress=_progress(ctx))


@main.command("mcp")
@click.option("--http", "use_http", is_flag=True, help="Serve streamable HTTP on 127.0.0.1 instead of stdio.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port for --http (on 127.0.0.1).")
@click.option("--allow-sparql", is_flag=True,
              help="Also offer a 'sparql' tool for free read-only SPARQL (run in the same sandboxed workers).")
@click.option("--release", type=click.Path(exists=True, dir_okay=False), help="A release file to serve (default: the package's sources).")
@click.option("--with", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="More RDF files to serve beside the release (ChEBI, GO, ...).")
@click.option("--store", "location", type=click.Path(file_okay=False), help="A persistent store folder: loaded once, reused on restart.")
@click.option("--inferred/--no-inferred", default=False, show_default=True,
              help="Include the reasoner's conclusions (needs Java).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 3600), help="Seconds a query may run.")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(1, 10_000_000), help="Rows (or triples) per answer.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@_query_limits
@click.pass_context
@_handle_errors
def mcp_cmd(ctx: click.Context, use_http: bool, port: int, allow_sparql: bool, release: str | None,
            extra: tuple[str, ...], location: str | None, inferred: bool, timeout: float, max_rows: int, workers: int,
            max_query_memory: int, max_query_length: int, max_query_depth: int) -> None:
    """Serve the graph to AI assistants over the Model Context Protocol (stdio by default).

    Tools: search_terms, term_card, term_dossier, get_claim, run_query, why_classified,
    explain_chain, open_questions, tensions (and sparql with --allow-sparql); every answer
    carries claim ids, quotes, references and epistemic status. Read-only, with the endpoint's
    sandboxed query workers and limits. Register "gerokg mcp" as a stdio server in your MCP client.

    \b
    Example:
      gerokg mcp
      gerokg mcp --http --port 8765 --allow-sparql
    """
    from gerokg.serving.mcp_server import run
    from gerokg.serving.server import EndpointConfig

    cfg = EndpointConfig(port=port, timeout=timeout, max_rows=max_rows, workers=workers,
                         max_query_memory_mb=max_query_memory, max_query_length=max_query_length,
                         max_query_depth=max_query_depth)
    progress = _progress(ctx)
    run(cfg, release=release, extra=extra, location=location, inferred=inferred, allow_sparql=allow_sparql,
        http=use_http, debug=bool(ctx.find_root().params.get("debug")), progress=progress, announce=lambda m: click.echo(m, err=True))


@main.command()
@click.option("--endpoint", required=True, help="The Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store).")
@click.option("--graph", help="Named graph IRI to write (default: the default graph).")
@click.option("--release", type=click.Path(exists=True, dir_okay=False),
              help="The N-Triples or Turtle file to upload (default: built in memory); an .nq file "
                   "(gerokg-full.nq) is uploaded graph by graph, each under its own name.")
@click.option("--user", help="User name for the graph store.")
@click.option("--password", envvar="GEROKG_PASSWORD", help="Password (or set GEROKG_PASSWORD).")
@click.option("--digest", is_flag=True, help="Use HTTP digest authentication (Virtuoso).")
@click.option("--graph-param", default="graph", show_default=True, help="Query parameter naming the graph (Virtuoso also takes graph-uri).")
@click.option("--append", is_flag=True, help="POST (add) instead of PUT (replace).")
@click.pass_context
@_handle_errors
def publish(ctx: click.Context, endpoint: str, graph: str | None, release: str | None, user: str | None,
            password: str | None, digest: bool, graph_param: str, append: bool) -> None:
    """Upload the release to a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

    \b
    Examples:
      gerokg publish --endpoint http://127.0.0.1:7878/store
      gerokg publish --endpoint http://127.0.0.1:7878/store --release build/gerokg-full.nq
    """
    from gerokg.artefacts.publish import publish_dataset, publish_release

    progress = _progress(ctx)
    if release and release.endswith(".nq"):
        if graph:
            raise click.UsageError("--graph cannot be used with N-Quads: each named graph is uploaded under its own name")
        progress(f"uploading {release} to {endpoint}, one request per named graph")
        statuses = publish_dataset(endpoint, release, user=user, password=password,
                                   auth="digest" if digest else "basic", replace=not append,
                                   graph_param=graph_param, progress=progress.advance)
        progress.close()
        for name, code in statuses.items():
            click.echo(f"published {name or 'default graph'}: HTTP {code}")
        return
    if release:
        data: Any = release
    else:
        from gerokg.rdf.rdfio import serialize_graph
        from gerokg.release.assemble import load_graph

        progress("assembling the release")
        data = serialize_graph(load_graph(), "nt")
    progress(f"uploading to {endpoint}" + (f" (graph {graph})" if graph else " (default graph)"))
    status = publish_release(endpoint, data, graph=graph, user=user, password=password,
                             auth="digest" if digest else "basic", replace=not append, graph_param=graph_param,
                             progress=progress.advance)
    progress.close()
    click.echo(f"published: HTTP {status}")


@main.command()
@click.argument("term", required=False)
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="File to write (default: build/pathway.svg for Figure 1, build/diagram-<CURIE>.svg for a term).")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "dot"]),
              help="Output format (default: from the file's suffix, else svg).")
@click.option("--link-base", help="Link edges and nodes into a web app at this path or URL ('/' gives /claim/C0183 "
                                  "and /term/CHEBI:68478); default: the claim and term IRIs.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 3),
              help="For a TERM: 1 draws its claims; each step more adds the claims of the terms reached.")
@click.pass_context
@_handle_errors
def diagram(ctx: click.Context, term: str | None, out_path: str | None, fmt: str | None, link_base: str | None,
            depth: int) -> None:
    """Draw the review's Figure 1 (or the claims around TERM) from the graph, with Graphviz.

    Every arrow is one claim, linked to it; dotted arrows are the ontology's is-a links,
    definitions and part-whole axioms. SVG and PNG need Graphviz's dot (apt-get install graphviz); --format dot does not.

    \b
    Example:
      gerokg diagram                                  # build/pathway.svg
      gerokg diagram CHEBI:68478 --format png         # everolimus: build/diagram-CHEBI_68478.png
      gerokg diagram --link-base / --out site/pathway.svg
    """
    from gerokg.pages.diagram import write_diagram

    if out_path is None:
        stem = "pathway" if term is None else "diagram-" + "".join(c if c.isalnum() else "_" for c in term)
        out_path = str(Path("build") / f"{stem}.{fmt or 'svg'}")
    progress = _progress(ctx)
    progress("drawing " + ("Figure 1" if term is None else term) + f" into {out_path}")
    written = write_diagram(out_path, term=term, fmt=fmt, link_base=link_base, depth=depth)
    progress.close()
    click.echo(f"wrote {written}")


@main.command()
@click.option("--out", "out_dir", default="build/docs", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the HTML pages to (index.html, queries.html).")
@click.option("--release", type=click.Path(exists=True, dir_okay=False),
              help="A built release file (e.g. build/gerokg-full.nt); default: the package's sources.")
@click.pass_context
@_handle_errors
def docs(ctx: click.Context, out_dir: str, release: str | None) -> None:
    """Write the HTML documentation: the ontology (pyLODE) and the query catalogue with answers.

    \b
    Example:
      gerokg docs --out build/docs
      xdg-open build/docs/index.html     # works offline; queries.html is the catalogue
    """
    from gerokg.pages.docs import write_docs

    progress = _progress(ctx)
    paths = write_docs(out_dir, release=release, progress=progress)
    progress.close()
    click.echo(f"wrote {len(paths)} pages into {out_dir}: {', '.join(p.name for p in paths)}")


@main.command()
@click.argument("subject")
@click.argument("obj", metavar="OBJECT")
@click.option("--max-steps", default=4, show_default=True, type=click.IntRange(1, 8), help="Most causal steps per chain.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Most chains to show.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_handle_errors
def explain(subject: str, obj: str, max_steps: int, limit: int, fmt: str) -> None:
    """Explain how SUBJECT affects OBJECT: chains of the review's causal claims, shortest first.

    \b
    Example:
      gerokg explain CHEBI:9168 GEROKG:0000006      # sirolimus -> oncogenesis
    """
    import json as _json

    from gerokg.answers.explain import explain as run_explain
    from gerokg.rdf.rdfio import compact_iri

    chains = run_explain(subject, obj, max_steps=max_steps, limit=limit)
    if fmt == "json":
        click.echo(_json.dumps([{"effect": c.effect_text, "length": c.length, "steps": [
            {"source": compact_iri(s.source), "relation": compact_iri(s.relation), "target": compact_iri(s.target),
             "sign": s.sign, "via": s.via, "claim": compact_iri(s.claim) if s.claim else None,
             "kind": s.kind, "quote": s.quote, "references": list(s.references)} for s in c.steps]}
            for c in chains], indent=1, ensure_ascii=False))
        return
    if not chains:
        click.echo(f"no chain of stated causal relations links {subject} to {obj} within {max_steps} steps")
        return
    for n, c in enumerate(chains, 1):
        click.echo(f"chain {n}: {subject} {c.effect_text} {obj} ({c.length} causal step(s))")
        click.echo(c.text())


@main.command("why")
@click.argument("term")
@click.argument("superclass")
@_handle_errors
def why_cmd(term: str, superclass: str) -> None:
    """Say why TERM falls under SUPERCLASS: the axioms and the review's claims that entail it
    (names, synonyms, CURIEs or IRIs; long ChEBI is-a chains folded to one line).

    Exit code 1 when no such justification is found.

    \b
    Example:
      gerokg why everolimus gerosuppressant
    """
    from gerokg.answers.why import why as run_why

    found = run_why(term, superclass)
    if found is None:
        click.echo(f"no justification found that {term} is a {superclass} (from the asserted axioms and claims)")
        sys.exit(EXIT_VIOLATIONS)
    click.echo(found.text())
