"""Smoke tests for tests/servers.py: real Oxigraph and Virtuoso servers on 127.0.0.1."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from servers import (
    SparqlServer,
    gsp_put,
    oxigraph_available,
    oxigraph_server,
    select_bindings,
    virtuoso_available,
    virtuoso_server,
)

pytestmark = pytest.mark.server

EX = "https://example.org/gerokg-smoke/"
SMALL = (
    f'<{EX}s> <{EX}label> "rapamycin"@en .\n'
    f'<{EX}s> <{EX}count> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
).encode()


def _process_alive(pid: int) -> bool:
    """Whether ``ps`` still lists ``pid`` (as anything but a zombie)."""
    result = subprocess.run(
        ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True, check=False
    )
    state = result.stdout.strip()
    return bool(state) and not state.startswith("Z")


def _server_pids(name: str, tmp_path: Path) -> list[int]:
    """PIDs of processes whose command line mentions ``name`` and ``tmp_path``."""
    result = subprocess.run(["ps", "-eww", "-o", "pid=,args="], capture_output=True, text=True, check=True)
    pids = []
    for line in result.stdout.splitlines():
        pid, _, args = line.strip().partition(" ")
        if name in args and str(tmp_path) in args:
            pids.append(int(pid))
    return [pid for pid in pids if _process_alive(pid)]


def _check_small_roundtrip(server: SparqlServer) -> None:
    """PUT two triples through the GSP endpoint and read them back with SELECT."""
    assert server.query_url.startswith("http://127.0.0.1:")
    assert server.gsp_url.startswith("http://127.0.0.1:")
    assert gsp_put(server, SMALL) in (200, 201, 204)
    rows = select_bindings(server, f"SELECT ?p ?o WHERE {{ <{EX}s> ?p ?o }} ORDER BY ?p")
    values = {row["p"]["value"]: row["o"] for row in rows}
    assert values[f"{EX}label"]["value"] == "rapamycin"
    assert values[f"{EX}label"]["xml:lang"] == "en"
    assert values[f"{EX}count"]["value"] == "42"
    assert values[f"{EX}count"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_oxigraph_roundtrip(tmp_path: Path) -> None:
    reason = oxigraph_available()
    if reason:
        pytest.skip(reason)
    with oxigraph_server(tmp_path) as server:
        assert server.name == "oxigraph"
        assert server.graph is None and server.auth is None
        _check_small_roundtrip(server)
        assert _server_pids("oxigraph", tmp_path)
    assert not _server_pids("oxigraph", tmp_path)


def test_virtuoso_roundtrip_union_default_graph_and_no_truncation(tmp_path: Path) -> None:
    reason = virtuoso_available()
    if reason:
        pytest.skip(reason)
    with virtuoso_server(tmp_path) as server:
        assert server.name == "virtuoso"
        assert server.graph == "https://w3id.org/gerokg/release"
        assert server.user == "dba" and server.password and server.auth == "digest"
        # The triples go into the named graph, yet a query without FROM sees them.
        _check_small_roundtrip(server)
        graphs = select_bindings(server, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{EX}s> ?p ?o }} }}")
        assert [row["g"]["value"] for row in graphs] == [server.graph]

        # More than the stock ResultSetMaxRows (10000) rows come back in full.
        many = "".join(f"<{EX}n{i}> <{EX}index> \"{i}\" .\n" for i in range(12000)).encode("utf-8")
        assert gsp_put(server, many) in (200, 201, 204)
        rows = select_bindings(server, f"SELECT ?s WHERE {{ ?s <{EX}index> ?o }}")
        assert len(rows) == 12000
        assert _server_pids("virtuoso-t", tmp_path)
    assert not _server_pids("virtuoso-t", tmp_path)
