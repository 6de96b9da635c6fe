"""The canned queries over HTTP: ``gerokg serve`` against the Oxigraph server (on disk and in
memory) and Virtuoso, loaded with the same data, all on 127.0.0.1.

Used by ``benchmarks/run.py`` (section 6). Every server runs in its own process (``gerokg serve``
too, so the clients' threads do not share its interpreter) and all of them run at once, so each
query is timed on every server in turn, close together in time: the ratios are measured under the
same load of the machine. Two measures:

- each canned SELECT query alone, one request at a time on a new connection (median of
  ``repeat``: the first request, which parses the query and fills caches, is one of them), summed;
- ``clients`` concurrent clients, each on its own keep-alive connection, sending the canned
  queries round-robin: throughput, p50 and p99 latency, errors.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Endpoint:
    name: str
    url: str
    default_graph: str | None = None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with _OPENER.open(url, timeout=5) as r:
                r.read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start: {log.read_text(errors='replace')[-2000:]}") from None
            time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


#: the query every start-up is timed to (a label lookup, answered in well under a millisecond)
FIRST_QUERY = ("SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CHEBI_9168> "
               "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")


def _health(base: str) -> dict[str, Any]:
    import json

    with _OPENER.open(f"{base}/health", timeout=30) as r:
        return dict(json.loads(r.read()))


def _settle(base: str, timeout: float = 900) -> None:
    """Wait until no worker of ``gerokg serve`` is still copying the store into memory."""
    deadline = time.monotonic() + timeout
    while _health(base).get("workers_copying", 0) and time.monotonic() < deadline:
        time.sleep(0.1)


@contextlib.contextmanager
def gerokg_serve(data: Path, work: Path, workers: int = 2, store: Path | None = None,
                 settle: bool = True) -> Iterator[tuple[Endpoint, dict[str, float]]]:
    """``gerokg serve --release data`` (on the store folder ``store`` when given) in its own
    process; yields it and its start-up seconds: ``health`` (it answers), ``first`` (its first
    answer to :data:`FIRST_QUERY`) and ``settled`` (every worker answers from its in-memory copy;
    waited for when ``settle``)."""
    port = _free_port()
    log = work / f"gerokg-serve-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    cmd = [sys.executable, "-m", "gerokg", "-q", "serve", "--port", str(port), "--release", str(data),
           "--workers", str(workers), "--timeout", "300", "--max-rows", "1000000"]
    if store is not None:
        cmd += ["--store", str(store)]
    t = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        endpoint = Endpoint("gerokg", f"{base}/sparql")
        _wait(f"{base}/health", proc, 900, log)
        times = {"health": time.perf_counter() - t}
        req = urllib.request.Request(endpoint.url, data=_body(endpoint, FIRST_QUERY), headers=_HEADERS)
        with _OPENER.open(req, timeout=600) as resp:
            resp.read()
        times["first"] = time.perf_counter() - t
        if settle:
            _settle(base)
            times["settled"] = time.perf_counter() - t
        yield endpoint, times
    finally:
        _stop(proc)


def restart_times(data: Path, work: Path) -> dict[str, dict[str, float]]:
    """``gerokg serve --store DIR`` started twice on one folder: the first start fills it, the
    second (a plain restart) reuses it; the start-up seconds of each."""
    folder = Path(tempfile.mkdtemp(prefix="gerokg-restart-", dir=work)) / "store"
    out = {}
    for run in ("first start", "restart"):
        with gerokg_serve(data, work, store=folder) as (_endpoint, times):
            out[run] = times
    return out


@contextlib.contextmanager
def oxigraph_serve(data: Path, work: Path, in_memory: bool) -> Iterator[Endpoint]:
    """``oxigraph serve`` (with ``--location`` on disk, without it in memory), the data PUT into
    its default graph."""
    from gerokg.artefacts.publish import publish_release

    from servers import _oxigraph_binary

    binary = _oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed")
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=work))
    log = folder / "oxigraph.log"
    cmd = [binary, "serve", "--bind", f"127.0.0.1:{port}"]
    if not in_memory:
        cmd += ["--location", str(folder / "store")]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/query?query=ASK%7B%7D", proc, 60, log)
        publish_release(f"{base}/store", data, timeout=1800)
        yield Endpoint("oxigraph-memory" if in_memory else "oxigraph-disk", f"{base}/query")
    finally:
        _stop(proc)


@contextlib.contextmanager
def virtuoso(data: Path, work: Path) -> Iterator[Endpoint]:
    from gerokg.artefacts.publish import publish_release

    from servers import virtuoso_server

    (work / "virtuoso").mkdir(parents=True, exist_ok=True)
    with virtuoso_server(work / "virtuoso") as server:
        publish_release(server.gsp_url, data, graph=server.graph, user=server.user, password=server.password,
                        auth=server.auth or "basic", graph_param="graph-uri")
        yield Endpoint("virtuoso", server.query_url, server.graph)


def _body(endpoint: Endpoint, text: str) -> bytes:
    params = {"query": "\n".join(line for line in text.splitlines() if not line.startswith("#+"))}
    if endpoint.default_graph:
        params["default-graph-uri"] = endpoint.default_graph
    return urllib.parse.urlencode(params).encode()


_HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}


def time_query(endpoint: Endpoint, text: str, repeat: int, slow: float = 5.0) -> float | None:
    """Median seconds of one query, each request on a new connection; None when refused. A
    request slower than ``slow`` seconds is not repeated (its time is the figure)."""
    body = _body(endpoint, text)
    times: list[float] = []
    for _ in range(repeat):
        if times and times[-1] > slow:
            break
        req = urllib.request.Request(endpoint.url, data=body, headers=_HEADERS)
        t = time.perf_counter()
        try:
            with _OPENER.open(req, timeout=600) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            print(f"  {endpoint.name}: {exc.code} for {text.splitlines()[0][:60]!r}: {exc.read()[:200]!r}",
                  file=sys.stderr)
            return None
        times.append(time.perf_counter() - t)
    FIRST[(endpoint.name, text)] = times[0]
    return statistics.median(times)


#: the first request's seconds of each (server, query text) timed by :func:`time_query`
FIRST: dict[tuple[str, str], float] = {}


def load_test(endpoint: Endpoint, texts: list[str], clients: int = 32, per_client: int = 8,
              budget: float = 40.0) -> dict[str, Any]:
    """``clients`` threads, each on a keep-alive connection, ``per_client`` requests each, the
    queries round-robin (client i starts at query i); no request starts after ``budget`` seconds."""
    u = urllib.parse.urlsplit(endpoint.url)
    path = u.path + (f"?{u.query}" if u.query else "")
    bodies = [_body(endpoint, t) for t in texts]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        start_gate.wait()
        for k in range(per_client):
            if time.perf_counter() - t0 > budget:
                break
            body = bodies[(i + k) % len(bodies)]
            t = time.perf_counter()
            try:
                conn.request("POST", path, body, _HEADERS)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                if not ok:
                    with lock:
                        errors.append(f"status {resp.status}")
            except (OSError, http.client.HTTPException) as exc:
                ok = False
                with lock:
                    errors.append(str(exc))
                conn.close()
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
            dt = time.perf_counter() - t
            if ok:
                with lock:
                    latencies.append(dt)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {"requests": len(latencies) + len(errors), "errors": len(errors), "seconds": elapsed,
            "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50": statistics.median(latencies) if latencies else None,
            "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else None}


def compare(data: Path, work: Path, texts: list[tuple[str, str]], repeat: int, with_virtuoso: bool,
            clients: int = 32, per_client: int = 8, budget: float = 40.0) -> dict[str, Any]:
    """Start every server on ``data``, time each query on each in turn, then the load test on
    each; returns {"servers": [...], "queries": {name: {server: seconds}}, "load": {server: ...},
    "gerokg_start": seconds}."""
    from servers import oxigraph_available, virtuoso_available

    with contextlib.ExitStack() as stack:
        gerokg, started = stack.enter_context(gerokg_serve(data, work))  # settled: copies made
        endpoints = [gerokg]
        skipped: dict[str, str] = {}
        if oxigraph_available() is None:
            endpoints.append(stack.enter_context(oxigraph_serve(data, work, in_memory=False)))
            endpoints.append(stack.enter_context(oxigraph_serve(data, work, in_memory=True)))
        else:
            skipped["oxigraph"] = oxigraph_available() or ""
        if with_virtuoso and virtuoso_available() is None:
            endpoints.append(stack.enter_context(virtuoso(data, work)))
        for ep in endpoints:  # one request each: every server and its caches awake
            time_query(ep, "ASK { ?s ?p ?o }", 1)
        results: dict[str, dict[str, float | None]] = {}
        first: dict[str, float] = {ep.name: 0.0 for ep in endpoints}
        for name, text in texts:
            results[name] = {ep.name: time_query(ep, text, repeat) for ep in endpoints}
            for ep in endpoints:
                first[ep.name] += FIRST.get((ep.name, text), 0.0)
            print(f"  {name}: " + ", ".join(f"{k} {v if v is None else round(v * 1000, 1)} ms"
                                           for k, v in results[name].items()), file=sys.stderr, flush=True)
        load = {}
        for ep in endpoints:
            load[ep.name] = load_test(ep, [t for _n, t in texts], clients, per_client, budget)
            print(f"  {clients} clients on {ep.name}: {load[ep.name]}", file=sys.stderr, flush=True)
    return {"servers": [ep.name for ep in endpoints], "queries": results, "load": load, "first": first,
            "gerokg_start": started, "skipped": skipped}
