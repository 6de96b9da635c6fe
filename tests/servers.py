"""Start and stop real SPARQL servers on 127.0.0.1 for tests.

Two servers are supported:

* **Oxigraph** (the ``oxigraph`` command of the PyPI package ``oxigraph``):
  ``oxigraph serve --location DIR --bind 127.0.0.1:PORT``.  Queries go to
  ``/query``, SPARQL Update to ``/update`` and Graph Store writes to ``/store``,
  all without authentication.  Data is loaded into the default graph
  (``PUT /store?default``), because named graphs are invisible to queries
  without ``GRAPH`` unless ``--union-default-graph`` is given.
* **Virtuoso** (Debian package ``virtuoso-opensource``, server ``virtuoso-t``,
  SQL client ``isql-vt``): a private instance with its own ``virtuoso.ini``
  and database inside the test's temporary directory.  Queries go to
  ``/sparql``; Graph Store writes go to ``/sparql-graph-crud-auth`` with HTTP
  digest authentication as ``dba`` and the graph given by ``?graph-uri=``
  (``?graph=`` is accepted too).  Queries without ``FROM`` see the union of
  all graphs.

Everything listens on 127.0.0.1 only, on free ports; logs and data live in a
fresh subdirectory of the ``tmp_dir`` given to the context managers.  On exit
the server is stopped and the helper waits until its process has ended.

Besides the contract (``SparqlServer``, ``oxigraph_server``,
``virtuoso_server``, ``oxigraph_available``, ``virtuoso_available``) the module
offers two small urllib helpers, :func:`gsp_put` and :func:`select_bindings`.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ServerStartError",
    "SparqlServer",
    "gsp_put",
    "oxigraph_available",
    "oxigraph_server",
    "select_bindings",
    "virtuoso_available",
    "virtuoso_server",
]

HOST = "127.0.0.1"
#: The named graph the release is loaded into on Virtuoso.
VIRTUOSO_GRAPH = "https://w3id.org/gerokg/release"
VIRTUOSO_USER = "dba"
#: The password of a freshly created Virtuoso database (changed at start-up).
VIRTUOSO_DEFAULT_PASSWORD = "dba"
#: Rows a Virtuoso SPARQL result may hold (the stock 10000 truncates silently).
VIRTUOSO_MAX_ROWS = 1_000_000
#: Seconds a Virtuoso SPARQL query may run.
VIRTUOSO_MAX_QUERY_SECONDS = 120
VIRTUOSO_PACKAGE = "virtuoso-opensource"
OXIGRAPH_PACKAGE = "oxigraph"

_ASK = "ASK {}"
_START_ATTEMPTS = 3
_STOP_TIMEOUT = 20.0

# Never route requests to 127.0.0.1 through an HTTP proxy from the environment.
_NO_PROXY = urllib.request.ProxyHandler({})


class ServerStartError(RuntimeError):
    """A SPARQL server did not start or did not answer in time."""


@dataclass
class SparqlServer:
    """A running SPARQL server and how to talk to it.

    Attributes:
        name: ``"oxigraph"`` or ``"virtuoso"``.
        query_url: SPARQL 1.1 Protocol query endpoint.
        gsp_url: SPARQL 1.1 Graph Store HTTP Protocol endpoint accepting
            ``PUT``/``POST`` of N-Triples or Turtle.
        graph: the named graph data must be loaded into so that queries
            without ``FROM``/``GRAPH`` see it; ``None`` means the default graph.
        user: user name for Graph Store writes, if any.
        password: password for Graph Store writes, if any.
        auth: HTTP authentication scheme for writes (``"digest"``), or ``None``.
        sql: runs one SQL statement as the administrator (Virtuoso's isql) and says whether it
            succeeded; ``None`` for servers without SQL.
    """

    name: str
    query_url: str
    gsp_url: str
    graph: str | None
    user: str | None
    password: str | None
    auth: str | None
    sql: Callable[[str], bool] | None = None


# --------------------------------------------------------------------------
# Locating the binaries


def _oxigraph_binary() -> str | None:
    """The ``oxigraph`` command: next to this interpreter first, then on PATH."""
    candidate = Path(sys.executable).parent / "oxigraph"
    if candidate.is_file() and candidate.stat().st_mode & 0o111:
        return str(candidate)
    return shutil.which("oxigraph")


def _virtuoso_binaries() -> tuple[str, str] | None:
    """The Virtuoso server and its isql client, or ``None`` when either is missing."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    if server is None or isql is None:
        return None
    return server, isql


def oxigraph_available() -> str | None:
    """``None`` when the Oxigraph server can be started, else why not (a skip reason)."""
    if _oxigraph_binary() is None:
        return f"the oxigraph server is not installed: pip install {OXIGRAPH_PACKAGE}"
    return None


def virtuoso_available() -> str | None:
    """``None`` when a private Virtuoso can be started, else why not (a skip reason)."""
    if shutil.which("virtuoso-t") is None:
        return f"virtuoso-t is not installed: apt-get install {VIRTUOSO_PACKAGE}"
    if shutil.which("isql-vt") is None and shutil.which("isql-v") is None:
        return f"isql-vt is not installed: apt-get install {VIRTUOSO_PACKAGE}"
    return None


# --------------------------------------------------------------------------
# Small process and HTTP helpers


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _log_tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a log file, or a note that it is missing."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        return f"(no log at {path}: {err})"
    return "\n".join(text.splitlines()[-lines:])


def _ask_ok(query_url: str, timeout: float = 2.0) -> bool:
    """Whether ``query_url`` answers ``ASK {}`` with a true SPARQL JSON result."""
    url = f"{query_url}?{urllib.parse.urlencode({'query': _ASK})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    opener = urllib.request.build_opener(_NO_PROXY)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status == 200 and json.loads(response.read()).get("boolean") is True
    except (OSError, ValueError):
        return False


def _port_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def _wait_ready(
    proc: subprocess.Popen[bytes],
    query_url: str,
    logs: Sequence[Path],
    timeout: float,
    extra_ports: Sequence[int] = (),
) -> bool:
    """Poll until the server answers ``ASK {}``.

    Returns ``False`` when the process exited early (e.g. a lost port race),
    and raises :class:`ServerStartError` when it is still running but did not
    answer within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if _ask_ok(query_url) and all(_port_open(port) for port in extra_ports):
            return True
        time.sleep(0.2)
    raise ServerStartError(
        f"{query_url} did not answer {_ASK!r} within {timeout:.0f} s\n" + _tails(logs)
    )


def _tails(logs: Sequence[Path]) -> str:
    """The tails of several log files, each under a header."""
    return "\n".join(f"--- {path} ---\n{_log_tail(path)}" for path in logs)


def _terminate(proc: subprocess.Popen[bytes], timeout: float = _STOP_TIMEOUT) -> None:
    """SIGTERM ``proc``, then SIGKILL it if it has not ended within ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


# --------------------------------------------------------------------------
# Oxigraph


@contextlib.contextmanager
def oxigraph_server(tmp_dir: Path, *, startup_timeout: float = 30.0) -> Iterator[SparqlServer]:
    """Run ``oxigraph serve`` on a free 127.0.0.1 port with its store under ``tmp_dir``.

    Data goes into the default graph (``graph`` is ``None``); Graph Store
    writes need no authentication.  The server log is ``oxigraph.log`` in a
    fresh ``oxigraph-*`` subdirectory of ``tmp_dir``.
    """
    binary = _oxigraph_binary()
    if binary is None:
        raise ServerStartError(oxigraph_available() or "oxigraph not found")
    workdir = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=tmp_dir))
    log = workdir / "oxigraph.log"
    for attempt in range(1, _START_ATTEMPTS + 1):
        port = _free_port()
        base = f"http://{HOST}:{port}"
        command = [binary, "serve", "--location", str(workdir / "store"), "--bind", f"{HOST}:{port}"]
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=workdir, start_new_session=True,
            )
        try:
            if _wait_ready(proc, f"{base}/query", [log], startup_timeout):
                break
        except BaseException:
            _terminate(proc)
            raise
        if attempt == _START_ATTEMPTS:
            raise ServerStartError(
                f"oxigraph exited with status {proc.returncode} on start-up\n" + _tails([log])
            )
    try:
        yield SparqlServer(
            name="oxigraph",
            query_url=f"{base}/query",
            gsp_url=f"{base}/store",
            graph=None,
            user=None,
            password=None,
            auth=None,
        )
    finally:
        _terminate(proc)


