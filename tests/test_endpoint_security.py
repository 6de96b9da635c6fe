"""The endpoint under attack: outbound requests, HTTP framing, slow clients, resource bombs.

Every server here is started by the test on 127.0.0.1 with small limits, every loop is bounded,
and every server is stopped afterwards. The trap is a TCP listener on 127.0.0.1 that counts every
connection made to it (and answers like a SPARQL endpoint, so a SERVICE call would succeed).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.server

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Trap:
    """Counts TCP connections; answers each request with an empty SPARQL JSON result."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.hits = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _run(self) -> None:
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"TRAPPED"}}]}}'
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def trap() -> Iterator[Trap]:
    t = Trap()
    yield t
    t.close()


@pytest.fixture(scope="module")
def endpoint(release: Path) -> Iterator[Any]:
    from gerokg.serving.server import EndpointConfig, start_server

    cfg = EndpointConfig(port=0, timeout=20, workers=2, max_query_memory_mb=256, head_timeout=1.0,
                         max_query_depth=64, max_query_length=50_000)
    handle = start_server(cfg, release=release / "gerokg-full.nt")
    yield handle
    handle.stop()


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def raw(handle: Any, data: bytes, wait: float = 5.0) -> bytes:
    """Send raw bytes on a new connection; everything the server answers until it closes."""
    host, port = urllib.parse.urlsplit(handle.url).hostname, urllib.parse.urlsplit(handle.url).port
    out = b""
    with socket.create_connection((host, port), timeout=wait) as s:
        s.sendall(data)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
    return out


def statuses(answer: bytes) -> list[int]:
    """The status of every response in ``answer`` (a response may follow a body directly)."""
    return [int(code) for code in re.findall(rb"HTTP/1\.[01] (\d{3}) ", answer)]


# --------------------------------------------------------------------------------------------
# No outbound request, whatever the text
# --------------------------------------------------------------------------------------------


def ssrf_corpus(target: str) -> list[str]:
    """SERVICE and LOAD aimed at ``target``, hidden every way the issue's attacker tried and more."""
    group = "{ ?x ?y ?z }"
    services = [f"SERVICE <{target}/sparql> {group}", f"service silent <{target}/x> {group}",
                f"SeRvIcE <{target}/x> {group}", f"SERVICE\n#comment }}\n<{target}/x> {group}",
                f"SERVICE t:x {group}", f"SERVICE <x> {group}", f"SERVICE ?ep {group} VALUES ?ep {{ <{target}/v> }}"]
    prologue = f"PREFIX ex: <http://e/>\nPREFIX t: <{target}/>\nBASE <{target}/>\n"
    hiders = [
        "SELECT ?x WHERE {{ {s} }}",
        "SELECT ?x WHERE {{ OPTIONAL {{ ?s ex:a\\# ?o }} {s} }}",
        "SELECT ?x WHERE {{ OPTIONAL {{ ?s ex:a\\' ?o }} {s} }}",
        "SELECT ?x WHERE {{ ?s <http://e/\\u0041#> ?o {s} }}",
        "SELECT ?x WHERE {{ ?s ex:p \"# not a comment }}\" . {s} }}",
        "SELECT ?x WHERE {{ ?s ex:p '''\n}}\n''' . {s} }}",
        "SELECT ?x WHERE {{ {{ SELECT ?x WHERE {{ {s} }} }} }}",
        "SELECT ?x WHERE {{ ?s ?p ?o FILTER EXISTS {{ {s} }} }}",
        "SELECT ?x WHERE {{ ?s ?p ?o MINUS {{ {s} }} }}",
        "SELECT ?x WHERE {{ {{ ?s ?p ?o }} UNION {{ {s} }} }}",
        "SELECT ?x WHERE {{ GRAPH ?g {{ {s} }} }}",
        "ASK {{ {{ {{ {{ {s} }} }} }} }}",
        "CONSTRUCT {{ ?x ?x ?x }} WHERE {{ {s} }}",
        "DESCRIBE ?x WHERE {{ {s} }}",
        "SELECT ?x WHERE {{ BIND(1 AS ?q) {s} }} LIMIT 1",
        "SELECT (COUNT(*) AS ?n) WHERE {{ {s} }} GROUP BY ?x",
    ]
    texts = [prologue + h.format(s=s) for h in hiders for s in services]
    texts += [f"LOAD <{target}/data.ttl>", f"LOAD SILENT <{target}/d> INTO GRAPH <http://g>",
              f"SELECT * WHERE {{ }} ; LOAD <{target}/d>",
              "SELECT ?x WHERE { \\u0053ERVICE <" + target + "/u> { ?x ?y ?z } }"]
    return texts


