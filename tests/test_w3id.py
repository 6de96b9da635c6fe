"""The w3id.org redirect rules, run by a real Apache httpd (mod_rewrite) on 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gerokg.artefacts.w3id import htaccess

APACHE = shutil.which("apache2") or ("/usr/sbin/apache2" if os.path.exists("/usr/sbin/apache2") else None)
MODULES = Path("/usr/lib/apache2/modules")
SITE = "https://gerokg-site.test"
FILES = "https://gerokg-files.test/releases"

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _apache() -> Iterator[int]:
    if APACHE is None or not (MODULES / "mod_rewrite.so").exists():
        pytest.skip("Apache httpd is not installed (apt-get install apache2)")
    root = Path(tempfile.mkdtemp(prefix="gerokg-w3id-"))
    try:
        os.chmod(root, 0o755)
        www = root / "www" / "gerokg"
        www.mkdir(parents=True)
        os.chmod(root / "www", 0o755)
        os.chmod(www, 0o755)
        (www / ".htaccess").write_text(htaccess(SITE, FILES), encoding="utf-8")
        os.chmod(www / ".htaccess", 0o644)
        port = _free_port()
        conf = root / "httpd.conf"
        conf.write_text(f"""
ServerRoot {root}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {root}/httpd.pid
DefaultRuntimeDir {root}
Mutex file:{root}
ErrorLog {root}/error.log
LogLevel warn
LoadModule mpm_prefork_module {MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule rewrite_module {MODULES}/mod_rewrite.so
User nobody
Group nogroup
StartServers 1
MinSpareServers 1
MaxSpareServers 1
DocumentRoot {root}/www
<Directory {root}/www>
    AllowOverride All
    Options FollowSymLinks
    Require all granted
</Directory>
""", encoding="utf-8")
        with open(root / "stdout.log", "wb") as out:
            proc = subprocess.Popen([APACHE, "-f", str(conf), "-DFOREGROUND"], stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 20
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = "".join(p.read_text() for p in (root / "error.log", root / "stdout.log") if p.exists())
                    raise RuntimeError(f"apache2 did not start: {log[-2000:]}")
                time.sleep(0.1)
            yield port
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def w3id() -> Iterator[int]:
    with _apache() as port:
        yield port


def _get(port: int, path: str, accept: str = "text/html,application/xhtml+xml,*/*;q=0.8",
         method: str = "GET") -> tuple[int, str | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={"Accept": accept})
        resp = conn.getresponse()
        resp.read()
        return resp.status, resp.getheader("Location")
    finally:
        conn.close()


@pytest.mark.parametrize(("path", "accept", "location"), [
    ("/gerokg/GEROKG_0000051", "text/turtle", f"{SITE}/term/GEROKG:0000051.ttl"),
    ("/gerokg/GEROKG_0000051", "application/ld+json", f"{SITE}/term/GEROKG:0000051.jsonld"),
    ("/gerokg/GEROKG_0000051", "application/n-triples", f"{SITE}/term/GEROKG:0000051.nt"),
    ("/gerokg/GEROKG_0000051", "text/html,application/xhtml+xml,*/*;q=0.8", f"{SITE}/term/GEROKG:0000051"),
    ("/gerokg/claim/C0155", "text/turtle;q=0.9, */*;q=0.1", f"{SITE}/claim/C0155.ttl"),
    ("/gerokg/claim/C0155", "text/html", f"{SITE}/claim/C0155"),
    ("/gerokg/schema/Claim", "text/html", f"{SITE}/term/gks:Claim"),
    ("/gerokg/query/drugs-by-role", "text/html", f"{SITE}/query/drugs-by-role"),
    ("/gerokg/gerokg.owl", "application/rdf+xml", f"{FILES}/latest/gerokg.owl"),
    ("/gerokg/gerokg-base.owl", "*/*", f"{FILES}/latest/gerokg-base.owl"),
    ("/gerokg/imports/go_import.owl", "*/*", f"{FILES}/latest/imports/go_import.owl"),
    ("/gerokg/releases/2026-12-01/gerokg.obo", "*/*", f"{FILES}/2026-12-01/gerokg.obo"),
])
def test_see_other(w3id: int, path: str, accept: str, location: str) -> None:
    assert _get(w3id, path, accept) == (303, location)


def test_the_endpoint_keeps_post(w3id: int) -> None:
    assert _get(w3id, "/gerokg/sparql", "application/sparql-results+json", method="POST") == (307, f"{SITE}/sparql")


@pytest.mark.parametrize("path", ["/gerokg/GEROKG_12", "/gerokg/claim/C12", "/gerokg/releases/latest/../x",
                                  "/gerokg/nothing-here"])
def test_other_paths_are_not_redirected(w3id: int, path: str) -> None:
    status, location = _get(w3id, path)
    assert location is None and status in (400, 404), (status, location)


def test_bad_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="site"):
        htaccess("https://x.test/", FILES)
    with pytest.raises(ValueError, match="releases"):
        htaccess(SITE, "ftp://files.test")


def test_cli_prints_the_rules() -> None:
    from click.testing import CliRunner

    from gerokg.cli import main

    res = CliRunner().invoke(main, ["w3id", "--site", SITE, "--releases", FILES])
    assert res.exit_code == 0 and res.output == htaccess(SITE, FILES)
    res = CliRunner().invoke(main, ["w3id", "--site", SITE + "/", "--releases", FILES])
    assert res.exit_code == 2 and "trailing slash" in res.output
