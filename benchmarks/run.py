"""gerokg benchmarks: one command, one run, ratios against baselines measured in the same run.

    python benchmarks/run.py [--refdata ../shared/refdata] [--repeat 5] [--quick] [--no-http]

Measures, on this machine:

1. load time, rate and peak memory of the release alone and of release + ChEBI + GO + MONDO
   (converted from ``--refdata`` to OWL-style N-Triples: labels, rdfs:subClassOf, relations as
   existential restrictions): gerokg's embedded store (Oxigraph) versus raw pyoxigraph bulk
   loading and rdflib's in-memory Graph;
2. every canned query: median time, gerokg (``run_query``) versus rdflib's SPARQL engine on the
   same data, and versus the raw engine underneath (pyoxigraph on the same bound text);
3. start-up: ``gerokg query`` cold (process start to answer) on the release, and ``gerokg serve
   --store DIR`` on a new folder and restarted on it, at every tier (first answer, copies made);
4. SHACL validation: pySHACL versus pyshacl-turbo (gerokg's default engine) and pyrudof on the
   release and on every shape fixture merged with it (time, and whether the report is the same as
   pySHACL's), growing with synthetic tiers (the claims copied 10x and 100x), the straightforward
   shape formulation (``benchmarks/baseline_shapes/``) as a second baseline, and a one-claim
   user file validated end to end;
5. reasoning: HermiT cold versus its kept conclusions, at the 1x and 10x tiers, and the EL
   reasoner whelk (py-whelk over py-horned-owl) where it runs;
6. the canned queries over HTTP at every tier: ``gerokg serve`` versus the Oxigraph server (on
   disk and in memory) and Virtuoso (release only) loaded with the same data, one query at a time
   and 32 clients at once (``benchmarks/http_bench.py``).

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
import threading
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
    """Run in a child process: load files, print seconds, peak RSS and triples as JSON (the
    libraries are imported before the clock starts)."""
    import pyoxigraph  # noqa: F401
    from rdflib import Graph

    from gerokg.release.store import GerokgStore

    before = _rss_mb()  # the libraries' own
    t = time.perf_counter()
    if engine == "oxigraph":
        st = GerokgStore()
        st.add_files(files)
        n = len(st)
    elif engine == "raw":
        n = _raw_load("bulk-path", files)
    elif engine.startswith("raw-"):  # the options of section 1b
        n = _raw_load(engine[4:], files)
    elif engine.startswith("split2-"):  # ceiling probes of section 1b
        halves = _halves(files)
        t = time.perf_counter()  # the cut is not timed
        n = _split_load(engine == "split2-one-store", halves)
    elif engine == "oxigraph-cli":
        n = _cli_load(files)
    elif engine == "reopen":  # a store folder gerokg built before, opened again
        folder = files[0]
        t = time.perf_counter()
        st = GerokgStore(folder)
        n = st.default_graph_size()
    else:
        g = Graph()
        for f in files:
            g.parse(f, format="nt" if f.endswith(".nt") else None)
        n = len(g)
    secs = time.perf_counter() - t
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    added = _rss_mb() - before if engine != "oxigraph-cli" else 0
    print(json.dumps({"seconds": secs, "rss_mb": rss, "added_mb": added, "triples": n}))


def _raw_load(how: str, files: list[str]) -> int:
    """One of pyoxigraph's load calls (section 1b); returns the triples loaded."""
    import pyoxigraph as ox

    folder = tempfile.mkdtemp(prefix="gerokg-load-") if how.startswith("disk") else None
    raw = ox.Store(folder) if folder else ox.Store()
    lenient = how.endswith("-lenient")
    nt, dg = ox.RdfFormat.N_TRIPLES, ox.DefaultGraph()
    for f in files:
        if how.startswith(("bulk-path", "disk-bulk")):
            raw.bulk_load(path=f, format=nt, to_graph=dg, lenient=lenient)
        elif how.startswith("bulk-file"):
            with open(f, "rb") as fh:
                raw.bulk_load(fh, format=nt, to_graph=dg, lenient=lenient)
        elif how.startswith("load-file"):
            with open(f, "rb") as fh:
                raw.load(fh, format=nt, to_graph=dg, lenient=lenient)
        elif how.startswith("load-bytes"):
            raw.load(Path(f).read_bytes(), format=nt, to_graph=dg, lenient=lenient)
        else:
            raise ValueError(how)
    n = len(raw)
    if folder:
        del raw
        shutil.rmtree(folder, ignore_errors=True)
    return n


