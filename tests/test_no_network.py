"""No network from parsing or querying: a trap server on 127.0.0.1 must receive no request."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gerokg.errors import RdfParseError
from gerokg.rdf.rdfio import parse_rdf_file


@pytest.fixture()
def trap():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            body = b'{"@context": {}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_xml_external_entity_is_refused_without_fetching(trap, tmp_path: Path) -> None:
    url, hits = trap
    f = tmp_path / "xxe.owl"
    f.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY ext SYSTEM "{url}/secret">]>\n'
                 '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                 'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
                 '<rdf:Description rdf:about="http://example.org/x"><rdfs:label>&ext;</rdfs:label>'
                 '</rdf:Description></rdf:RDF>')
    with pytest.raises(RdfParseError, match="DTD or entities"):
        parse_rdf_file(f)
    assert hits == []


def test_remote_jsonld_context_is_not_fetched(trap, tmp_path: Path) -> None:
    url, hits = trap
    f = tmp_path / "remote.jsonld"
    f.write_text(json.dumps({"@context": f"{url}/context.jsonld", "@id": "http://example.org/x",
                             "http://www.w3.org/2000/01/rdf-schema#label": "x"}))
    with pytest.raises(RdfParseError, match="remote JSON-LD @context"):
        parse_rdf_file(f)
    nested = tmp_path / "nested.jsonld"
    nested.write_text(json.dumps({"@context": {"@import": f"{url}/ctx"}, "@id": "http://example.org/x"}))
    with pytest.raises(RdfParseError, match="remote JSON-LD @context"):
        parse_rdf_file(nested)
    assert hits == []


def test_owl_imports_are_not_followed(trap, tmp_path: Path) -> None:
    from gerokg.checks.validate import validate

    url, hits = trap
    f = tmp_path / "imports.ttl"
    f.write_text(f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                 f"    <http://www.w3.org/2002/07/owl#imports> <{url}/other.owl> .\n")
    validate(f, with_release=False)
    assert hits == []


@pytest.mark.java
def test_reasoner_does_not_follow_imports(trap, tmp_path: Path) -> None:
    from gerokg.release.reason import reason

    url, hits = trap
    f = tmp_path / "imports.ttl"
    f.write_text(f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                 f"    <http://www.w3.org/2002/07/owl#imports> <{url}/other.owl> .\n")
    assert reason(extra=[f]).consistent
    assert hits == []


@pytest.mark.server
def test_endpoint_refuses_service_and_load(trap, release: Path) -> None:
    from gerokg.serving.server import EndpointConfig, start_server

    url, hits = trap
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    handle = start_server(EndpointConfig(port=0, timeout=5, workers=1), release=release / "gerokg-full.nt")
    try:
        for text in (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
                     f"select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
                     f"LOAD <{url}/data.ttl>"):
            req = urllib.request.Request(f"{handle.url}/sparql", data=urllib.parse.urlencode({"query": text}).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            with pytest.raises(urllib.error.HTTPError) as err:
                opener.open(req, timeout=30)
            assert err.value.code in (400, 403)
    finally:
        handle.stop()
    assert hits == []
