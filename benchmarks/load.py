"""A bounded load test of ``gerokg serve`` on 127.0.0.1.

    python benchmarks/load.py [--clients 32] [--requests 3000] [--release build/gerokg-full.nt]

Starts ``gerokg serve`` in its own process on a free loopback port, sends a fixed mix of canned
queries (with parameters) and ad-hoc SPARQL from ``--clients`` concurrent clients, then stops the
server with SIGTERM. Prints throughput, p50/p99 latency and the error count as JSON, and checks
the server exits cleanly. Traffic goes to 127.0.0.1 only; the loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

MIX = [
    "/queries/gerosuppressants?format=json",
    "/queries/quantitative-findings?organism=NCBITaxon:10090&format=json",
    "/queries/claims-citing-reference?ref=110&format=csv",
    "/queries/term-participation?term=CHEBI:68478&format=json",
    "/queries/mtor-inhibitors?format=json",
    "/queries/open-questions?format=tsv",
    "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
    "/sparql?" + urllib.parse.urlencode({"query": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                                                  "SELECT ?l WHERE { <http://purl.obolibrary.org/obo/CHEBI_9168> rdfs:label ?l }"}),
    "/queries/mechanism-chains?format=json",
    "/health",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_load(clients: int, requests: int, release: str | None, timeout: float = 600.0) -> dict[str, Any]:
    port = free_port()
    cmd = [sys.executable, "-m", "gerokg", "-q", "serve", "--port", str(port), "--workers", "2", "--timeout", "30"]
    if release:
        cmd += ["--release", release]
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 120
    while True:
        try:
            with opener.open(f"{base}/health", timeout=2) as r:
                r.read()
            break
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gerokg serve did not start: "
                                   + (proc.stderr.read() if proc.stderr else b"").decode()[-2000:]) from None
            time.sleep(0.2)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    stop_at = time.monotonic() + timeout

    def client() -> None:
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            path = MIX[n % len(MIX)]
            t = time.perf_counter()
            try:
                with opener.open(base + path, timeout=60) as r:
                    r.read()
                    ok = r.status == 200
            except (urllib.error.URLError, OSError) as exc:
                ok = False
                with lock:
                    errors.append(f"{path}: {exc}")
            dt = time.perf_counter() - t
            with lock:
                if ok:
                    latencies.append(dt)
    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    children = _children(proc.pid)
    t_stop = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = -9
    stop_seconds = time.perf_counter() - t_stop
    # workers and multiprocessing's resource tracker exit just after the server: allow 10 s
    leftover = children
    for _ in range(100):
        leftover = [pid for pid in children if os.path.exists(f"/proc/{pid}")]
        if not leftover:
            break
        time.sleep(0.1)
    latencies.sort()
    return {
        "clients": clients, "requests": len(latencies) + len(errors), "errors": len(errors),
        "error_samples": errors[:5], "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1) if latencies else None,
        "sigterm_exit_code": code, "sigterm_stop_seconds": round(stop_seconds, 2),
        "worker_processes": len(children), "leftover_processes": leftover,
    }


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--release", default=None)
    args = ap.parse_args()
    print(json.dumps(run_load(args.clients, args.requests, args.release), indent=1))


if __name__ == "__main__":
    main()