def test_the_issue_strings_get_400_and_reach_nothing(endpoint, trap) -> None:
    port = trap.url.rsplit(":", 1)[1]
    issue = [
        f"PREFIX ex: <http://e/>\nSELECT ?x WHERE {{ OPTIONAL {{ ?s ex:a\\# ?o }} SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
        f"PREFIX ex: <http://e/>\nSELECT ?x WHERE {{ OPTIONAL {{ ?s ex:a\\' ?o }} SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
        f"SELECT ?x WHERE {{ ?s <http://e/\\u0041#> ?o SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
    ]
    before = trap.hits
    for text in issue:
        for method, body, headers, url in _channels(endpoint.url, text):
            status, _, payload = http(method, url, body, headers)
            assert status == 400, (text, method, url, payload[:200])
            assert b"TRAPPED" not in payload
    assert trap.hits == before


def _channels(base: str, text: str) -> list[tuple[str, bytes | None, dict[str, str], str]]:
    q = urllib.parse.urlencode({"query": text})
    return [
        ("GET", None, {}, f"{base}/sparql?{q}"),
        ("POST", text.encode(), {"Content-Type": "application/sparql-query"}, f"{base}/sparql"),
        ("POST", q.encode(), {"Content-Type": "application/x-www-form-urlencoded"}, f"{base}/sparql"),
        ("GET", None, {"Accept": BROWSER}, f"{base}/sparql?{q}"),  # the SPARQL box
    ]


def test_generated_corpus_over_every_channel_reaches_nothing(endpoint, trap) -> None:
    before = trap.hits
    corpus = ssrf_corpus(trap.url)
    assert len(corpus) > 100
    for text in corpus:
        for method, body, headers, url in _channels(endpoint.url, text):
            status, _, payload = http(method, url, body, headers)
            assert status in (400, 403), (text, method, status, payload[:300])
            assert b"TRAPPED" not in payload
            if "html" not in headers.get("Accept", ""):
                assert json.loads(payload)["status"] == status
    assert trap.hits == before
    assert endpoint.pool.replaced == 0


def test_canned_forms_and_queries_with_hostile_parameters_reach_nothing(endpoint, trap) -> None:
    from gerokg.querying.canned import list_queries

    before = trap.hits
    attacks = [f"<{trap.url}/x> }} SERVICE <{trap.url}/y> {{ ?a ?b ?c", f"{trap.url}/x", "CHEBI:9168> } SERVICE <" + trap.url + "> {"]
    for q in list_queries():
        for p in q.params:
            for a in attacks:
                for route in ("queries", "query"):
                    status, _, payload = http("GET", f"{endpoint.url}/{route}/{q.name}?{urllib.parse.urlencode({p.name: a})}",
                                              headers={"Accept": BROWSER} if route == "query" else {})
                    assert status in (200, 400), (q.name, p.name, a, status)
                    assert b"TRAPPED" not in payload
    assert trap.hits == before


def test_the_engine_itself_would_call_out_but_a_confined_worker_cannot(trap, tmp_path: Path) -> None:
    """The second guard, shown on its own: Oxigraph runs SERVICE over HTTP (so the parse check
    matters), and a process confined as the workers are cannot reach the trap even when the
    query goes straight to the engine."""
    script = tmp_path / "engine.py"
    script.write_text(
        "import sys, pyoxigraph as ox\n"
        "if sys.argv[1] == 'confined':\n"
        "    from gerokg.querying.sandbox import confine_network\n"
        "    c = confine_network(); print('isolated', c.network_blocked)\n"
        f"q = 'SELECT ?x WHERE {{ SERVICE <{trap.url}/sparql> {{ ?x ?y ?z }} }}'\n"
        "try:\n"
        "    print('rows', [s['x'].value for s in ox.Store().query(q)])\n"
        "except Exception as e:\n"
        "    print('refused', type(e).__name__)\n", encoding="utf-8")
    before = trap.hits
    free = subprocess.run([sys.executable, str(script), "free"], capture_output=True, text=True, timeout=60)
    assert "rows ['TRAPPED']" in free.stdout, free.stdout + free.stderr
    assert trap.hits == before + 1
    confined = subprocess.run([sys.executable, str(script), "confined"], capture_output=True, text=True, timeout=60)
    assert "isolated True" in confined.stdout and "refused" in confined.stdout, confined.stdout + confined.stderr
    assert trap.hits == before + 1


