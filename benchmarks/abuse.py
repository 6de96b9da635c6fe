"""Abuse figures of ``gerokg serve``, measured in one run, written into SECURITY.md.

Starts the endpoint on 127.0.0.1 (release only, default limits but a 256 MB query budget), then:

1. opens 1,000 slow-header sockets and 500 idle keep-alive sockets, and times 200 ``/health``
   requests meanwhile (p50, p99, max), and after the head timeout counts how many were cut;
2. sends a 6 MB header block and reports the answer and how much was sent before it;
3. sends duplicate Content-Length, ``Transfer-Encoding: gzip, chunked`` and ``xchunked``;
4. tries to smuggle a request in a body;
5. runs a memory bomb (cross join with ORDER BY) and reads the worker's peak memory;
6. sends 100,000-deep nesting of parentheses, braces, OPTIONALs and sub-queries;
7. sends the SSRF corpus of the tests to a counting trap.

Every address is 127.0.0.1; every loop is bounded. Usage::

    python benchmarks/abuse.py [--write SECURITY.md]
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

BEGIN, END = "<!-- abuse figures: begin -->", "<!-- abuse figures: end -->"


def _http(url: str, timeout: float = 10) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:  # type: ignore[attr-defined]
        return e.code, e.read()


def _raw(port: int, data: bytes, wait: float = 5) -> bytes:
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(data)
        try:
            while chunk := s.recv(65536):
                out += chunk
        except OSError:
            pass
    return out


def _codes(answer: bytes) -> list[int]:
    return [int(c) for c in re.findall(rb"HTTP/1\.[01] (\d{3}) ", answer)]


def _closed(s: socket.socket) -> bool:
    """True when the server has closed ``s`` (what is still unread, a 408 or the rest of an
    answer, is read first)."""
    s.settimeout(0.05)
    try:
        while s.recv(65536):
            pass
    except TimeoutError:
        return False  # still open
    except OSError:
        return True  # reset by the server
    return True


def measure() -> list[tuple[str, str, str]]:
    from gerokg.serving.server import EndpointConfig, start_server
    from test_endpoint_security import Trap, ssrf_corpus

    rows: list[tuple[str, str, str]] = []
    cfg = EndpointConfig(port=0, max_query_memory_mb=256)
    handle = start_server(cfg, web=True)
    port = int(handle.url.rsplit(":", 1)[1])
    try:
        # 1. slow headers and idle keep-alive sockets
        held = []
        for _ in range(1000):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        for _ in range(500):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(65536)
            held.append(s)
        times = []
        for _ in range(200):
            t = time.perf_counter()
            code, _ = _http(f"{handle.url}/health")
            times.append((time.perf_counter() - t) * 1000)
            assert code == 200
        times.sort()
        rows.append(("1,000 slow-header + 500 idle keep-alive sockets: /health over 200 requests",
                     f"p50 {statistics.median(times):.1f} ms, p99 {times[197]:.1f} ms, max {times[-1]:.1f} ms",
                     "p99 under 100 ms"))
        time.sleep(cfg.head_timeout + 1)
        cut = sum(_closed(s) for s in held)
        for s in held:
            s.close()
        rows.append(("sockets closed by the server after the head / keep-alive timeout",
                     f"{cut} of {len(held)} after {cfg.head_timeout + 1:g} s", "all"))

        # 2. a 6 MB header block
        sent, answer = 0, b""
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            try:
                while sent < 6_000_000:
                    s.sendall(b"X-Pad: " + b"p" * 8000 + b"\r\n")
                    sent += 8009
            except OSError:
                pass
            try:
                while chunk := s.recv(65536):
                    answer += chunk
            except OSError:
                pass
        rows.append(("6 MB header block", f"{_codes(answer)} after {sent // 1000} kB sent", "431, early"))

        # 3. ambiguous framing
        for name, head in [
            ("duplicate Content-Length", b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nASK{"),
            ("Transfer-Encoding: gzip, chunked", b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
            ("Transfer-Encoding: xchunked", b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        ]:
            rows.append((name, str(_codes(_raw(port, head))), "[400]"))

        # 4. smuggling
        inner = b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
        answer = _raw(port, b"POST /store HTTP/1.1\r\nHost: x\r\nContent-Length: " + str(len(inner)).encode()
                      + b"\r\n\r\n" + inner + b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        rows.append(("a request hidden in a body, then a real one", str(_codes(answer)), "[403, 200] (no 404)"))

        # 5. memory bomb
        before = handle.pool.replaced
        bomb = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
        t = time.perf_counter()
        code, body = _http(f"{handle.url}/sparql?{urllib.parse.urlencode({'query': bomb})}", timeout=60)
        rows.append(("memory bomb (cross join, ORDER BY), budget 256 MB",
                     f"{code} in {time.perf_counter() - t:.1f} s, workers replaced: {handle.pool.replaced - before}; "
                     f"“{json.loads(body)['error'][:60]}…”", "503, worker replaced"))

        # 6. deep nesting
        deaths = handle.pool.replaced
        codes = []
        for text in ("SELECT * WHERE { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
                     "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000,
                     "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o " * 20_000 + "}" * 20_000 + " }",
                     "SELECT * WHERE { " + "{ SELECT * WHERE " * 10_000 + "{ }" + " }" * 10_000 + " }"):
            for t in (text, text[:40_000] + text[-40_000:]):
                req = urllib.request.Request(f"{handle.url}/sparql", data=t.encode(), method="POST",
                                             headers={"Content-Type": "application/sparql-query"})
                try:
                    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=60) as r:
                        codes.append(r.status)
                except urllib.error.HTTPError as e:  # type: ignore[attr-defined]
                    codes.append(e.code)
        rows.append(("100,000-deep nesting (4 kinds, over and under the length limit)",
                     f"{sorted(set(codes))}, worker deaths: {handle.pool.replaced - deaths}", "400 or 413, 0 deaths"))

        # 7. SSRF corpus
        trap = Trap()
        try:
            corpus = ssrf_corpus(trap.url)
            answers = []
            for text in corpus:
                answers.append(_http(f"{handle.url}/sparql?{urllib.parse.urlencode({'query': text})}")[0])
            rows.append((f"SSRF corpus ({len(corpus)} queries) at a counting trap",
                         f"answers {sorted(set(answers))}, connections reaching the trap: {trap.hits}", "0"))
        finally:
            trap.close()
        rows.append(("query workers' network isolation", handle.pool.confinement.describe(), "namespace"))
    finally:
        handle.stop()
    return rows


def table(rows: list[tuple[str, str, str]]) -> str:
    lines = [BEGIN, "", "| attack | measured | promise |", "| --- | --- | --- |"]
    lines += [f"| {a} | {m} | {p} |" for a, m, p in rows]
    lines += ["", f"Measured by `python benchmarks/abuse.py --write SECURITY.md` on {time.strftime('%Y-%m-%d')} "
              "(2 cores, release only, `--max-query-memory 256`).", "", END]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", type=Path, help="replace the figures between the markers in this file")
    args = ap.parse_args()
    text = table(measure())
    print(text)
    if args.write:
        doc = args.write.read_text(encoding="utf-8")
        if BEGIN in doc and END in doc:
            doc = doc[:doc.index(BEGIN)] + text + doc[doc.index(END) + len(END):]
        else:
            doc += "\n" + text + "\n"
        args.write.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