def _split_load(one_store: bool, halves: list[bytes]) -> int:
    """Two halves of an N-Triples file loaded from two threads (pyoxigraph lets go of the GIL while
    it loads), into one store or into a store each. Not a load gerokg could make: each call gives
    its blank nodes fresh names, so a blank node whose triples fall on both sides would become two."""
    import pyoxigraph as ox

    stores = [ox.Store()] * 2 if one_store else [ox.Store(), ox.Store()]
    threads = [threading.Thread(target=s.load, args=(h,), kwargs={"format": ox.RdfFormat.N_TRIPLES})
               for s, h in zip(stores, halves, strict=True)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(len(s) for s in (stores[:1] if one_store else stores))


def _cli_load(files: list[str]) -> int:
    """The engine's own bulk loader, ``oxigraph load``, into a new RocksDB folder."""
    import pyoxigraph as ox

    folder = tempfile.mkdtemp(prefix="gerokg-load-")
    try:
        from servers import _oxigraph_binary

        subprocess.run([_oxigraph_binary() or "oxigraph", "load", "--location", folder, "--file", *files],
                       check=True, capture_output=True)
        return len(ox.Store.read_only(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _halves(files: list[str]) -> list[bytes]:
    """The files' bytes cut in two at the line nearest the middle (N-Triples: one triple a line)."""
    data = b"".join(Path(f).read_bytes() for f in files)
    cut = data.index(b"\n", len(data) // 2) + 1
    return [data[:cut], data[cut:]]


def _rss_mb() -> float:
    """This process's resident memory now, in MB (``ru_maxrss`` is the peak so far)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def measure_load(engine: str, files: list[Path] | list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child-load", engine, *map(str, files)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


LOAD_OPTIONS = [
    ("raw-bulk-path", "in memory", "`bulk_load(path=...)` (the raw figure above)"),
    ("raw-bulk-file", "in memory", "`bulk_load(file)`"),
    ("raw-load-file", "in memory", "`load(file)`, one transaction (gerokg's in-memory path)"),
    ("raw-load-bytes", "in memory", "`load(bytes)`"),
    ("raw-bulk-path-lenient", "in memory", "`bulk_load(path=..., lenient=True)`"),
    ("raw-load-file-lenient", "in memory", "`load(file, lenient=True)`"),
    ("raw-disk-bulk", "on disk", "`bulk_load(path=...)` into a RocksDB folder (gerokg's `--store` path)"),
    ("raw-disk-bulk-lenient", "on disk", "`bulk_load(path=..., lenient=True)` into a RocksDB folder"),
    ("oxigraph-cli", "on disk", "`oxigraph load` (the engine's own command-line bulk loader) into a RocksDB folder"),
]

#: ceiling probes, not loads gerokg could make (see the note under the table)
PARALLEL_PROBES = [
    ("split2-one-store", "in memory", "the file cut in two at a line, both halves `load(bytes)` from two threads "
     "into one store"),
    ("split2-two-stores", "in memory", "the same two halves from two threads, each into a store of its own"),
]


def combined(files: list[Path], work: Path) -> Path:
    """The files of a tier as one N-Triples file (their blank node labels do not meet: the release's
    are hashes, the scale data's r1, r2, ...)."""
    if len(files) == 1:
        return files[0]
    target = work / ("combined-" + "-".join(f.stem for f in files) + ".nt")
    if not target.exists():
        with open(target, "wb") as out:
            for f in files:
                out.write(f.read_bytes())
    return target


def load_options(tiers: dict[str, list[Path]], loads: dict[str, Any], work: Path, say: Any) -> None:
    """Section 1b: pyoxigraph's ways to load the largest tier, each in a fresh process."""
    tier = list(tiers)[-1]
    files = tiers[tier]
    say(f"### 1b. Ways to load {tier} with pyoxigraph {__import__('pyoxigraph').__version__} "
        "(N-Triples, one fresh process each)")
    say()
    say("| store | call | time | rate | peak RSS |")
    say("| --- | --- | ---: | ---: | ---: |")
    from servers import _oxigraph_binary

    rates: dict[str, float] = {}
    for engine, where, call in LOAD_OPTIONS:
        if engine == "oxigraph-cli" and _oxigraph_binary() is None:
            say(f"| {where} | {call} | not installed | | |")
            continue
        r = measure_load(engine, files)
        rates[engine] = r["triples"] / r["seconds"] / 1e6
        say(f"| {where} | {call} | {fmt(r['seconds'])} | {rates[engine]:.2f} M/s | {r['rss_mb']:.0f} MB |")
    from gerokg.release.store import open_store

    folder = work / "reopen-store"
    open_store(combined(files, work), location=folder)
    r = measure_load("reopen", [str(folder)])
    say(f"| on disk, reused | a `--store` folder gerokg filled before, opened again (no parsing; reported apart "
        f"from the cold figures) | {fmt(r['seconds'])} | n/a | {r['rss_mb']:.0f} MB |")
    say()
    say("`lenient=True` skips some of Oxigraph's validation (of IRIs, for one): gerokg does not use it, since a "
        "user's file with a bad IRI must be refused with its file and line, not loaded.")
    say()
    parallel_probes(files, rates, say)


def parallel_probes(files: list[Path], rates: dict[str, float], say: Any) -> None:
    """Section 1c: would two threads load faster? (the machine has two cores)"""
    say(f"### 1c. Two threads on {os.cpu_count()} cores (ceiling probes, in fresh processes)")
    say()
    say("| store | load | time | rate | peak RSS |")
    say("| --- | --- | ---: | ---: | ---: |")
    probe: dict[str, float] = {}
    for engine, where, call in PARALLEL_PROBES:
        r = measure_load(engine, files)
        probe[engine] = r["triples"] / r["seconds"] / 1e6
        say(f"| {where} | {call} | {fmt(r['seconds'])} | {probe[engine]:.2f} M/s | {r['rss_mb']:.0f} MB |")
    say()
    single = rates.get("raw-load-bytes", 0.0)
    strict = {k: v for k, v in rates.items() if not k.endswith("-lenient")}
    best = max(strict, key=strict.__getitem__)
    fastest = max(rates, key=rates.__getitem__)
    say(f"Two threads into one store: {probe['split2-one-store'] / single:.2f}x the one-thread `load(bytes)`; "
        f"the same halves into two stores: {probe['split2-two-stores'] / single:.2f}x. An Oxigraph store takes one "
        "writer at a time, so a second thread only waits; parsing in parallel pays only when each thread "
        "fills a store of its own, and gerokg answers queries from one store. The cut itself would not be safe "
        "either: each load call gives a file's blank nodes fresh names (so two files' `_:b1` stay apart), and a "
        "blank node with triples on both sides of the cut would become two.")
    say()
    verdict = "reaches" if strict[best] >= 0.5 else "does not reach"
    say(f"On this machine the fastest strict call, {dict((e, c) for e, _, c in LOAD_OPTIONS)[best]}, "
        f"{verdict} the 0.5 M triples/s target ({strict[best]:.2f} M/s); the fastest call of all, lenient or "
        f"not, gives {rates[fastest]:.2f} M/s.")
    say()


def fit_exponent(xs: list[float], ys: list[float]) -> float:
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


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
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP comparison (section 6)")
    ap.add_argument("--child-load", nargs="+")
    args = ap.parse_args()
    if args.child_load:
        child_load(args.child_load[0], args.child_load[1:])
        return
    signal.signal(signal.SIGALRM, _alarm)
    try:  # the plot is written last: refuse to start a long run that could not finish it
        import matplotlib  # noqa: F401
    except ImportError:
        sys.exit("benchmarks/run.py needs the bench extras: pip install -e '.[bench]'")

    from rdflib import Graph, Literal, URIRef
    from rdflib.term import Variable

    from gerokg.artefacts.build import build_release
    from gerokg.querying.canned import bind_params, bind_query_text, list_queries, run_query
    from gerokg.release.store import GerokgStore

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
        f"`python benchmarks/run.py{' --quick' if args.quick else ''}{' --no-http' if args.no_http else ''}"
        f"{f' --repeat {args.repeat}' if args.repeat != 5 else ''}"
        f"{f' --rdflib-timeout {args.rdflib_timeout:g}' if args.rdflib_timeout != 60 else ''}` "
        f"(median of {args.repeat} runs unless noted). Load average at the start: "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min); the machine is shared, so "
        "compare ratios measured in the same run.")
    say()

    # 1. load
    say("## 1. Load time and peak memory")
    say()
    say("| data | triples | gerokg (Oxigraph) load | raw pyoxigraph bulk_load | rdflib Graph load | speed-up over rdflib | "
        "gerokg rate | raw rate | gerokg peak RSS | rdflib peak RSS | memory gerokg's load adds | memory rdflib's load adds |")
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    loads: dict[str, dict[str, Any]] = {}
    for tier, files in tiers.items():
        ox_load = measure_load("oxigraph", files)
        raw_load = measure_load("raw", files)
        rl_load = measure_load("rdflib", files)
        loads[tier] = {"ox": ox_load, "rdflib": rl_load, "raw": raw_load}
        say(f"| {tier} | {ox_load['triples']:,} | {fmt(ox_load['seconds'])} | {fmt(raw_load['seconds'])} | "
            f"{fmt(rl_load['seconds'])} | {ratio(rl_load['seconds'], ox_load['seconds'])} | "
            f"{ox_load['triples'] / ox_load['seconds'] / 1e6:.2f} M/s | {raw_load['triples'] / raw_load['seconds'] / 1e6:.2f} M/s | "
            f"{ox_load['rss_mb']:.0f} MB | {rl_load['rss_mb']:.0f} MB | {ox_load['added_mb']:.0f} MB | "
            f"{rl_load['added_mb']:.0f} MB |")
        plot.setdefault("load: gerokg", []).append((ox_load["triples"], ox_load["seconds"]))
        plot.setdefault("load: rdflib", []).append((rl_load["triples"], rl_load["seconds"]))
    say()
    if len(loads) > 1:
        ox_exp = fit_exponent([loads[t]['ox']['triples'] for t in loads], [loads[t]['ox']['seconds'] for t in loads])
        rl_exp = fit_exponent([loads[t]['rdflib']['triples'] for t in loads], [loads[t]['rdflib']['seconds'] for t in loads])
        say(f"Loading grows as triples^{ox_exp:.2f} "
            f"in Oxigraph and triples^{rl_exp:.2f} in rdflib. "
            "gerokg hands N-Triples and Turtle files straight to Oxigraph: to `Store.load` (one transaction) for its "
            "in-memory store, to the bulk loader for a `--store` folder; the raw figure is `bulk_load(path=...)` "
            "into an in-memory store (section 1b has the other calls). Target: at least 0.5 M triples/s at ChEBI "
            "scale, and peak memory below rdflib's. Each load runs in a fresh process with both libraries imported "
            "before the clock starts, so a peak RSS includes their code (about 120 MB); the last two columns are the "
            "resident memory after the load minus just before it: the memory the loaded data holds.")
        say()

    load_options(tiers, loads, work, say)

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
            t_g = median_time(lambda q=q, store=store: run_query(q, store), args.repeat)
            def raw(text: str = text, store: Any = store) -> Any:
                res = store.ox.query(text)  # the engine alone, reading every value of every row
                if hasattr(res, "variables"):
                    names = res.variables
                    return [[sol[v] for v in names] for sol in res]
                return list(res) if not isinstance(res, bool) else res

            t_raw = median_time(raw, args.repeat)
            init = {Variable(k): (URIRef(v.value) if type(v).__name__ == "NamedNode" else
                                  Literal(v.value, datatype=URIRef(v.datatype.value))) for k, v in bound.items()}
            t_r = median_time(lambda q=q, init=init, g=g: list(g.query(q.text, initBindings=init)),
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
    say("## 3. Start-up: `gerokg query` cold, `gerokg serve` restarted")
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
    startup_section(tiers, work, loads, say)

    validation_and_reasoning(args, release_nt, data, work, plot, loads, say)

    # 6. HTTP
    http_section(args, tiers, work, queries, loads, say)

    say(f"Load average at the end of the run: {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min).")
    say()
    write_plot(plot, HERE / "scaling.png")
    say("![time versus triples](scaling.png)")
    (HERE / "RESULTS.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# validation and reasoning
# ------------------------------------------------------------------------------------------


def _report_rows(report_graph: Any) -> list[tuple]:
    """A SHACL report graph as comparable rows (focus, source shape, path, severity, value);
    blank nodes read '_:' since each engine labels them its own way."""
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    def norm(x: Any) -> str | None:
        return None if x is None else ("_:" if isinstance(x, BNode) else str(x))

    rows = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        path = report_graph.value(r, SH.resultPath)
        if isinstance(path, BNode):
            path = "^" + str(report_graph.value(path, SH.inversePath))
        severity = norm(report_graph.value(r, SH.resultSeverity))
        rows.append((norm(report_graph.value(r, SH.focusNode)), norm(report_graph.value(r, SH.sourceShape)),
                     norm(path), severity.rsplit("#", 1)[-1] if severity else None,
                     norm(report_graph.value(r, SH.value))))
    return sorted(rows)


def _sparql_targeted_shapes() -> set[str]:
    """gerokg's shapes whose focus nodes come from an ``sh:SPARQLTarget``, with the property
    shapes they reach through ``sh:property``."""
    from rdflib.namespace import RDF, SH

    from gerokg.checks.validate import load_shapes

    shapes = load_shapes()
    found = {str(s) for s, t in shapes.subject_objects(SH.target) if (t, RDF.type, SH.SPARQLTarget) in shapes}
    found |= {str(p) for s in list(found) for p in shapes.objects(__import__("rdflib").URIRef(s), SH.property)}
    return found


def _only_sparql_targets_missing(reference: list[tuple], rows: list[tuple]) -> bool:
    """Whether ``rows`` are ``reference`` less (some of) the rows of SPARQL-targeted shapes."""
    targeted = _sparql_targeted_shapes()
    missing = [r for r in reference if r not in rows]
    return bool(missing) and all(r in reference for r in rows) and all(r[1] in targeted for r in missing)


def run_engine(engine: str, g: Any) -> tuple[float, list[tuple]]:
    """Seconds and report rows of one engine on an rdflib graph, with gerokg's shapes."""
    from gerokg.checks.validate import _run_engine, load_shapes

    t = time.perf_counter()
    if engine == "pyrudof":
        import pyrudof

        shapes = load_shapes().serialize(format="turtle")
        r = pyrudof.Rudof(pyrudof.RudofConfig())
        r.read_data(g.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
        r.read_shacl(shapes)
        report = r.validate_shacl()

        def strip(x: Any) -> str | None:
            x = None if x is None else str(x)
            if x and x.startswith("<") and x.endswith(">"):
                return x[1:-1]
            if x and x.startswith('"') and x.count('"') >= 2:  # a literal: its lexical form
                return x[1:x.rindex('"')]
            return "_:" if x and x.startswith("_:") else x

        rows = sorted((strip(e.focus_node), strip(e.source_shape), strip(e.path), strip(e.severity), strip(e.value))
                      for e in report)
        return time.perf_counter() - t, rows
    _conforms, report_graph = _run_engine(engine, g)
    return time.perf_counter() - t, _report_rows(report_graph)


def validation_and_reasoning(args: Any, release_nt: Path, data: Path, work: Path, plot: dict[str, Any],
                             loads: dict[str, Any], say: Any) -> None:
    import warnings

    from rdflib import Graph

    from gerokg.rdf.rdfio import parse_rdf_file

    warnings.simplefilter("ignore")
    os.environ["GEROKG_CACHE_DIR"] = str(work / "cache")  # a cold cache of this run's own
    engines = ["pyshacl", "turbo"]
    try:
        import pyrudof  # noqa: F401

        engines.append("pyrudof")
    except ImportError:
        pass
    names = {"pyshacl": "pySHACL", "turbo": "pyshacl-turbo", "pyrudof": "pyrudof"}
    from importlib.metadata import version

    versions = {e: version({"pyshacl": "pyshacl", "turbo": "pyshacl-turbo", "pyrudof": "pyrudof"}[e]) for e in engines}

    # 4a. every fixture, one at a time
    say("## 4. SHACL validation")
    say()
    say("### 4a. The release and every shape fixture merged with it, one at a time")
    say()
    fixtures = sorted((ROOT / "tests" / "fixtures" / "shapes").glob("*.ttl"))
    release_graph = parse_rdf_file(release_nt)
    cases: list[tuple[str, Any]] = [("release", release_graph)]
    if not args.quick:
        for f in fixtures:
            g = Graph()
            if "# with-release: yes" in f.read_text():
                for t in release_graph:
                    g.add(t)
            g.parse(f)
            cases.append((f.stem, g))
    times: dict[str, list[float]] = {e: [] for e in engines}
    same: dict[str, int] = {e: 0 for e in engines}
    differs: dict[str, list[str]] = {e: [] for e in engines}
    sparql_target_gap: dict[str, list[str]] = {e: [] for e in engines}
    for e in engines:  # imports and shape compilation are not the engine's per-graph cost
        run_engine(e, parse_rdf_file(fixtures[0]))
    for name, g in cases:
        ref_rows: list[tuple] | None = None
        for e in engines:
            secs, rows = run_engine(e, g)
            if name == "release":  # the headline figure: a median
                secs = statistics.median([secs] + [run_engine(e, g)[0] for _ in range(max(0, min(args.repeat, 3) - 1))])
            times[e].append(secs)
            if e == "pyshacl":
                ref_rows = rows
            if rows == ref_rows:
                same[e] += 1
            else:
                differs[e].append(name)
                if ref_rows is not None and _only_sparql_targets_missing(ref_rows, rows):
                    sparql_target_gap[e].append(name)
    say(f"| engine | version | release | sum over the {len(cases) - 1} fixtures | speed-up over pySHACL (sum) | "
        f"reports identical to pySHACL's |")
    say("| --- | --- | ---: | ---: | ---: | ---: |")
    for e in engines:
        total = sum(times[e][1:])
        ref_total = sum(times["pyshacl"][1:])
        say(f"| {names[e]} | {versions[e]} | {fmt(times[e][0])} | {fmt(total) if len(cases) > 1 else 'not run'} | "
            f"{ratio(ref_total, total) if len(cases) > 1 else ratio(times['pyshacl'][0], times[e][0])} | "
            f"{same[e]} of {len(cases)} |")
    say()
    for e in engines:
        if differs[e]:
            say(f"{names[e]} differs from pySHACL on: {', '.join(differs[e])}.")
            gap = sparql_target_gap[e]
            if gap:
                say(f"On {len(gap)} of these {len(differs[e])} the only difference is that {names[e]} reports nothing "
                    "for the shapes whose focus nodes come from a SPARQL-based target (`sh:SPARQLTarget`, SHACL "
                    "Advanced Features: the native-term and ontology-header shapes) or for the property "
                    "shapes reached from them: it does not apply such targets, so those nodes are never checked.")
    say("Times are the engine alone on an rdflib graph already in memory, after one warm-up run (the release: median "
        "of up to 3 runs; each fixture: one run); a report is the same when its (focus node, source shape, path, "
        "severity, value) rows are, blank nodes aside.")
    say()

    # 4b. tiers
    say("### 4b. As the claims grow")
    say()
    factors = [1, 10] if args.quick else [1, 10, 100]
    baseline = Graph()
    for p in sorted((HERE / "baseline_shapes").glob("*.ttl")):
        baseline.parse(p)
    import pyshacl

    say("| claims | triples | pySHACL | pyshacl-turbo | speed-up | pySHACL, baseline shapes |")
    say("| ---: | ---: | ---: | ---: | ---: | ---: |")
    val_points: dict[str, list[tuple[int, float]]] = {"pySHACL": [], "pyshacl-turbo": []}
    tier_graphs: dict[int, Any] = {}
    for factor in factors:
        g = parse_rdf_file(release_nt)
        if factor > 1:
            g.parse(synthetic_claims(release_nt, factor, data), format="nt")
        n = len(g)
        tier_graphs[factor] = g if factor <= 10 else None
        t_turbo = median_time(lambda g=g: run_engine("turbo", g), max(1, min(args.repeat, 3)) if factor == 1 else 1)
        t_py = run_engine("pyshacl", g)[0] if factor <= 10 else None
        t_base: float | None = None
        if factor == 1:
            t = time.perf_counter()
            pyshacl.validate(g, shacl_graph=baseline, inference="none", advanced=True, allow_warnings=True)
            t_base = time.perf_counter() - t
        val_points["pyshacl-turbo"].append((n, t_turbo or 0.0))
        if t_py is not None:
            val_points["pySHACL"].append((n, t_py))
        say(f"| {289 * factor:,} | {n:,} | {fmt(t_py) if t_py else 'not run'} | {fmt(t_turbo)} | "
            f"{ratio(t_py, t_turbo) if t_py else 'n/a'} | {fmt(t_base) if t_base else 'not run'} |")
    say()
    for label, pts in val_points.items():
        if len(pts) > 1:
            say(f"{label} time grows as triples^{fit_exponent([x for x, _ in pts], [y for _, y in pts]):.2f} over these tiers.")
        plot[f"validation: {label}"] = pts
    say()

    # 4c. a user's file
    say("### 4c. A one-claim user file")
    say()
    user = ROOT / "tests" / "fixtures" / "shapes" / "valid-user-claim.ttl"
    from gerokg.checks.validate import validate

    say("| engine | in-process, after start-up | in-process, whole merged graph (`full=True`) | "
        "`gerokg validate` process start to answer |")
    say("| --- | ---: | ---: | ---: |")
    for e in ("turbo", "pyshacl"):
        validate(user, engine=e)  # the release's report, kept once per release
        t_focus = median_time(lambda e=e: validate(user, engine=e), args.repeat)
        t_full = median_time(lambda e=e: validate(user, engine=e, full=True), max(1, min(args.repeat, 3)))

        def cli(e: str = e) -> None:
            subprocess.run([sys.executable, "-m", "gerokg", "validate", str(user), "--engine", e], check=True,
                           capture_output=True)

        t_cli = median_time(cli, max(1, min(args.repeat, 3)))
        say(f"| {names[e]} | {fmt(t_focus)} | {fmt(t_full)} | {fmt(t_cli)} |")
    say()
    say("The user's nodes are validated against the release; the release's own report is computed once per release "
        "and kept by content hash (the first validation after a release changes pays for it once).")
    say()

    # 5. reasoning
    say("## 5. Reasoning")
    say()
    if not shutil.which("java"):
        say("No Java runtime: HermiT not run.")
        say()
        return
    from gerokg.release.reason import reason
    from gerokg.release.store import open_store

    say("| claims | triples | HermiT, cold | kept conclusions (hash of the input, then read) | speed-up |")
    say("| ---: | ---: | ---: | ---: | ---: |")
    reason_points = []
    hermit_1x = None
    for factor in [f for f in factors if f <= 10]:
        g = tier_graphs[factor]
        t = time.perf_counter()
        result = reason(graph=g)
        t_cold = time.perf_counter() - t
        if factor == 1:
            hermit_1x = result
        t_kept = median_time(lambda g=g: reason(graph=g), max(1, min(args.repeat, 3)))
        reason_points.append((len(g), t_cold))
        say(f"| {289 * factor:,} | {len(g):,} | {fmt(t_cold)} | {fmt(t_kept)} | {ratio(t_cold, t_kept)} |")
    say()
    t_store = median_time(lambda: open_store(inferred=True), max(1, min(args.repeat, 3)))
    t_plain = median_time(lambda: open_store(), max(1, min(args.repeat, 3)))
    say(f"`open_store(inferred=True)` with the conclusions kept: {fmt(t_store)} (without inferences: {fmt(t_plain)}). "
        "A store folder that already holds the release (`serve --store DIR` restarted) does not reason at all.")
    say()
    if len(reason_points) > 1:
        say(f"HermiT's time grows as triples^{fit_exponent([x for x, _ in reason_points], [y for _, y in reason_points]):.2f}.")
        say()
    plot["HermiT reasoning"] = reason_points
    say(el_probe(release_nt.parent / "gerokg-full.owl", hermit_1x))
    say()


def el_probe(owl: Path, hermit: Any) -> str:
    """Run whelk (py-whelk over py-horned-owl) on the release in a child process: it may crash."""
    code = (
        "import json, sys, time, pyhornedowl, pywhelk\n"
        "t = time.perf_counter(); o = pyhornedowl.open_ontology_from_file(sys.argv[1])\n"
        "r = pywhelk.create_reasoner(o); r.flush(); secs = time.perf_counter() - t\n"
        "sup = {str(c): sorted(str(s) for s in r.get_superclasses(c)) for c in o.get_classes()}\n"
        "print(json.dumps({'seconds': secs, 'sup': sup}))\n"
    )
    try:
        from importlib.metadata import version

        versions = f"py-whelk {version('py-whelk')}, py-horned-owl {version('py-horned-owl')}"
    except Exception:
        return "EL (whelk): py-whelk and py-horned-owl are not installed (`pip install -e '.[bench]'`)."
    try:
        out = subprocess.run([sys.executable, "-c", code, str(owl)], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return f"EL (whelk, {versions}): no answer within 600 s."
    if out.returncode != 0:
        how = f"signal {-out.returncode}" if out.returncode < 0 else f"exit {out.returncode}"
        return (f"EL (whelk, {versions}): the reasoner crashed ({how}) before classifying; it does so on a "
                "three-class ontology too, so no EL classification path is offered and HermiT stays the reasoner.")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    agree = hermit is not None and all(set(v) - {OWL + "Thing"} == hermit.superclasses.get(k, set())
                                       for k, v in res["sup"].items())
    return f"EL (whelk, {versions}): {fmt(res['seconds'])}; subsumptions identical to HermiT's: {'yes' if agree else 'no'}."


def startup_section(tiers: dict[str, list[Path]], work: Path, loads: dict[str, Any], say: Any) -> None:
    """Section 3b: ``gerokg serve --store DIR`` on a new folder, then restarted on it."""
    from http_bench import FIRST_QUERY, restart_times

    say(f"`gerokg serve --store DIR --release FILE` started on a new folder, then stopped and started again on "
        f"it (a plain restart: the folder is reused, nothing is parsed or reasoned); seconds from process start "
        f"to /health answering, to the first answer (`{FIRST_QUERY}`), and to every worker answering from its "
        "in-memory copy (2 workers; until then they answer from the folder):")
    say()
    say("| data | triples | start | /health | first answer | workers on their copies |")
    say("| --- | ---: | --- | ---: | ---: | ---: |")
    for tier, files in tiers.items():
        times = restart_times(combined(files, work), work)
        for run, t in times.items():
            say(f"| {tier} | {loads[tier]['ox']['triples']:,} | {run} | {fmt(t['health'])} | {fmt(t['first'])} | "
                f"{fmt(t['settled'])} |")
    say()


def http_section(args: Any, tiers: dict[str, list[Path]], work: Path, queries: list[Any],
                 loads: dict[str, Any], say: Any) -> None:
    """Section 6: the canned SELECT queries over HTTP on every tier, and 32 clients at once."""
    from gerokg.querying.canned import bind_params, bind_query_text
    from http_bench import compare

    say("## 6. The canned queries over HTTP")
    say()
    if args.no_http:
        say("Not run in this run (`--no-http`).")
        say()
        return
    texts = [(q.name, bind_query_text(q, bind_params(q, {}))) for q in queries if q.form == "SELECT"]
    names = {"gerokg": "gerokg serve", "oxigraph-disk": "Oxigraph server, on disk",
             "oxigraph-memory": "Oxigraph server, in memory", "virtuoso": "Virtuoso"}
    for tier, files in tiers.items():
        data = combined(files, work)
        say(f"### {tier} ({loads[tier]['ox']['triples']:,} triples)")
        say()
        load_before = os.getloadavg()[0]
        per_client = 8 if len(files) == 1 else 2  # at scale the claim-card queries take ~0.5 s each
        res = compare(data, work, texts, args.repeat, with_virtuoso=(len(files) == 1), per_client=per_client,
                      budget=40.0 if len(files) == 1 else 20.0)
        servers = res["servers"]
        say("| query | " + " | ".join(names[s] for s in servers) + " |")
        say("| --- | " + " | ".join("---:" for _ in servers) + " |")
        totals = {s: 0.0 for s in servers}
        refused = {s: 0 for s in servers}
        for name, times in res["queries"].items():
            for k, v in times.items():
                if v is None:
                    refused[k] += 1
                else:
                    totals[k] += v
            say(f"| {name} | " + " | ".join(fmt(times.get(s)) if times.get(s) is not None else "refused"
                                           for s in servers) + " |")
        say("| **sum** | " + " | ".join(f"**{fmt(totals[s])}**" + (f" ({refused[s]} refused)" if refused[s] else "")
                                       for s in servers) + " |")
        say()
        ratios = [f"{totals['gerokg'] / totals[s]:.2f}x the {names[s]}'s" for s in servers
                  if s.startswith("oxigraph") and totals[s] > 0]
        if ratios:
            say(f"gerokg serve's sum is {' and '.join(ratios)} (target: at most 1.2x). Each query: median of "
                f"{args.repeat} requests (one when a request took over 5 s), each on a new connection, the first "
                "one included (it parses the query and fills caches on every server); the "
                f"servers ran side by side and each query was timed on each in turn (load average "
                f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after). gerokg serve (a new store folder filled "
                f"from the file) answered its first query {fmt(res['gerokg_start']['first'])} after its process "
                f"started, and its workers answered from their in-memory copies after "
                f"{fmt(res['gerokg_start']['settled'])}; the timings above began then.")
            say()
        say("The first request of each query alone, summed (a text gerokg has not seen before passes its parse "
            "check, rdflib's SPARQL grammar, once per endpoint): " + ", ".join(
                f"{names[s]} {fmt(res['first'][s])}" for s in servers) + ".")
        say()
        say("32 clients at once, each on its own keep-alive connection, sending the queries above round-robin, "
            f"{per_client} requests each (no request is started after {40 if len(files) == 1 else 20} s):")
        say()
        say("| server | requests | seconds | requests/s | p50 | p99 | errors |")
        say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in servers:
            r = res["load"][s]
            say(f"| {names[s]} | {r['requests']} | {r['seconds']:.1f} | {r['rps']:.1f} | {fmt(r['p50'])} | "
                f"{fmt(r['p99'])} | {r['errors']} |")
        say()
    say("gerokg's query workers each hold an in-memory copy of the store folder (up to 1 GiB of folder; "
        "larger ones are read from disk; a worker answers from the folder while it makes the copy), which is "
        "why the in-memory Oxigraph server is the closer baseline; "
        "the on-disk Oxigraph server keeps freshly uploaded data in RocksDB's memtable. Virtuoso is run on the "
        "release only (loading the scale data into it over the Graph Store protocol takes longer than the rest "
        "of this section).")
    say()


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
