"""``gerokg mcp``: started as a subprocess and driven with the MCP SDK's own client (stdio_client
and ClientSession; streamable_http_client for ``--http``). Every call is bounded by a timeout and
the servers are stopped afterwards.

Claims may be re-curated (ids and counts change), so the answers are compared with what the same
canned queries answer in process, and only a few stable facts are pinned (CHEBI:9168 is
sirolimus; everolimus is a gerosuppressant through a restriction and a definition).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

mcp = pytest.importorskip("mcp")

from mcp import StdioServerParameters  # noqa: E402
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

import gerokg  # noqa: E402
from gerokg.querying.canned import list_queries  # noqa: E402

pytestmark = pytest.mark.server

CALL_TIMEOUT = 120  # seconds for one call (the first explain builds the release graph)
CARD_FIELDS = ("id", "curie", "subject", "predicate", "object", "polarity", "kind", "hedge", "quote", "references")
TOOLS = {"search_terms", "term_card", "term_dossier", "get_claim", "run_query", "why_classified", "explain_chain",
         "open_questions", "tensions"}


class McpClient:
    """A ``gerokg mcp`` subprocess and an SDK client session to it, on an event loop in a thread."""

    def __init__(self, *args: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.stop_event: asyncio.Event | None = None
        self.session: ClientSession | None = None
        self.ready = threading.Event()
        self.failure: BaseException | None = None
        self.holder = asyncio.run_coroutine_threadsafe(self._hold(args), self.loop)
        if not self.ready.wait(240):
            self.close()
            raise TimeoutError("gerokg mcp did not answer initialize within 240 s")
        if self.failure is not None:
            self.close()
            raise self.failure

    async def _hold(self, args: tuple[str, ...]) -> None:
        """Open the transport and the session, keep them until close(), then stop the server."""
        self.stop_event = asyncio.Event()
        params = StdioServerParameters(command=sys.executable, args=["-m", "gerokg", "-q", "mcp", *args])
        try:
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                await asyncio.wait_for(session.initialize(), 180)
                self.session = session
                self.ready.set()
                await self.stop_event.wait()
        except BaseException as exc:  # noqa: BLE001 - reported to the constructor
            self.failure = exc
            self.ready.set()

    def run(self, coro: Any, timeout: float = CALL_TIMEOUT) -> Any:
        return asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, timeout), self.loop).result(timeout + 5)

    def call(self, name: str, args: dict[str, Any] | None = None) -> Any:
        assert self.session is not None
        return self.run(self.session.call_tool(name, args or {}))

    def ok(self, name: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        res = self.call(name, args)
        assert not res.is_error, res.content[0].text if res.content else res
        assert res.structured_content is not None
        # the text content is the same answer, as JSON
        assert json.loads(res.content[0].text) == res.structured_content
        return res.structured_content

    def error(self, name: str, args: dict[str, Any] | None = None) -> str:
        res = self.call(name, args)
        assert res.is_error, res
        return res.content[0].text

    def close(self) -> None:
        if self.stop_event is not None:
            self.loop.call_soon_threadsafe(self.stop_event.set)
        with contextlib.suppress(Exception):
            self.holder.result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def client() -> Iterator[McpClient]:
    c = McpClient()
    yield c
    c.close()


def assert_card(card: dict[str, Any]) -> None:
    """A claim card: id, statement, epistemic status, verbatim quote and references."""
    for key in CARD_FIELDS:
        assert key in card, (key, card)
    assert re.fullmatch(r"C\d{4,}", card["id"]) and card["curie"] == "gkc:" + card["id"]
    assert card["quote"].strip() and card["kind"] and card["polarity"] in ("affirmed", "negated")
    assert card["subject"]["curie"] and card["object"]["curie"]
    assert isinstance(card["references"], str)


def ids_in_process(name: str, **params: Any) -> list[str]:
    return sorted({r["claim"].curie for r in gerokg.query(name, **params).rows})


# --------------------------------------------------------------------------------------------


def test_tools_are_listed_with_typed_schemas(client: McpClient) -> None:
    assert client.session is not None
    tools = {t.name: t for t in client.run(client.session.list_tools()).tools}
    assert set(tools) == TOOLS  # no sparql tool unless --allow-sparql
    for t in tools.values():
        assert t.description and t.input_schema["type"] == "object"
        assert t.input_schema.get("additionalProperties") is False
        assert t.annotations is not None and t.annotations.read_only_hint is True
    assert tools["term_card"].input_schema["required"] == ["term"]
    assert tools["search_terms"].input_schema["properties"]["limit"]["type"] == "integer"
    schema = tools["run_query"].input_schema
    assert schema["required"] == ["name"] and "oneOf" not in schema
    assert schema["properties"]["name"]["enum"] == [q.name for q in list_queries()]
    assert "claims-citing-reference (ref: integer = 110)" in schema["properties"]["name"]["description"]
    params = schema["properties"]["params"]["properties"]
    declared = {p.name: p for q in list_queries() for p in q.params}
    assert set(params) == set(declared)
    assert params["ref"]["type"] == "integer" and params["ref"]["default"] == 110
    assert "catalogue type: integer" in params["ref"]["description"] and "claims-citing-reference" in params["ref"]["description"]
    assert params["term"]["type"] == "string" and "catalogue type: term" in params["term"]["description"]
    assert params["section"]["format"] == "iri"


def test_term_card_of_rapamune(client: McpClient) -> None:
    card = client.ok("term_card", {"term": "Rapamune"})
    assert card["curie"] == "CHEBI:9168" and card["label"] == "sirolimus"
    assert {"text": "rapamycin", "scope": "exact"} in card["synonyms"]
    assert card["inferences_included"] is False
    assert card["claims"] and card["claim_count"] == len(card["claims"])
    for c in card["claims"]:
        assert_card(c)
    assert sorted({c["curie"] for c in card["claims"]}) == ids_in_process("term-dossier", term="CHEBI:9168")


def test_dossier_has_claim_ids_and_quotes(client: McpClient) -> None:
    out = client.ok("term_dossier", {"term": "geroconversion"})
    assert out["term"]["label"] == "geroconversion" and out["claim_cards"] is True
    assert out["rows"] and out["count"] == len(out["rows"]) and out["truncated"] is False
    for row in out["rows"]:
        assert row["role"] in ("subject", "object", "population", "organism", "comparator")
        assert_card(row["card"])
    assert sorted({r["card"]["curie"] for r in out["rows"]}) == ids_in_process("term-dossier", term=out["term"]["curie"])
    # its accelerators and decelerators come in through the classes that regulate it
    assert any(r["via"] for r in out["rows"])


def test_gerosuppressants_with_claim_ids_and_quotes(client: McpClient) -> None:
    out = client.ok("run_query", {"name": "gerosuppressants"})
    assert out["rows"] and out["claim_cards"] is True
    for row in out["rows"]:
        assert_card(row["card"])
    assert {"sirolimus", "everolimus"} <= {r["drugLabel"] for r in out["rows"]}
    assert sorted({r["card"]["curie"] for r in out["rows"]}) == ids_in_process("gerosuppressants")
    # gerosuppressant is a role (GEROKG:0000310) asserted on the drug the review calls one: its dossier
    # holds that claim; the obsolete defined class (GEROKG:0000051) has no claim, and the answer says where to look
    dossier = client.ok("term_dossier", {"term": "gerosuppressant"})
    assert dossier["term"]["curie"] == "GEROKG:0000310" and dossier["inferences_included"] is False
    assert [r["card"]["curie"] for r in dossier["rows"]] == ["gkc:C0290"] and "note" not in dossier
    card = dossier["rows"][0]["card"]
    assert (card["subject"]["curie"], card["object"]["curie"]) == ("CHEBI:9168", "GEROKG:0000310")
    obsolete = client.ok("term_dossier", {"term": "GEROKG:0000051"})
    assert obsolete["rows"] == [] and "--inferred" in obsolete["note"] and "gerosuppressants" in obsolete["note"]


def test_get_claim_gives_the_stored_quote(client: McpClient) -> None:
    stored = gerokg.sparql("SELECT ?q WHERE { gkc:C0197 gks:quote ?q }").column("q")
    assert len(stored) == 1
    out = client.ok("get_claim", {"claim_id": "C0197"})
    assert_card(out["claim"])
    assert out["claim"]["id"] == "C0197" and out["claim"]["quote"] == stored[0]
    assert client.ok("get_claim", {"claim_id": "gkc:C0197"})["claim"] == out["claim"]
    assert "parameter 'claim_id'" in client.error("get_claim", {"claim_id": "X12; DROP"})
    assert "no claim C9999" in client.error("get_claim", {"claim_id": "C9999"})


def test_run_query_typed_parameters(client: McpClient) -> None:
    out = client.ok("run_query", {"name": "claims-citing-reference", "params": {"ref": 110}})
    assert out["parameters"] == {"ref": 110} and out["rows"]
    for row in out["rows"]:
        assert_card(row["card"])
        assert "110" in row["card"]["references"].split(", ")
    assert sorted({r["card"]["curie"] for r in out["rows"]}) == ids_in_process("claims-citing-reference", ref=110)
    # the query's own columns beside the card
    events = client.ok("run_query", {"name": "regulatory-events"})
    assert [(r["year"], r["drugLabel"], r["card"]["curie"]) for r in events["rows"]] == [
        (r["year"], r["drugLabel"], r["claim"].curie) for r in gerokg.query("regulatory-events").rows]
    # a query that returns no claims: rows of plain values (IRIs as CURIEs)
    kinds = client.ok("run_query", {"name": "claims-by-kind"})
    assert kinds["claim_cards"] is False and "card" not in kinds["rows"][0]
    expected = gerokg.query("claims-by-kind")
    assert kinds["columns"] == expected.variables and len(kinds["rows"]) == len(expected.rows)
    # a row that is a chain of claims: the cards of every claim the rows name come with it
    chains = client.ok("run_query", {"name": "mechanism-chains", "params": {"start": "rapamycin"}})
    named = {r[k] for r in chains["rows"] for k in ("claim1", "claim2", "claim3") if r[k]}
    assert named and named == {c["curie"] for c in chains["claims"]}
    for c in chains["claims"]:
        assert_card(c)
    # CONSTRUCT: Turtle
    edges = client.ok("run_query", {"name": "construct-claim-edges"})
    from rdflib import Graph

    assert edges["form"] == "CONSTRUCT" and edges["truncated"] is False
    assert len(Graph().parse(data=edges["turtle"], format="turtle")) == len(gerokg.query("construct-claim-edges").triples)
    # a term parameter named by a label, read by the one resolver
    mice = client.ok("run_query", {"name": "quantitative-findings", "params": {"organism": "Mus musculus"}})
    assert mice["parameters"] == {"organism": "NCBITaxon:10090"}
    assert sorted({r["card"]["curie"] for r in mice["rows"]}) == ids_in_process("quantitative-findings", organism="NCBITaxon:10090")


def test_run_query_bad_arguments_are_tool_errors_naming_the_parameter(client: McpClient) -> None:
    msg = client.error("run_query", {"name": "claims-citing-reference", "params": {"ref": "abc"}})
    assert "parameter 'ref' takes an integer" in msg
    msg = client.error("run_query", {"name": "claims-citing-reference", "params": {"reference": 3}})
    assert "no parameter 'reference'" in msg
    msg = client.error("run_query", {"name": "term-dossier", "params": {"term": "no such drug at all"}})
    assert "'term'" in msg and "no such drug at all" in msg
    msg = client.error("run_query", {"name": "term-dossier", "params": {"term": "<http://x> } DROP ALL"}})
    assert "'term'" in msg
    assert "no canned query named 'gerosupressants'" in client.error("run_query", {"name": "gerosupressants"})
    # arguments that do not fit the schema at all
    assert "name" in client.error("run_query", {"params": {"ref": 1}})
    # the server is still answering
    assert client.ok("run_query", {"name": "claims-citing-reference"})["parameters"] == {"ref": 110}


def test_unknown_tool_and_bad_arguments(client: McpClient) -> None:
    assert "Unknown tool: sparql" in client.error("sparql", {"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert "Unknown tool: drop_everything" in client.error("drop_everything", {})
    assert "term" in client.error("term_card", {})
    msg = client.error("term_card", {"term": "sirolimus", "format": "xml"})
    assert "format" in msg and "Extra inputs are not permitted" in msg
    assert "limit" in client.error("search_terms", {"text": "mTOR", "limit": 0})
    msg = client.error("term_card", {"term": "rapamicyn"})
    assert "parameter 'term'" in msg and "'rapamicyn'" in msg and "CHEBI:9168 (rapamycin)" in msg


def test_why_everolimus_is_a_rapalog(client: McpClient) -> None:
    out = client.ok("why_classified", {"term": "everolimus", "superclass": "rapalog"})
    assert out["justified"] is True and out["term"]["curie"] == "CHEBI:68478"
    assert [s["kind"] for s in out["steps"]] == ["is_a"]
    assert [c["curie"] for c in out["claims"]] == ["gkc:C0002"]
    for c in out["claims"]:
        assert_card(c)
    cited = {c for s in out["steps"] for c in s["claims"]}
    assert cited == {c["curie"] for c in out["claims"]}
    expected = gerokg.why("everolimus", "rapalog")
    assert expected is not None and out["text"] == expected.text()
    # the review never calls everolimus a gerosuppressant: the role is asserted on sirolimus only
    assert client.ok("why_classified", {"term": "everolimus", "superclass": "gerosuppressant"})["justified"] is False
    msg = client.error("why_classified", {"term": "everolimus"})
    assert "superclass" in msg and "Field required" in msg
    msg = client.error("why_classified", {"term": "everolimus", "superclass": "no such class"})
    assert "parameter 'superclass'" in msg and "'no such class'" in msg


def test_explain_caloric_restriction_and_ageing(client: McpClient) -> None:
    out = client.ok("explain_chain", {"subject": "caloric restriction", "object": "GEROKG:0000007"})
    assert out["subject"]["curie"] == "GEROKG:0000071" and out["chains"]
    expected = gerokg.explain("GEROKG:0000071", "GEROKG:0000007")
    assert [c["effect"] for c in out["chains"]] == [c.effect_text for c in expected[:10]]
    cited = {s["claim"] for c in out["chains"] for s in c["steps"] if s["claim"]}
    assert cited and cited == {c["curie"] for c in out["claims"]}
    for c in out["claims"]:
        assert_card(c)
        assert c["polarity"] == "affirmed" and c["kind"] != "open question claim"


def test_open_questions_and_tensions(client: McpClient) -> None:
    out = client.ok("open_questions")
    assert out["rows"] and out["query"] == "open-questions"
    for row in out["rows"]:
        assert_card(row["card"])
        assert row["card"]["kind"] == "open question claim"
    assert sorted({r["card"]["curie"] for r in out["rows"]}) == ids_in_process("open-questions")
    pairs = client.ok("tensions")
    assert pairs["rows"] and pairs["query"] == "evidence-for-and-against"
    for row in pairs["rows"]:
        assert_card(row["card"])
        assert row["relation"] and re.fullmatch(r"gkc:C\d{4,}", row["otherClaim"]) and row["otherQuote"]
    some = client.ok("tensions", {"term": "everolimus"})
    assert some["parameters"] == {"term": "CHEBI:68478"}
    assert {r["card"]["curie"] for r in some["rows"]} <= {r["card"]["curie"] for r in pairs["rows"]}


def test_search_terms(client: McpClient) -> None:
    out = client.ok("search_terms", {"text": "rapamycin"})
    assert out["resolved"] == {"curie": "CHEBI:9168", "label": "sirolimus"}
    assert out["terms"][0]["curie"] == "CHEBI:9168" and out["terms"][0]["matched"] == "rapamycin"
    assert out["claims_quoting_text"]
    for c in out["claims_quoting_text"]:
        assert_card(c)
        assert "rapamycin" in c["quote"].lower()
    typo = client.ok("search_terms", {"text": "rapamicyn"})
    assert typo["resolved"] is None and "rapamicyn" in typo["note"]
    assert typo["terms"][0]["curie"] == "CHEBI:9168" and typo["terms"][0]["match"] == "spelled alike"


def test_resources_and_prompt(client: McpClient) -> None:
    from gerokg.resources import ontology_dir

    s = client.session
    assert s is not None
    uris = {str(r.uri) for r in client.run(s.list_resources()).resources}
    expected = {"gerokg://queries", "gerokg://catalogue.ttl", "gerokg://void.ttl"}
    if (ontology_dir() / "MODELLING.md").is_file():
        expected.add("gerokg://modelling-guide")
    assert uris == expected
    catalogue = json.loads(client.run(s.read_resource("gerokg://queries")).contents[0].text)
    assert [q["name"] for q in catalogue] == [q.name for q in list_queries()]
    ref = next(q for q in catalogue if q["name"] == "claims-citing-reference")["params"][0]
    assert (ref["name"], ref["type"], ref["default"]) == ("ref", "integer", 110)
    ttl = client.run(s.read_resource("gerokg://catalogue.ttl")).contents[0].text
    assert "sh:SPARQLSelectExecutable" in ttl
    void = client.run(s.read_resource("gerokg://void.ttl")).contents[0].text
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, VOID

    g = Graph().parse(data=void, format="turtle")
    dataset = URIRef("https://w3id.org/gerokg/")  # the one VoID, the endpoint's (/.well-known/void)
    assert (dataset, RDF.type, VOID.Dataset) in g and int(g.value(dataset, VOID.triples)) > 9000
    prompts = client.run(s.list_prompts()).prompts
    assert [p.name for p in prompts] == ["cite_claims"]
    text = client.run(s.get_prompt("cite_claims", {"question": "Is everolimus a gerosuppressant?"})).messages[0].content.text
    assert "Is everolimus a gerosuppressant?" in text and "[C0197]" in text and "hedge" in text


def test_allow_sparql_uses_the_sandboxed_workers() -> None:
    c = McpClient("--allow-sparql", "--max-rows", "3", "--timeout", "5")
    try:
        assert c.session is not None
        assert "sparql" in {t.name for t in c.run(c.session.list_tools()).tools}
        out = c.ok("sparql", {"query": "SELECT ?l WHERE { CHEBI:9168 rdfs:label ?l }"})
        assert out["rows"] == [{"l": "sirolimus"}] and out["inferences_included"] is False
        many = c.ok("sparql", {"query": "SELECT ?s WHERE { ?s ?p ?o }"})
        assert many["count"] == 3 and many["truncated"] is True  # the endpoint's row limit
        quoted = c.ok("sparql", {"query": "SELECT ?c ?q WHERE { ?c a gks:Claim ; gks:quote ?q } ORDER BY ?c"})
        assert [card["curie"] for card in quoted["claims"]] == [r["c"] for r in quoted["rows"]]
        assert [card["quote"] for card in quoted["claims"]] == [r["q"] for r in quoted["rows"]]
        assert "SERVICE" in c.error("sparql", {"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"})
        assert "read-only" in c.error("sparql", {"query": "INSERT DATA { <http://x> <http://y> <http://z> }"}).lower() \
            or "update" in c.error("sparql", {"query": "INSERT DATA { <http://x> <http://y> <http://z> }"}).lower()
        assert "syntax" in c.error("sparql", {"query": "SELECT ?x WHERE { ?x"}).lower()
        assert c.ok("sparql", {"query": "ASK { CHEBI:9168 ?p ?o }"})["boolean"] is True
        # the endpoint's timeout stops a runaway query, its worker is replaced, and the server goes on
        msg = c.error("sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"})
        assert "longer than 5 s" in msg
        assert c.ok("sparql", {"query": "SELECT ?l WHERE { CHEBI:9168 rdfs:label ?l }"})["rows"] == [{"l": "sirolimus"}]
    finally:
        c.close()


def test_streamable_http_on_localhost() -> None:
    import queue

    from mcp.client.streamable_http import streamable_http_client

    proc = subprocess.Popen([sys.executable, "-m", "gerokg", "-q", "mcp", "--http", "--port", "0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
    try:
        url = None
        deadline = time.monotonic() + 180
        while url is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert proc.poll() is None, f"gerokg mcp --http exited with {proc.returncode}"
                continue
            m = re.search(r"on (http://127\.0\.0\.1:\d+/mcp) ", line)
            url = m.group(1) if m else None
        assert url is not None, "no announcement of the address"

        async def drive() -> tuple[set[str], dict[str, Any]]:
            async with streamable_http_client(url) as (read, write, *_), ClientSession(read, write) as session:
                await session.initialize()
                names = {t.name for t in (await session.list_tools()).tools}
                res = await session.call_tool("term_card", {"term": "CHEBI:9168"})
                return names, res.structured_content or {}

        names, card = asyncio.run(asyncio.wait_for(drive(), 120))
        assert names == TOOLS and card["label"] == "sirolimus"
        # DNS rebinding: a request naming another host or coming from a web page elsewhere is refused
        import http.client
        import urllib.parse

        where = urllib.parse.urlsplit(url)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"})
        for headers, status in (({"Host": "attacker.example"}, 421),
                                ({"Origin": "http://attacker.example"}, 403)):
            conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
            conn.request("POST", where.path, body, {"Content-Type": "application/json",
                                                    "Accept": "application/json, text/event-stream", **headers})
            assert conn.getresponse().status == status, headers
            conn.close()
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_stop_leaves_no_temporary_store(tmp_path: Any) -> None:
    """Closing stdio, or SIGTERM, ends the workers and removes the temporary store."""
    import os

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    for stop in ("stdin", "sigterm"):
        proc = subprocess.Popen([sys.executable, "-m", "gerokg", "-q", "mcp"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            assert proc.stdin is not None and proc.stdout is not None
            init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}}
            proc.stdin.write((json.dumps(init) + "\n").encode())
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())
            assert answer["id"] == 1 and answer["result"]["serverInfo"]["name"] == "gerokg"
            made = list(tmp_path.glob("gerokg-store-*"))
            if stop == "stdin":
                proc.stdin.close()
            else:
                proc.terminate()
            assert proc.wait(60) == 0
            assert len(made) == 1 and not made[0].exists(), stop
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


def test_http_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "gerokg", "-q", "mcp", "--http", "--port", str(port)],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and res.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in res.stderr and "Traceback" not in res.stderr


def test_modelling_guide_is_a_resource_when_the_package_has_it(tmp_path: Any, monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from gerokg.serving import mcp_server

    guide = tmp_path / "MODELLING.md"
    guide.write_text("# Modelling guide\n\nA claim says what its sentence says, no more.\n", encoding="utf-8")
    monkeypatch.setattr(mcp_server, "modelling_guide", lambda: guide)
    server = mcp_server.build_server(SimpleNamespace(triples=1))  # type: ignore[arg-type]
    uris = {str(r.uri) for r in asyncio.run(server.list_resources())}
    assert "gerokg://modelling-guide" in uris
    contents = list(asyncio.run(server.read_resource("gerokg://modelling-guide")))
    assert contents[0].content == guide.read_text(encoding="utf-8")
    monkeypatch.setattr(mcp_server, "modelling_guide", lambda: None)
    server = mcp_server.build_server(SimpleNamespace(triples=1))  # type: ignore[arg-type]
    assert "gerokg://modelling-guide" not in {str(r.uri) for r in asyncio.run(server.list_resources())}


@pytest.mark.java
def test_inferred_material_entity_dossier() -> None:
    """With --inferred the dossier of material entity holds the claims about the drugs the reasoner
    places under it (through the domains of the relations their claims use), and every answer says
    the inferences are included."""
    from gerokg.release.reason import java_version
    from gerokg.release.store import open_store

    if java_version() is None:
        pytest.skip("no Java runtime: HermiT cannot run")
    c = McpClient("--inferred")
    try:
        out = c.ok("term_dossier", {"term": "material entity"})
        assert out["term"]["curie"] == "BFO:0000040"
        assert out["inferences_included"] is True and out["rows"] and "note" not in out
        for row in out["rows"]:
            assert_card(row["card"])
        vias = {row["viaLabel"] for row in out["rows"]}
        assert {"sirolimus", "everolimus"} <= vias
        expected = gerokg.query("term-dossier", store=open_store(inferred=True), term="BFO:0000040")
        assert expected.inferred is True
        assert sorted({r["card"]["curie"] for r in out["rows"]}) == sorted({r["claim"].curie for r in expected.rows})
        asserted = gerokg.query("term-dossier", term="BFO:0000040")
        assert {r["claim"].curie for r in asserted.rows} < {r["claim"].curie for r in expected.rows}
        assert c.ok("term_card", {"term": "everolimus"})["inferences_included"] is True
    finally:
        c.close()


def test_a_store_in_use_is_a_usage_error(tmp_path: Any) -> None:
    """--store keeps the store on disk and locks it: a second server on the same folder is refused."""
    store = tmp_path / "store"
    first = McpClient("--store", str(store))
    try:
        assert first.ok("get_claim", {"claim_id": "C0197"})["claim"]["id"] == "C0197"
        res = subprocess.run([sys.executable, "-m", "gerokg", "-q", "mcp", "--store", str(store)],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        assert res.returncode == 2 and res.stdout == ""
        assert "store in use by another gerokg process" in res.stderr and "Traceback" not in res.stderr
    finally:
        first.close()
    assert store.is_dir()  # kept for the next start
