"""Injection-proof parameters: hostile values either answer as a plain value would or are refused."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerokg.errors import ParameterError
from gerokg.querying.canned import bind_params, bind_query_text, list_queries, parse_param, run_query

ATTACKS_FILE = Path(__file__).parent / "fixtures" / "hostile" / "parameter-attacks.txt"
PARAMETERISED = [q for q in list_queries() if q.params]


def _unescape(line: str) -> str:
    def sub(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc.startswith("u"):
            return chr(int(esc[1:], 16))
        return {"n": "\n", "t": "\t", "\\": "\\", '"': '"'}.get(esc, "\\" + esc)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|n|t|\\|\")", sub, line)


def _attacks() -> list[str]:
    out = []
    for line in ATTACKS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") or not line:
            continue
        out.append(_unescape(line))
    return out


ATTACKS = _attacks()


def test_there_are_fifty_attacks() -> None:
    assert len(ATTACKS) >= 50


def _without_values_block(text: str) -> str:
    m = re.search(r"\n  VALUES \(([^)]*)\) \{ \((.*)\) \}\n", text)
    assert m, "the parameters are bound in one VALUES block"
    return text[:m.start()] + text[m.end():]



@pytest.mark.parametrize("query", PARAMETERISED, ids=[q.name for q in PARAMETERISED])
def test_every_attack_on_every_parameter(query, store) -> None:
    baseline_text = bind_query_text(query, bind_params(query, {}))
    for param in query.params:
        for attack in ATTACKS:
            try:
                bound = bind_params(query, {param.name: attack})
            except ParameterError as exc:
                assert param.name in str(exc)
                continue
            text = bind_query_text(query, bound)
            # the text differs from the default only inside the VALUES row: the query is unchanged
            assert _without_values_block(text) == _without_values_block(baseline_text)
            result = run_query(query, store, {param.name: attack})  # answers (usually nothing)
            assert result is not None


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_text_never_escapes_the_values_block(text: str) -> None:
    query = next(q for q in PARAMETERISED if q.name == "term-dossier")
    baseline = bind_query_text(query, bind_params(query, {}))
    for ptype in ("term", "iri", "curie", "string", "integer", "decimal", "boolean"):
        p = type(query.params[0])(name="term", type=ptype)
        try:
            term = parse_param(p, text)
        except ParameterError:
            continue
        bound = bind_query_text(query, {"term": term})
        # the whole VALUES block taken out once: the rest of the text is the baseline's (a value
        # such as '; ' also occurs elsewhere in the query, so the value alone cannot be cut out)
        assert _without_values_block(bound) == _without_values_block(baseline)
        import pyoxigraph as ox

        ox.Store().query(bound)  # always valid SPARQL


@pytest.mark.server
def test_attacks_over_http(release: Path) -> None:
    from gerokg.serving.server import EndpointConfig, start_server

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    handle = start_server(EndpointConfig(port=0, timeout=10, workers=2), release=release / "gerokg-full.nt")
    try:
        def get(path: str) -> tuple[int, bytes]:
            try:
                with opener.open(f"{handle.url}{path}", timeout=30) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read()

        before = json.loads(get("/health")[1])["triples"]
        statuses = set()
        for query in PARAMETERISED:
            for param in query.params:
                for attack in ATTACKS:
                    status, body = get(f"/queries/{query.name}?{urllib.parse.urlencode({param.name: attack})}&format=json")
                    statuses.add(status)
                    assert status in (200, 400), (query.name, attack, status, body[:200])
                    if status == 400:
                        assert param.name.encode() in body or b"parameter" in body
        assert statuses == {200, 400}
        assert json.loads(get("/health")[1])["triples"] == before
    finally:
        handle.stop()
