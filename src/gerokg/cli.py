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

from gerokg import __version__
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


def _progress(ctx: click.Context) -> Callable[[str], None] | None:
    if ctx.find_root().params.get("quiet"):
        return None
    return lambda msg: click.echo(f"• {msg}", err=True)


@main.command()
@click.option("--out", "out_dir", default="build", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the release to.")
@click.option("--review", type=click.Path(exists=True, dir_okay=False),
              help="The review's text; every quote, section and reference is checked against it "
                   "(default: ../shared/review.txt when present).")
@click.option("--no-review", is_flag=True, help="Do not check claims against the review text.")
@click.pass_context
@_handle_errors
def build(ctx: click.Context, out_dir: str, review: str | None, no_review: bool) -> None:
    """Build the release artifacts (gerokg.owl, gerokg-full.*, claim exports).

    \b
    Example:
      gerokg build --out build --review ../shared/review.txt
    """
    from gerokg.build import build_release

    review_path = None if no_review else (review or _default_review())
    result = build_release(out_dir, review=review_path, progress=_progress(ctx))
    checked = f", claims checked against {review_path}" if review_path else ", claims not checked against the review text"
    click.echo(f"built {len(result.files)} files into {result.out_dir} ({result.triples} triples, "
               f"{result.claims} claims{checked}); {len(result.changed)} changed")


@main.group()
def imports() -> None:
    """Manage the import modules (ChEBI, GO, MONDO, HGNC, NCBITaxon, RO, ECO, IAO)."""


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
    from gerokg.imports import refresh_imports

    changed = refresh_imports(refdata, names or None, check=check)
    for name, differs in sorted(changed.items()):
        state = ("differs" if check else "updated") if differs else "up to date"
        click.echo(f"{name}_import.owl: {state}")
    if check and any(changed.values()):
        sys.exit(EXIT_VIOLATIONS)


def _release_store(release: str | None, extra: tuple[str, ...] = ()) -> Any:
    from gerokg.store import open_store

    return open_store(release, extra=extra)


@main.command()
@click.option("--release", type=click.Path(exists=True, dir_okay=False),
              help="A built release file (e.g. build/gerokg-full.nt); default: the package's sources.")
@click.option("--format", "fmt", type=click.Choice(["text", "tsv", "json"]), default="text", show_default=True)
@click.option("--show", type=click.Choice(["ERROR", "WARN", "INFO"]), default="WARN", show_default=True,
              help="List findings of this level and above.")
@_handle_errors
def check(release: str | None, fmt: str, show: str) -> None:
    """Run the quality gate (ROBOT report checks as SPARQL); exit 1 on any ERROR.

    \b
    Example:
      gerokg check --release build/gerokg-full.nt --format tsv
    """
    import json as _json

    from gerokg.check import LEVELS, run_checks

    report = run_checks(_release_store(release))
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

    from gerokg.rdfio import compact_iri, serialize_graph
    from gerokg.reason import reason as run_reasoner

    progress = _progress(ctx)
    if progress:
        progress("running HermiT (owlready2) on the release" + (f" and {len(files)} file(s)" if files else ""))
    result = run_reasoner(extra=files)
    if not result.consistent:
        click.echo(result.explanation, err=True)
        sys.exit(EXIT_VIOLATIONS)
    rows = sorted(
        (compact_iri(c), sorted(compact_iri(p) for p in parents))
        for c, parents in result.inferred.items()
        if not only_native or "GEROKG_" in c or any("GEROKG_" in p for p in parents)
    )
    if fmt == "json":
        click.echo(_json.dumps({"consistent": True, "unsatisfiable": [compact_iri(u) for u in result.unsatisfiable],
                                "inferred_superclasses": dict(rows)}, indent=1))
    elif fmt == "turtle":
        click.echo(serialize_graph(result.graph, "turtle").decode())
    else:
        click.echo(f"consistent: yes; unsatisfiable classes: {len(result.unsatisfiable)}")
        for u in result.unsatisfiable:
            click.echo(f"  unsatisfiable: {compact_iri(u)}")
        for cls, parents in rows:
            click.echo(f"{cls}\t{', '.join(parents)}")
    if result.unsatisfiable:
        sys.exit(EXIT_VIOLATIONS)


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True,
              help="text: grouped by focus node; json or turtle (the SHACL report graph) for machines.")
@click.option("--no-release", is_flag=True, help="Validate FILES alone, without merging the release.")
@click.option("--allow-remote-context", is_flag=True, help="Let JSON-LD input fetch remote @context documents.")
@_handle_errors
def validate_cmd(files: tuple[str, ...], fmt: str, no_release: bool, allow_remote_context: bool) -> None:
    """Validate the release, or your own RDF files merged with it, against gerokg's SHACL shapes.

    Exit code 0: conforms; 1: violations; 2: unreadable input (file and line named).

    \b
    Example:
      gerokg validate my-claims.ttl --format json
    """
    from gerokg.validate import validate

    report = validate(list(files) or None, with_release=not no_release, allow_remote_context=allow_remote_context)
    if fmt == "json":
        click.echo(report.json())
    elif fmt == "turtle":
        click.echo(report.turtle(), nl=False)
    else:
        click.echo(report.text())
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)
