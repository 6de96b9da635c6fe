"""How fast are the web pages of ``gerokg serve``? One run, ratios against baselines from the same run.

    python benchmarks/web.py [--refdata ../shared/refdata] [--repeat 20] [--quick]

Starts ``gerokg serve`` on 127.0.0.1 twice: on the release (with the reasoner's conclusions when
Java is found) and on the release plus ChEBI, GO and MONDO (the N-Triples that
``benchmarks/run.py`` makes from ``--refdata``; skipped with ``--quick``). For each page it takes
the median of ``--repeat`` requests after one warm-up request, and compares it with two baselines
measured in the same run against the same server:

- ``/health``: the floor of an HTTP round trip through gerokg's server;
- the same answer as data: ``/queries/NAME?format=json`` for a query form, which runs the same
  query through the same worker pool.

The first request of the search page builds the label index; its time is reported separately.
Writes ``benchmarks/WEB.md``.
"""

from __future__ import annotations

import argparse
import http.client
import platform
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PAGES = [
    ("health (baseline)", "/health"),
    ("start page", "/"),
    ("search: everolimus", "/search?q=everolimus"),
    ("search: kinase", "/search?q=kinase"),
    ("term: everolimus", "/term/CHEBI:68478"),
    ("term: TOR signaling", "/term/GO:0031929"),
    ("term: rapalog", "/term/GEROKG:0000054"),
    ("claim C0197", "/claim/C0197"),
    ("query form: quantitative findings, mice", "/query/quantitative-findings?organism=NCBITaxon%3A10090"),
    ("same answer as JSON (baseline)", "/queries/quantitative-findings?organism=NCBITaxon%3A10090&format=json"),
    ("query form: alignment table", "/query/alignment-table"),
    ("same answer as JSON (baseline)", "/queries/alignment-table?format=json"),
    ("SPARQL box with a result", "/sparql?format=html&query=" + urllib.parse.quote(
        "SELECT ?c ?q WHERE { ?c <https://w3id.org/gerokg/schema/quote> ?q } LIMIT 100")),
    ("pathway page", "/pathway"),
    ("diagram: everolimus (SVG)", "/diagram/CHEBI:68478.svg"),
]


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[float, int, int]:
    t = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "text/html"})
    resp = conn.getresponse()
    body = resp.read()
    return time.perf_counter() - t, resp.status, len(body)


def measure(url: str, repeat: int) -> dict[str, Any]:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    out: dict[str, Any] = {"pages": []}
    first, status, _ = fetch(conn, "/search?q=warm")  # builds the search index
    out["index_build"] = first
    for name, path in PAGES:
        fetch(conn, path)  # warm-up (and the first drawing of a picture)
        times = []
        for _ in range(repeat):
            dt, status, size = fetch(conn, path)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            times.append(dt)
        out["pages"].append((name, path, statistics.median(times), size))
    conn.close()
    return out


def start(extra: list[Path], inferred: bool) -> Any:
    from gerokg.serving.server import EndpointConfig, start_server

    store = tempfile.mkdtemp(prefix="gerokg-web-bench-")
    t = time.perf_counter()
    handle = start_server(EndpointConfig(port=0, timeout=60), extra=extra, location=store, inferred=inferred)
    return handle, time.perf_counter() - t


def report(title: str, res: dict[str, Any], startup: float, triples: int) -> list[str]:
    pages = res["pages"]
    floor = pages[0][2]
    lines = [f"### {title}", "",
             f"{triples:,} triples; server start (load, reasoner, workers) {startup:.1f} s; "
             f"first search (builds the label index) {res['index_build'] * 1000:.0f} ms.", "",
             "| page | median | x /health | x same answer as JSON | size |", "| --- | ---: | ---: | ---: | ---: |"]
    for i, (name, path, t, size) in enumerate(pages):
        vs_json = ""
        if path.startswith("/query/") and i + 1 < len(pages) and pages[i + 1][1].startswith("/queries/"):
            vs_json = f"{t / pages[i + 1][2]:.1f}x"
        lines.append(f"| {name} | {t * 1000:.1f} ms | {t / floor:.1f}x | {vs_json} | {size / 1024:.0f} KiB |")
    return lines + [""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--refdata", default=str(HERE.parent.parent / "shared" / "refdata"))
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="the release only")
    args = ap.parse_args()

    from gerokg.release.reason import java_version

    inferred = java_version() is not None
    sections = ["# Web pages: latency", "",
                f"`python benchmarks/web.py` on {platform.machine()}, Python {platform.python_version()}, "
                f"{repeat_text(args.repeat)}. The reasoner's conclusions are {'served' if inferred else 'not served (no Java)'}.",
                ""]
    handle, startup = start([], inferred)
    try:
        sections += report("The release", measure(handle.url, args.repeat), startup, handle.httpd.triples)
    finally:
        handle.stop()
    if not args.quick:
        from run import convert_scale  # benchmarks/run.py makes (and caches) the scale data

        scale = convert_scale(Path(args.refdata), HERE / "data")
        handle, startup = start([scale], inferred)
        try:
            sections += report("The release with ChEBI, GO and MONDO", measure(handle.url, args.repeat), startup,
                               handle.httpd.triples)
        finally:
            handle.stop()
    text = "\n".join(sections)
    (HERE / "WEB.md").write_text(text + "\n", encoding="utf-8")
    print(text)


def repeat_text(n: int) -> str:
    return f"median of {n} requests per page after one warm-up, one client, keep-alive"


if __name__ == "__main__":
    main()