# --------------------------------------------------------------------------
# Virtuoso


def _virtuoso_ini(workdir: Path, isql_port: int, http_port: int) -> str:
    """A minimal ``virtuoso.ini`` keeping every file inside ``workdir``."""
    db = workdir / "db"
    return f"""\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {workdir}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {HOST}:{isql_port}
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
DirsAllowed          = ., {workdir}, {workdir.parent}
ThreadCleanupInterval = 0
ThreadThreshold      = 10
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxQueryMem          = 512M

[HTTPServer]
ServerPort           = {HOST}:{http_port}
ServerRoot           = {workdir}/vsp
MaxClientConnections = 10
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = {VIRTUOSO_MAX_ROWS}
MaxQueryCostEstimationTime = {VIRTUOSO_MAX_QUERY_SECONDS}
MaxQueryExecutionTime      = {VIRTUOSO_MAX_QUERY_SECONDS}
"""


def _isql(isql: str, port: int, password: str, statement: str, log: Path) -> bool:
    """Run one SQL statement through ``isql``; whether it succeeded (output goes to ``log``).

    isql exits with status 0 even when the statement fails, so its output is
    checked for ``*** Error`` as well.
    """
    try:
        result = subprocess.run(
            [isql, f"{HOST}:{port}", VIRTUOSO_USER, password, f"exec={statement}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=30, check=False,
        )
    except subprocess.TimeoutExpired as err:
        output, ok = err.output or b"", False
    else:
        output, ok = result.stdout, result.returncode == 0 and b"*** Error" not in result.stdout
    with open(log, "ab") as out:
        out.write(f"$ isql {HOST}:{port} {VIRTUOSO_USER} **** exec={statement!r}\n".encode())
        out.write(output)
    return ok


def _stop_virtuoso(proc: subprocess.Popen[bytes], isql: str, port: int, password: str, log: Path) -> None:
    """Shut Virtuoso down through isql, killing it if it does not end in time."""
    if proc.poll() is None:
        if _isql(isql, port, password, "shutdown;", log):
            try:
                proc.wait(timeout=_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
    _terminate(proc)


@contextlib.contextmanager
def virtuoso_server(tmp_dir: Path, *, startup_timeout: float = 60.0) -> Iterator[SparqlServer]:
    """Run a private ``virtuoso-t`` on free 127.0.0.1 ports with its database under ``tmp_dir``.

    The instance uses its own ``virtuoso.ini`` (``ResultSetMaxRows`` raised to
    :data:`VIRTUOSO_MAX_ROWS`), gets a random ``dba`` password, and is stopped
    with ``isql-vt … exec="shutdown;"`` (killed as a fallback).  Logs
    (``virtuoso.log``, ``stdout.log``, ``isql.log``) are in a fresh
    ``virtuoso-*`` subdirectory of ``tmp_dir``.
    """
    binaries = _virtuoso_binaries()
    if binaries is None:
        raise ServerStartError(virtuoso_available() or "virtuoso not found")
    server_bin, isql = binaries
    workdir = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=tmp_dir))
    (workdir / "vsp").mkdir()
    ini = workdir / "virtuoso.ini"
    stdout_log = workdir / "stdout.log"
    isql_log = workdir / "isql.log"
    logs = [workdir / "virtuoso.log", stdout_log, isql_log]
    password = VIRTUOSO_DEFAULT_PASSWORD
    for attempt in range(1, _START_ATTEMPTS + 1):
        shutil.rmtree(workdir / "db", ignore_errors=True)
        (workdir / "db").mkdir()
        isql_port, http_port = _free_port(), _free_port()
        while http_port == isql_port:
            http_port = _free_port()
        base = f"http://{HOST}:{http_port}"
        ini.write_text(_virtuoso_ini(workdir, isql_port, http_port), encoding="utf-8")
        with open(stdout_log, "ab") as out:
            # +foreground keeps virtuoso-t as this very process (no daemon fork).
            proc = subprocess.Popen(
                [server_bin, "+foreground", "+configfile", str(ini)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=workdir, start_new_session=True,
            )
        try:
            ready = _wait_ready(proc, f"{base}/sparql", logs, startup_timeout, [isql_port])
        except BaseException:
            _stop_virtuoso(proc, isql, isql_port, password, isql_log)
            raise
        if ready:
            break
        if attempt == _START_ATTEMPTS:
            raise ServerStartError(
                f"virtuoso-t exited with status {proc.returncode} on start-up\n" + _tails(logs)
            )
    try:
        new_password = secrets.token_hex(12)
        statement = f"USER_SET_PASSWORD('{VIRTUOSO_USER}', '{new_password}');"
        if not _isql(isql, isql_port, password, statement, isql_log):
            raise ServerStartError("could not set the Virtuoso dba password\n" + _tails(logs))
        password = new_password
        yield SparqlServer(
            name="virtuoso",
            query_url=f"{base}/sparql",
            gsp_url=f"{base}/sparql-graph-crud-auth",
            graph=VIRTUOSO_GRAPH,
            user=VIRTUOSO_USER,
            password=password,
            auth="digest",
            sql=lambda statement: _isql(isql, isql_port, password, statement, isql_log),
        )
    finally:
        _stop_virtuoso(proc, isql, isql_port, password, isql_log)


# --------------------------------------------------------------------------
# Talking to a server (urllib only)


def _opener(server: SparqlServer) -> urllib.request.OpenerDirector:
    """A urllib opener that bypasses proxies and authenticates as ``server`` requires."""
    handlers: list[urllib.request.BaseHandler] = [_NO_PROXY]
    if server.user is not None and server.password is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, server.gsp_url, server.user, server.password)
        if server.auth == "digest":
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        else:
            handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


