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