def test_health_reports_the_isolation(endpoint) -> None:
    doc = json.loads(http("GET", f"{endpoint.url}/health")[2])
    assert "network namespace" in doc["network_isolation"]
    assert doc["workers"] >= 1 and 0 <= doc["workers_copying"] <= doc["workers"]


# --------------------------------------------------------------------------------------------
# Bounded queries
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "text"), [
    ("parens", "SELECT * WHERE { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }"),
    ("braces", "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000),
    ("optional", "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o " * 20_000 + "}" * 20_000 + " }"),
    ("subselect", "SELECT * WHERE { " + "{ SELECT * WHERE " * 10_000 + "{ }" + " }" * 10_000 + " }"),
])
def test_deep_nesting_is_a_400_naming_the_limit(endpoint, kind: str, text: str) -> None:
    before = endpoint.pool.replaced
    status, _, body = http("POST", f"{endpoint.url}/sparql", text.encode(), {"Content-Type": "application/sparql-query"})
    assert status in (400, 413), body[:200]
    if status == 400:
        assert b"limit is 50000" in body
    # within the length limit, the depth limit speaks
    short = text[:20_000] + text[-20_000:]
    status, _, body = http("POST", f"{endpoint.url}/sparql", short.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"64" in body and b"levels deep" in body, body[:300]
    assert endpoint.pool.replaced == before


def test_nesting_within_the_limit_runs(endpoint) -> None:
    text = "ASK { " + "{ " * 30 + "?s ?p ?o" + " }" * 30 + " }"
    status, _, body = http("POST", f"{endpoint.url}/sparql", text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_memory_bomb_is_stopped_below_the_ceiling_and_the_worker_replaced(endpoint) -> None:
    before = endpoint.pool.replaced
    bomb = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    status, _, body = http("GET", f"{endpoint.url}/sparql?{urllib.parse.urlencode({'query': bomb})}")
    assert status == 503, body[:200]
    assert b"more than 256 MB" in body
    assert endpoint.pool.replaced == before + 1
    ok = http("GET", f"{endpoint.url}/sparql?{urllib.parse.urlencode({'query': 'ASK { ?s ?p ?o }'})}")
    assert ok[0] == 200


def test_update_anywhere_is_refused(endpoint) -> None:
    ask = b"ASK { ?s ?p ?o }"
    status, _, body = http("POST", f"{endpoint.url}/sparql?update=DROP+ALL", ask, {"Content-Type": "application/sparql-query"})
    assert status == 403 and json.loads(body)["status"] == 403
    status, _, _ = http("GET", f"{endpoint.url}/sparql?query=ASK%7B%7D&update=DROP+ALL")
    assert status == 403
    status, _, _ = http("GET", f"{endpoint.url}/queries/gerosuppressants?update=DROP+ALL")
    assert status == 403


# --------------------------------------------------------------------------------------------
# HTTP framing and slow clients
# --------------------------------------------------------------------------------------------


def test_oversized_head_gets_431_json(endpoint) -> None:
    answer = raw(endpoint, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
    assert statuses(answer) == [431]
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["status"] == 431
    many = b"".join(b"X-%d: 1\r\n" % i for i in range(200))
    assert statuses(raw(endpoint, b"GET /health HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")) == [431]


def test_six_megabytes_of_headers_are_refused_early(endpoint) -> None:
    host, port = urllib.parse.urlsplit(endpoint.url).hostname, urllib.parse.urlsplit(endpoint.url).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        sent, answer = 0, b""
        try:
            while sent < 6_000_000:
                s.sendall(b"X-Pad: " + b"p" * 8000 + b"\r\n")
                sent += 8009
        except OSError:
            pass  # the server closed the connection after its 431
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except OSError:
            pass
    assert statuses(answer) == [431]
    assert sent < 6_000_000


def test_long_uri_gets_414_json(endpoint) -> None:
    answer = raw(endpoint, b"GET /sparql?query=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert statuses(answer) == [414]
    assert b'"status": 414' in answer


@pytest.mark.parametrize("head", [
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 16\r\nContent-Length: 16\r\n\r\nASK { ?s ?p ?o }",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 16\r\nContent-Length: 20\r\n\r\nASK { ?s ?p ?o }",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    b"Transfer-Encoding: gzip, chunked\r\n\r\n10\r\nASK { ?s ?p ?o }\r\n0\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
    b"HELLO\r\n\r\n",
], ids=["duplicate-cl", "conflicting-cl", "gzip-chunked", "xchunked", "chunked-not-last", "cl-and-te", "version", "garbage"])
def test_ambiguous_framing_is_refused_with_400_json(endpoint, head: bytes) -> None:
    answer = raw(endpoint, head)
    assert statuses(answer) == [400], answer[:300]
    error = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert error["status"] == 400 and "syntax" not in error["error"]  # refused by the framing, not the query


def test_a_body_is_never_run_as_the_next_request(endpoint) -> None:
    inner = b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
    for route in (b"/store", b"/health"):
        method = b"POST" if route == b"/store" else b"GET"
        answer = raw(endpoint, method + b" " + route + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                     + str(len(inner)).encode() + b"\r\n\r\n" + inner)
        assert statuses(answer) == ([403] if route == b"/store" else [200]), answer[:300]
    # and with keep-alive: the body is skipped, the real next request is answered
    answer = raw(endpoint, b"POST /store HTTP/1.1\r\nHost: x\r\nContent-Length: " + str(len(inner)).encode()
                 + b"\r\n\r\n" + inner + b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert statuses(answer) == [403, 200]


def test_slow_and_idle_clients_are_cut_off(endpoint) -> None:
    host, port = urllib.parse.urlsplit(endpoint.url).hostname, urllib.parse.urlsplit(endpoint.url).port
    slow = socket.create_connection((host, port), timeout=10)
    slow.sendall(b"GET /health HTTP/1.1\r\nHo")
    idle = socket.create_connection((host, port), timeout=10)
    t = time.monotonic()
    answer = slow.recv(65536)
    assert statuses(answer) == [408] and 0.5 < time.monotonic() - t < 8
    assert idle.recv(10) == b""  # closed without a word
    slow.close()
    idle.close()


def test_many_slow_clients_do_not_starve_health(endpoint) -> None:
    host, port = urllib.parse.urlsplit(endpoint.url).hostname, urllib.parse.urlsplit(endpoint.url).port
    held = []
    try:
        for _ in range(300):
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nX-Slow: ")
            held.append(s)
        for _ in range(20):
            status, _, body = http("GET", f"{endpoint.url}/health", timeout=5)
            assert status == 200
    finally:
        for s in held:
            s.close()


def test_error_answers_are_json(endpoint) -> None:
    for method, path, body, headers, code in [
        ("GET", "/nowhere", None, {}, 404),
        ("POST", "/health", b"x", {"Content-Type": "text/plain"}, 405),
        ("POST", "/sparql", b"x", {"Content-Type": "text/plain"}, 415),
        ("POST", "/sparql", b"x" * (2 << 20), {"Content-Type": "application/sparql-query"}, 413),
        ("GET", "/sparql?format=nope", None, {}, 400),
        ("GET", "/queries/gerosuppressants?format=nope", None, {}, 400),
    ]:
        status, hdrs, payload = http(method, f"{endpoint.url}{path}", body, headers)
        assert status == code, (path, status, payload[:200])
        assert hdrs["Content-Type"].startswith("application/json")
        assert json.loads(payload) == {"error": json.loads(payload)["error"], "status": code}


def test_a_hostile_claim_from_a_user_file_renders(tmp_path: Path) -> None:
    from gerokg.serving.server import EndpointConfig, start_server

    extra = tmp_path / "hostile-claim.ttl"
    extra.write_text(
        "<https://w3id.org/gerokg/claim/C9990> a <https://w3id.org/gerokg/schema/Claim> ;\n"
        "    <https://w3id.org/gerokg/schema/quote> \"a quote\" ;\n"
        "    <https://w3id.org/gerokg/schema/in_tension_with> <urn:x> , <mailto:a@b> ;\n"
        "    <https://w3id.org/gerokg/schema/raised_by> <tag:x> .\n", encoding="utf-8")
    handle = start_server(EndpointConfig(port=0, timeout=10, workers=1), extra=[extra])
    try:
        status, hdrs, body = http("GET", f"{handle.url}/claim/C9990", headers={"Accept": BROWSER})
        assert status == 200, body[:300]
        assert "default-src 'none'" in hdrs["Content-Security-Policy"]
        assert b"urn:x" in body and b"tag:x" in body
    finally:
        handle.stop()


# --------------------------------------------------------------------------------------------
# The store: --with once, one process at a time
# --------------------------------------------------------------------------------------------


WITH = """@prefix ex: <http://example.org/> .
ex:a ex:p [ ex:q "blank node one" ] ; ex:r ( 1 2 3 ) .
"""


def _serve(store: Path, extra: Path, port: int = 0) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "gerokg", "--quiet", "serve", "--no-inferred", "--port", str(port),
                             "--store", str(store), "--with", str(extra), "--workers", "1"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)


def _url_of(proc: subprocess.Popen[str], wait: float = 180) -> str:
    deadline = time.monotonic() + wait
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        if line.startswith("gerokg on "):
            return line.split()[2].rstrip("/")
    raise AssertionError(f"serve did not start (exit {proc.poll()})")


def _triples(url: str) -> int:
    return int(json.loads(http("GET", f"{url}/health")[2])["triples"])


def test_with_files_load_once_and_a_second_process_is_refused(tmp_path: Path) -> None:
    store, extra = tmp_path / "store", tmp_path / "extra.ttl"
    extra.write_text(WITH, encoding="utf-8")
    counts = []
    first = _serve(store, extra)
    try:
        url = _url_of(first)
        counts.append(_triples(url))
        # a second process on the same store is told it is in use, before any work
        second = subprocess.run([sys.executable, "-m", "gerokg", "--quiet", "serve", "--no-inferred", "--port", "0",
                                 "--store", str(store)], capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        assert "store in use" in second.stderr and "Traceback" not in second.stderr
    finally:
        first.kill()  # kill -9: the lock goes with the process
        first.wait(30)
    again = _serve(store, extra)
    try:
        counts.append(_triples(_url_of(again)))
    finally:
        again.terminate()
        again.wait(30)
    extra.write_text(WITH.replace("blank node one", "blank node two") + "ex:b ex:p ex:c .\n", encoding="utf-8")
    changed = _serve(store, extra)
    try:
        url = _url_of(changed)
        counts.append(_triples(url))
        q = urllib.parse.urlencode({"query": 'SELECT ?v WHERE { ?b <http://example.org/q> ?v }'})
        rows = json.loads(http("GET", f"{url}/sparql?{q}")[2])["results"]["bindings"]
        assert [r["v"]["value"] for r in rows] == ["blank node two"]
    finally:
        changed.terminate()
        changed.wait(30)
    assert counts[0] == counts[1]           # a restart appends nothing
    assert counts[2] == counts[0] + 1       # the changed file replaced the old one


def test_serve_on_a_busy_port_fails_fast_without_traceback(tmp_path: Path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        t = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "gerokg", "--quiet", "serve", "--no-inferred", "--port",
                               str(busy.getsockname()[1])], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and "cannot listen" in proc.stderr and "Traceback" not in proc.stderr
        assert time.monotonic() - t < 60
    finally:
        busy.close()


def test_one_answer_per_question_cli_python_and_serve(tmp_path: Path) -> None:
    """gerokg query gives the same rows on the embedded store and through gerokg serve (both
    answer from the asserted facts by default), and gerokg.query agrees; serve says which."""
    import csv
    import io

    import gerokg

    proc = subprocess.Popen([sys.executable, "-m", "gerokg", "--quiet", "serve", "--port", "0", "--workers", "1"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        url = _url_of(proc)
        health = json.loads(http("GET", f"{url}/health")[2])
        assert health["inferred"] is False
        for name in ("gerosuppressants", "mtor-inhibitors", "drugs-by-role"):
            local = _cli("query", name, "--format", "csv")
            remote = _cli("query", name, "--format", "csv", "--endpoint", f"{url}/sparql")
            assert local.returncode == remote.returncode == 0, local.stderr + remote.stderr
            rows_local = sorted(map(tuple, csv.reader(io.StringIO(local.stdout))))
            rows_remote = sorted(map(tuple, csv.reader(io.StringIO(remote.stdout))))
            assert rows_local == rows_remote and len(rows_local) > 1, name
            python = gerokg.query(name)
            assert len(python.rows) == len(rows_local) - 1, name  # the CSV has a header row
        status, headers, _ = http("GET", f"{url}/queries/gerosuppressants")
        assert status == 200 and headers["X-Gerokg-Inferred"] == "false"
    finally:
        proc.terminate()
        proc.wait(30)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gerokg", "--quiet", *args], capture_output=True, text=True, timeout=300)
