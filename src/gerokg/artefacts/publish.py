"""Publish the release to a triple store through the SPARQL 1.1 Graph Store HTTP Protocol: one
file into one graph, or the N-Quads release graph by graph.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gerokg.querying.remote import RemoteError

__all__ = ["publish_dataset", "publish_release"]


def publish_release(
    gsp_url: str,
    data: bytes | str | Path,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    auth: str = "basic",
    replace: bool = True,
    graph_param: str = "graph",
    timeout: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Upload RDF to a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

    :param gsp_url: the graph store URL (Oxigraph ``/store``, Fuseki ``/ds/data``, Virtuoso
        ``/sparql-graph-crud-auth``)
    :param data: N-Triples bytes, or the path of an N-Triples or Turtle file
    :param graph: the named graph to write (None: the default graph, ``?default``)
    :param user, password, auth: credentials, with ``basic`` or ``digest`` authentication
    :param replace: PUT (replace the graph) rather than POST (add to it)
    :param graph_param: the query parameter naming the graph (``graph``; Virtuoso accepts
        ``graph-uri`` too)
    :param progress: called with (bytes sent, total bytes) as the body goes out
    :returns: the HTTP status code
    :raises RemoteError: the store refused the upload or cannot be reached
    """
    if isinstance(data, (str, Path)):
        path = Path(data)
        body = path.read_bytes()
        ctype = "text/turtle" if path.suffix == ".ttl" else "application/n-triples"
    else:
        body, ctype = data, "application/n-triples"
    query = urllib.parse.urlencode({graph_param: graph}) if graph else "default"
    url = f"{gsp_url}{'&' if '?' in gsp_url else '?'}{query}"
    payload: Any = _CountingBody(body, progress) if progress else body
    req = urllib.request.Request(url, data=payload, method="PUT" if replace else "POST",
                                 headers={"Content-Type": ctype, "Content-Length": str(len(body))})
    if user is not None:
        _authorize(req, gsp_url, user, password, auth, timeout)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise RemoteError(f"{gsp_url}: the graph store refused the upload: HTTP {exc.code} {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(f"{gsp_url}: cannot reach the graph store: {exc}") from None




def _authorize(req: urllib.request.Request, gsp_url: str, user: str, password: str | None, auth: str,
               timeout: float) -> None:
    """Add the ``basic`` or ``digest`` Authorization header to the upload request.

    Credentials go with the one request that carries the body: a store that answers a write
    with 401 may close the connection unread (a large body then fails with a broken pipe), and
    a counted body can be sent only once, so there is no retry after a challenge.
    """
    if auth == "digest":
        # the digest challenge comes from a bodiless HEAD first
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, gsp_url, user, password or "")
        header = _digest_header(req, mgr, timeout)
        if header:
            req.add_unredirected_header("Authorization", header)
    else:
        import base64

        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        req.add_unredirected_header("Authorization", f"Basic {token}")


def publish_dataset(
    gsp_url: str,
    data: bytes | str | Path,
    user: str | None = None,
    password: str | None = None,
    auth: str = "basic",
    replace: bool = True,
    graph_param: str = "graph",
    timeout: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Upload N-Quads graph by graph (``gerokg-full.nq``): one Graph Store request per named graph.

    Each named graph is written (PUT, or POST with ``replace=False``) under its own name; triples
    in the default graph go to the store's default graph.

    :param data: N-Quads bytes or the path of an ``.nq`` file
    :returns: graph IRI (``""`` for the default graph) to the HTTP status of its upload
    :raises RemoteError: the N-Quads do not parse, or the store refused an upload
    """
    from gerokg.artefacts.quads import split_nquads

    try:
        parts = split_nquads(data)
    except ValueError as exc:
        where = f"{data}: " if isinstance(data, (str, Path)) else ""
        raise RemoteError(f"{where}{exc}") from None
    total = sum(len(b) for b in parts.values())
    done = 0
    statuses: dict[str, int] = {}
    for graph, body in parts.items():
        def step(sent: int, _size: int, base: int = done) -> None:
            if progress:
                progress(base + sent, total)

        statuses[graph] = publish_release(gsp_url, body, graph=graph or None, user=user, password=password,
                                          auth=auth, replace=replace, graph_param=graph_param, timeout=timeout,
                                          progress=step)
        done += len(body)
    return statuses


class _CountingBody:
    """A request body read in chunks, reporting how much has been sent."""

    def __init__(self, data: bytes, progress: Callable[[int, int], None]) -> None:
        self.data, self.sent, self.progress = data, 0, progress

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size is None or size < 0 else min(len(self.data), self.sent + size)
        chunk = self.data[self.sent:end]
        self.sent = end
        self.progress(self.sent, len(self.data))
        return chunk


def _digest_header(req: urllib.request.Request, mgr: Any, timeout: float) -> str | None:
    probe = urllib.request.Request(req.full_url, method="HEAD")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(probe, timeout=timeout):
            return None  # no authentication asked for
    except urllib.error.HTTPError as err:
        status, challenge = err.code, err.headers.get("WWW-Authenticate", "")
        err.close()
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(f"{req.full_url}: cannot reach the graph store: {exc}") from None
    scheme, _, fields_text = challenge.partition(" ")
    if status != 401 or scheme.lower() != "digest":
        return None
    handler = urllib.request.HTTPDigestAuthHandler(mgr)
    fields = urllib.request.parse_keqv_list([x for x in urllib.request.parse_http_list(fields_text) if x])
    value = handler.get_authorization(req, fields)
    return f"Digest {value}" if value else None
