"""gerokg benchmarks: one command, one run, ratios against baselines measured in the same run.

    python benchmarks/run.py [--refdata ../shared/refdata] [--repeat 5] [--quick]

Measures, on this machine:

1. load time and peak memory of the release alone and of release + ChEBI + GO + MONDO
   (converted from ``--refdata`` to OWL-style N-Triples: labels, rdfs:subClassOf, relations as
   existential restrictions): gerokg's embedded store (Oxigraph) versus rdflib's in-memory Graph;
2. every canned query: median time, gerokg (``run_query``) versus rdflib's SPARQL engine on the
   same data, and versus the raw engine underneath (pyoxigraph on the same bound text);
3. ``gerokg query`` cold start (process start to answer) on the release;
4. SHACL validation and HermiT reasoning on the release, growing with synthetic tiers (the claims
   copied 10x and 100x), validation also with the straightforward shape formulation
   (``benchmarks/baseline_shapes/``) as baseline;
5. the canned queries over HTTP: ``gerokg serve`` versus the Oxigraph server and Virtuoso loaded
   with the same data.

Writes ``benchmarks/RESULTS.md`` (tables) and ``benchmarks/scaling.png`` (time versus triples,
log-log). ``--quick`` skips the scale data and the 100x tier.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

OBO = "http://purl.obolibrary.org/obo/"
RELATIONS = {
    "has_role": OBO + "RO_0000087", "part_of": OBO + "BFO_0000050", "has_part": OBO + "BFO_0000051",
    "regulates": OBO + "RO_0002211", "negatively_regulates": OBO + "RO_0002212",
    "positively_regulates": OBO + "RO_0002213",
}
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
OWL = "http://www.w3.org/2002/07/owl#"


# ------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def convert_scale(refdata: Path, out: Path) -> Path:
    """ChEBI, GO and MONDO as OWL-style N-Triples (cached)."""
    target = out / "chebi-go-mondo.nt"
    if target.exists():
        return target
    out.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for name, prefix in (("chebi.json.gz", "CHEBI"), ("go.json.gz", "GO"), ("mondo.json.gz", "MONDO")):
            with gzip.open(refdata / name, "rt", encoding="utf-8") as src:
                entries = json.load(src)

            def iri(x: str, prefix: str = prefix) -> str:
                local = x.split(":", 1)[1] if ":" in x else x
                return f"<{OBO}{prefix}_{local}>"

            for e in entries:
                s = iri(e["id"])
                fh.write(f"{s} {RDF_TYPE} <{OWL}Class> .\n")
                if e.get("name"):
                    fh.write(f"{s} {RDFS_LABEL} {_lit(e['name'])} .\n")
                rel = e.get("relations") or {}
                for parent in rel.get("is_a", []):
                    fh.write(f"{s} {SUBCLASS} {iri(parent)} .\n")
                for key, prop in RELATIONS.items():
                    for target_id in rel.get(key, []):
                        n += 1
                        b = f"_:r{n}"
                        fh.write(f"{s} {SUBCLASS} {b} .\n{b} {RDF_TYPE} <{OWL}Restriction> .\n"
                                 f"{b} <{OWL}onProperty> <{prop}> .\n{b} <{OWL}someValuesFrom> {iri(target_id)} .\n")
    os.replace(tmp, target)
    return target


def synthetic_claims(release_nt: Path, factor: int, out: Path) -> Path:
    """The claim triples copied ``factor - 1`` more times under new claim IRIs."""
    target = out / f"claims-x{factor}.nt"
    if target.exists() or factor <= 1:
        return target
    claim = "<https://w3id.org/gerokg/claim/"
    lines = [line for line in release_nt.read_text(encoding="utf-8").splitlines() if line.startswith(claim)]
    with open(target, "w", encoding="utf-8") as fh:
        for k in range(1, factor):
            for line in lines:
                fh.write(line.replace(claim + "C", claim + f"S{k}-C") + "\n")
    return target


# ------------------------------------------------------------------------------------------
# measurement helpers
# ------------------------------------------------------------------------------------------


def median_time(fn: Any, repeat: int, timeout: float | None = None) -> float | None:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        if timeout:
            signal.alarm(int(math.ceil(timeout)))
        try:
            fn()
        except _Timeout:
            return None
        finally:
            if timeout:
                signal.alarm(0)
        times.append(time.perf_counter() - t)
        if timeout and times[-1] > timeout / 3:
            break
    return statistics.median(times)


class _Timeout(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise _Timeout()


def child_load(engine: str, files: list[str]) -> None:
    """Run in a child process: load files, print seconds, peak RSS and triples as JSON."""
    t = time.perf_counter()
    if engine == "oxigraph":
        from gerokg.store import GerokgStore

        st = GerokgStore()
        st.add_files(files)
        n = len(st)
    else:
        from rdflib import Graph

        g = Graph()
        for f in files:
            g.parse(f, format="nt" if f.endswith(".nt") else None)
        n = len(g)
    secs = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": secs, "rss_mb": rss, "triples": n}))


def measure_load(engine: str, files: list[Path]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child-load", engine, *map(str, files)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fit_exponent(xs: list[float], ys: list[float]) -> float:
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "timeout"
    if unit == "s":
        return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"
    return f"{x:.0f} {unit}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "n/a" if a is not None else ">timeout"
    return f"{a / b:.1f}x"


# ------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refdata", type=Path, default=ROOT.parent / "shared" / "refdata")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rdflib-timeout", type=float, default=60.0)
    ap.add_argument("--child-load", nargs="+")
    args = ap.parse_args()
    if args.child_load:
        child_load(args.child_load[0], args.child_load[1:])
        return
    signal.signal(signal.SIGALRM, _alarm)

    from rdflib import Graph, Literal, URIRef
    from rdflib.term import Variable

    from gerokg.build import build_release
    from gerokg.query import bind_params, bind_query_text, list_queries, run_query
    from gerokg.store import GerokgStore

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="gerokg-bench-"))
    report: list[str] = []
    plot: dict[str, list[tuple[int, float]]] = {}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    def say(line: str = "") -> None:
        print(line, flush=True)
        report.append(line)

    build_release(work / "release")
    release_nt = work / "release" / "gerokg-full.nt"
    tiers = {"release": [release_nt]}
    if not args.quick and args.refdata.is_dir():
        tiers["release+ChEBI+GO+MONDO"] = [release_nt, convert_scale(args.refdata, data)]

    say("# gerokg benchmark results")
    say()
    say(f"Run {started} on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"`python benchmarks/run.py{' --quick' if args.quick else ''}` (median of {args.repeat} runs unless noted).")
    say()

    # 1. load
    say("## 1. Load time and peak memory")
    say()
    say("| data | triples | gerokg (Oxigraph) load | rdflib Graph load | speed-up | gerokg peak RSS | rdflib peak RSS |")
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    loads: dict[str, dict[str, Any]] = {}
    for tier, files in tiers.items():
        ox_load = measure_load("oxigraph", files)
        rl_load = measure_load("rdflib", files)
        loads[tier] = {"ox": ox_load, "rdflib": rl_load}
        say(f"| {tier} | {ox_load['triples']:,} | {fmt(ox_load['seconds'])} | {fmt(rl_load['seconds'])} | "
            f"{ratio(rl_load['seconds'], ox_load['seconds'])} | {ox_load['rss_mb']:.0f} MB | {rl_load['rss_mb']:.0f} MB |")
        plot.setdefault("load: gerokg", []).append((ox_load["triples"], ox_load["seconds"]))
        plot.setdefault("load: rdflib", []).append((rl_load["triples"], rl_load["seconds"]))
    say()

    # 2. queries
    queries = [q for q in list_queries(include_qc=False)]
    for tier, files in tiers.items():
        say(f"## 2. Canned queries on {tier} ({loads[tier]['ox']['triples']:,} triples)")
        say()
        store = GerokgStore()
        store.add_files(files)
        g = Graph()
        for f in files:
            g.parse(f, format="nt")
        say("| query | rows | gerokg | raw pyoxigraph | gerokg layer | rdflib | rdflib / gerokg |")
        say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        sum_g = sum_r = 0.0
        slower = []
        rdflib_timeouts = 0
        for q in queries:
            bound = bind_params(q, {})
            text = bind_query_text(q, bound)
            rows = len(run_query(q, store))
            t_g = median_time(lambda q=q: run_query(q, store), args.repeat)
            def raw(text: str = text) -> Any:
                res = store.ox.query(text)  # the engine alone, reading every value of every row
                if hasattr(res, "variables"):
                    names = res.variables
                    return [[sol[v] for v in names] for sol in res]
                return list(res) if not isinstance(res, bool) else res

            t_raw = median_time(raw, args.repeat)
            init = {Variable(k): (URIRef(v.value) if type(v).__name__ == "NamedNode" else
                                  Literal(v.value, datatype=URIRef(v.datatype.value))) for k, v in bound.items()}
            t_r = median_time(lambda q=q, init=init: list(g.query(q.text, initBindings=init)),
                              args.repeat, timeout=args.rdflib_timeout)
            assert t_g is not None and t_raw is not None
            sum_g += t_g
            if t_r is None:
                rdflib_timeouts += 1
                sum_r += args.rdflib_timeout
            else:
                sum_r += t_r
                if t_r < t_g:
                    slower.append(q.name)
            layer = f"{(t_g - t_raw) / t_raw * 100:+.0f}%" if t_raw > 0 else "n/a"
            say(f"| {q.name} | {rows} | {fmt(t_g)} | {fmt(t_raw)} | {layer} | "
                f"{fmt(t_r) if t_r is not None else f'>{args.rdflib_timeout:g} s'} | {ratio(t_r, t_g)} |")
        say()
        say(f"Sum over the {len(queries)} queries: gerokg {fmt(sum_g)}, rdflib {fmt(sum_r)}"
            f"{f' (counting {rdflib_timeouts} timeouts as {args.rdflib_timeout:g} s)' if rdflib_timeouts else ''}: "
            f"**{sum_r / sum_g:.0f}x**. Queries where rdflib was faster: {', '.join(slower) or 'none'}.")
        say()
        del g

    # 3. cold start
    say("## 3. `gerokg query` cold start")
    say()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gerokg", "query", "regulatory-events", "--release", str(release_nt),
                    "--format", "csv"], check=True, capture_output=True)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import rdflib"], check=True)
    py = time.perf_counter() - t
    say(f"Process start to answer, `gerokg query regulatory-events --release build/gerokg-full.nt`: {fmt(cold)} "
        f"(of which starting Python and importing rdflib: {fmt(py)}).")
    say()

    # 4. validation and reasoning growth
    say("## 4. SHACL validation and reasoning as the claims grow")
    say()
    from gerokg.rdfio import parse_rdf_file
    from gerokg.validate import load_shapes

    import pyshacl

    baseline = Graph()
    for p in sorted((HERE / "baseline_shapes").glob("*.ttl")):
        baseline.parse(p)
    factors = [1, 10] if args.quick else [1, 10, 100]
    say("| claims | triples | validation (gerokg shapes) | validation (baseline shapes) | speed-up | HermiT reasoning |")
    say("| ---: | ---: | ---: | ---: | ---: | ---: |")
    val_points, reason_points = [], []
    for factor in factors:
        g = parse_rdf_file(release_nt)
        if factor > 1:
            g.parse(synthetic_claims(release_nt, factor, data), format="nt")
        n = len(g)
        t = time.perf_counter()
        conforms, _, _ = pyshacl.validate(g, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True)
        t_val = time.perf_counter() - t
        assert conforms, "the release with synthetic claims should conform"
        t_base: float | None = None
        if factor <= 10:
            t = time.perf_counter()
            pyshacl.validate(g, shacl_graph=baseline, inference="none", advanced=True, allow_warnings=True)
            t_base = time.perf_counter() - t
        t_reason: float | None = None
        if factor <= 10 and shutil.which("java"):
            from gerokg.reason import reason

            t = time.perf_counter()
            reason(graph=g)
            t_reason = time.perf_counter() - t
            reason_points.append((n, t_reason))
        val_points.append((n, t_val))
        say(f"| {289 * factor:,} | {n:,} | {fmt(t_val)} | {fmt(t_base) if t_base else 'not run'} | "
            f"{ratio(t_base, t_val) if t_base else 'n/a'} | {fmt(t_reason) if t_reason else 'not run'} |")
    say()
    exp_val = fit_exponent([x for x, _ in val_points], [y for _, y in val_points])
    say(f"Validation time grows as triples^{exp_val:.2f} over these tiers"
        + (f"; reasoning as triples^{fit_exponent([x for x, _ in reason_points], [y for _, y in reason_points]):.2f}"
           if len(reason_points) > 1 else "") + ".")
    say()
    plot["SHACL validation"] = val_points
    if reason_points:
        plot["HermiT reasoning"] = reason_points
    ox_loads = [(loads[t]["ox"]["triples"], loads[t]["ox"]["seconds"]) for t in loads]
    if len(ox_loads) > 1:
        say(f"Loading grows as triples^{fit_exponent([x for x, _ in ox_loads], [y for _, y in ox_loads]):.2f} "
            f"in Oxigraph and triples^{fit_exponent([loads[t]['rdflib']['triples'] for t in loads], [loads[t]['rdflib']['seconds'] for t in loads]):.2f} in rdflib.")
        say()

    # 5. HTTP
    say("## 5. The canned queries over HTTP (release)")
    say()
    http_rows = http_comparison(release_nt, work, queries, args.repeat)
    say("| query | gerokg serve | Oxigraph server | Virtuoso |")
    say("| --- | ---: | ---: | ---: |")
    totals = {"gerokg": 0.0, "oxigraph": 0.0, "virtuoso": 0.0}
    for name, times in http_rows:
        for k, v in times.items():
            if v is not None:
                totals[k] += v
        say(f"| {name} | {fmt(times.get('gerokg'))} | {fmt(times.get('oxigraph'))} | {fmt(times.get('virtuoso'))} |")
    say(f"| **sum** | {fmt(totals['gerokg'])} | {fmt(totals['oxigraph'])} | {fmt(totals['virtuoso'])} |")
    say()

    write_plot(plot, HERE / "scaling.png")
    say("![time versus triples](scaling.png)")
    (HERE / "RESULTS.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


def http_comparison(release_nt: Path, work: Path, queries: list[Any], repeat: int) -> list[tuple[str, dict[str, float | None]]]:
    import urllib.parse
    import urllib.request

    from gerokg.query import bind_params, bind_query_text
    from gerokg.remote import publish_release
    from gerokg.server import EndpointConfig, start_server
    from servers import oxigraph_available, oxigraph_server, virtuoso_available, virtuoso_server

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def timed(url: str, text: str, default_graph: str | None) -> float | None:
        params = {"query": "\n".join(line for line in text.splitlines() if not line.startswith("#+"))}
        if default_graph:
            params["default-graph-uri"] = default_graph
        body = urllib.parse.urlencode(params).encode()

        def once() -> None:
            req = urllib.request.Request(url, data=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
            with opener.open(req, timeout=120) as resp:
                resp.read()
        return median_time(once, repeat)

    texts = [(q.name, bind_query_text(q, bind_params(q, {}))) for q in queries if q.form == "SELECT"]
    results: dict[str, dict[str, float | None]] = {name: {} for name, _ in texts}
    handle = start_server(EndpointConfig(port=0, timeout=120, max_rows=1_000_000, workers=2), release=release_nt)
    try:
        for name, text in texts:
            results[name]["gerokg"] = timed(f"{handle.url}/sparql", text, None)
    finally:
        handle.stop()
    for store_name, available, ctx in (("oxigraph", oxigraph_available, oxigraph_server),
                                       ("virtuoso", virtuoso_available, virtuoso_server)):
        if available():
            continue
        (work / store_name).mkdir(parents=True, exist_ok=True)
        with ctx(work / store_name) as server:
            publish_release(server.gsp_url, release_nt, graph=server.graph, user=server.user,
                            password=server.password, auth=server.auth or "basic",
                            graph_param="graph-uri" if store_name == "virtuoso" else "graph")
            for name, text in texts:
                results[name][store_name] = timed(server.query_url, text, server.graph)
    return list(results.items())


def write_plot(series: dict[str, list[tuple[int, float]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, points in series.items():
        pts = sorted(points)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds")
    ax.set_title("gerokg: time versus graph size (log-log)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
