"""Safe file input: only regular files, no remote JSON-LD contexts at any depth, no echo of the
input in errors, a size limit for validate."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gerokg.errors import RdfParseError
from gerokg.rdf.rdfio import parse_rdf_file


@pytest.fixture()
def counting_trap() -> Iterator[tuple[str, list[int]]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    hits: list[int] = []
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            hits.append(1)
            with conn:
                body = b'{"@context": {"x": "http://example.org/x"}}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", hits
    stop.set()
    t.join(5)
    sock.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gerokg", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("shape", [
    lambda url: {"@context": url, "@id": "http://example.org/a", "x": "1"},
    lambda url: {"@context": [[url]], "@id": "http://example.org/a", "x": "1"},
    lambda url: {"@context": [{"y": "http://example.org/y"}, url], "@id": "http://example.org/a"},
    lambda url: {"@graph": [{"@context": url, "@id": "http://example.org/a", "x": "1"}]},
    lambda url: {"@graph": [{"@context": [[url]], "@id": "http://example.org/a"}]},
    lambda url: {"@context": {"@import": url}, "@id": "http://example.org/a"},
    lambda url: {"@context": {"p": {"@id": "http://example.org/p", "@context": url}}, "@id": "http://example.org/a",
                 "p": {"x": "1"}},
], ids=["string", "list-in-list", "second-in-list", "in-graph", "list-in-graph", "import", "scoped"])
def test_remote_contexts_are_never_fetched_at_any_depth(counting_trap, tmp_path: Path, shape) -> None:
    url, hits = counting_trap
    f = tmp_path / "doc.jsonld"
    f.write_text(json.dumps(shape(url + "/ctx.jsonld")), encoding="utf-8")
    with pytest.raises(RdfParseError) as err:
        parse_rdf_file(f)
    assert str(f) in str(err.value)
    assert hits == []


def test_local_jsonld_still_parses(tmp_path: Path) -> None:
    f = tmp_path / "ok.jsonld"
    f.write_text(json.dumps({"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"},
                             "@id": "http://example.org/a", "label": "a"}), encoding="utf-8")
    g = parse_rdf_file(f)
    assert [str(o) for o in g.objects()] == ["a"]


def test_deep_json_is_refused_before_the_parser(tmp_path: Path) -> None:
    f = tmp_path / "deep.jsonld"
    f.write_text('{"@id": "http://a", "http://p": ' * 5000 + "1" + "}" * 5000, encoding="utf-8")
    with pytest.raises(RdfParseError, match="nested more than 500 levels"):
        parse_rdf_file(f)


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with pytest.raises(RdfParseError, match="named pipe"):
        parse_rdf_file(fifo)
    proc = _cli("validate", str(fifo))
    assert proc.returncode == 2 and "named pipe" in proc.stderr and "Traceback" not in proc.stderr


def test_devices_and_folders_are_refused(tmp_path: Path) -> None:
    dev = tmp_path / "zero.nt"
    dev.symlink_to("/dev/zero")
    with pytest.raises(RdfParseError, match="a device"):
        parse_rdf_file(dev)
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    with pytest.raises(RdfParseError, match="folder"):
        parse_rdf_file(folder)


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".owl", ".jsonld"])
def test_a_link_to_a_secret_is_never_echoed(tmp_path: Path, suffix: str) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:$y$j9T$TOPSECRETHASHVALUE0123456789:19000:0:99999:7:::\n"
                      "daemon:*:19000:0:99999:7:::\n", encoding="utf-8")
    link = tmp_path / f"innocent{suffix}"
    link.symlink_to(secret)
    proc = _cli("validate", "--no-release", str(link))
    assert proc.returncode == 2, proc.stderr
    assert "TOPSECRET" not in proc.stderr and "daemon" not in proc.stderr and "19000" not in proc.stderr
    assert str(link) in proc.stderr


def test_validate_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    line = b"<http://example.org/s> <http://example.org/p> \"" + b"x" * 1000 + b"\" .\n"
    with open(big, "wb") as fh:
        for _ in range(1100):
            fh.write(line)
    proc = _cli("validate", "--no-release", "--max-size", "1", str(big))
    assert proc.returncode == 2 and "more than the 1 MB" in proc.stderr
    from gerokg.checks.validate import validate

    with pytest.raises(RdfParseError, match="MB"):
        validate(big, with_release=False, max_bytes=1000)
