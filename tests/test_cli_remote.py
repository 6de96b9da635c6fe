"""The CLI on a remote endpoint gives what it gives on the embedded store: a CONSTRUCT query
through ``gerokg query NAME --endpoint URL`` against a real Oxigraph server prints the same
triples, with exit code 0 (the remote answer is read into the same Python types)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from gerokg.artefacts.publish import publish_release
from gerokg.cli import main
from gerokg.querying.canned import run_query
from gerokg.querying.remote import run_remote_query

from servers import oxigraph_available, oxigraph_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph(release: Path, tmp_path_factory: pytest.TempPathFactory):
    reason = oxigraph_available()
    if reason:
        pytest.skip(reason)
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-cli")) as server:
        assert publish_release(server.gsp_url, release / "gerokg-full.nt", graph=server.graph) in (200, 201, 204)
        yield server


def test_construct_on_an_endpoint_has_the_embedded_types(oxigraph, store) -> None:
    remote = run_remote_query("construct-claim-edges", oxigraph.query_url)
    local = run_query("construct-claim-edges", store)
    assert remote.triples and all(isinstance(x, (ox.NamedNode, ox.BlankNode, ox.Literal)) for t in remote.triples for x in t)
    assert sorted(map(str, map(lambda t: ox.Triple(*t), remote.triples))) == sorted(
        str(ox.Triple(*t)) for t in local.triples)


@pytest.mark.parametrize("fmt", ["turtle", "table"])  # a graph prints as Turtle
def test_cli_construct_on_an_endpoint(oxigraph, store, fmt: str) -> None:
    result = CliRunner().invoke(main, ["query", "construct-claim-edges", "--endpoint", oxigraph.query_url,
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    local = {str(ox.Triple(*t)) for t in run_query("construct-claim-edges", store).triples}
    printed = {str(t) for t in ox.parse(result.stdout.encode("utf-8"),
                                        format=ox.RdfFormat.TURTLE)}
    assert printed == local