def _digest_authorization(
    server: SparqlServer, request: urllib.request.Request, timeout: float
) -> str | None:
    """An ``Authorization: Digest …`` value for ``request``, from a fresh HEAD challenge
    (the same helper ``gerokg publish`` uses)."""
    from gerokg.artefacts.publish import _digest_header

    if server.user is None or server.password is None:
        return None
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, server.gsp_url, server.user, server.password)
    return _digest_header(request, manager, timeout)


def gsp_put(
    server: SparqlServer,
    data: bytes,
    content_type: str = "application/n-triples",
    *,
    timeout: float = 60.0,
) -> int:
    """Replace ``server.graph`` (or the default graph) with ``data``; the HTTP status.

    Uses ``?default`` when ``graph`` is ``None`` and ``?graph-uri=`` for
    Virtuoso (whose ``/sparql-graph-crud-auth`` also accepts ``?graph=``).
    """
    if server.graph is None:
        query = "default"
    elif server.name == "virtuoso":
        query = urllib.parse.urlencode({"graph-uri": server.graph})
    else:
        query = urllib.parse.urlencode({"graph": server.graph})
    request = urllib.request.Request(
        f"{server.gsp_url}?{query}", data=data, method="PUT", headers={"Content-Type": content_type}
    )
    if server.auth == "digest":
        # Virtuoso answers an unauthenticated PUT with 401 and closes the
        # connection without reading the body, so a large body fails with
        # "Broken pipe" before urllib can retry with credentials: fetch the
        # challenge with a bodiless HEAD and authenticate the PUT up front.
        authorization = _digest_authorization(server, request, timeout)
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
    with _opener(server).open(request, timeout=timeout) as response:
        response.read()
        return int(response.status)


def select_bindings(server: SparqlServer, query: str, *, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Run a SELECT through ``server.query_url`` (POST, form-encoded); the JSON bindings."""
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(
        server.query_url,
        data=body,
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with _opener(server).open(request, timeout=timeout) as response:
        result = json.loads(response.read())
    bindings: list[dict[str, Any]] = result["results"]["bindings"]
    return bindings
