"""The web pages' routes of the endpoint (GET and HEAD): home, search, term and claim pages (or
their data, by ``Accept`` or suffix), the native IRI paths, the query forms, the pathway and
diagrams, the documentation and the style sheet. The SPARQL and API routes are
:class:`gerokg.serving.server.Endpoint`'s own."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

from starlette.routing import Route

from gerokg.errors import GerokgError, RequestError
from gerokg.serving.negotiation import cors as _cors

__all__ = ["PageRouter"]


class PageRouter:
    """The page routes of one :class:`gerokg.serving.server.Endpoint` and its site."""

    def __init__(self, endpoint: Any) -> None:
        self.ep = endpoint
        self.site = endpoint.site

    def params_of(self, request: Any) -> dict[str, list[str]]:
        return self.ep._params(request)

    def route(self, path: str, make: Callable[[Any], Callable[[], Any]]) -> Any:
        async def endpoint(request: Any) -> Any:
            return await self.ep._page(make(request))

        return Route(path, endpoint, methods=["GET"])

    async def docs_redirect(self, request: Any) -> Any:
        from starlette.responses import Response

        # relative links in the documentation need the trailing slash
        return Response(b"", 301, headers={"Location": self.ep.config.root_path + "/docs/"}, media_type="text/plain")

    async def diagram(self, request: Any) -> Any:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        path = request.url.path
        if path.startswith("/diagram/") and not path.endswith((".svg", ".png")):
            def missing() -> Any:
                raise LookupError(f"no page {path!r}: a diagram is /diagram/CURIE.svg or .png")

            return await self.ep._page(missing)
        fmt = path.rsplit(".", 1)[1]

        def draw() -> Any:
            term = None
            if path.startswith("/diagram/"):
                term = self.site.resolve(urllib.parse.unquote(request.path_params["ref"])[:-4])
            return self.site.diagram_bytes(term, fmt)

        try:
            data = await run_in_threadpool(draw)
        except Exception:  # noqa: BLE001 - the page path renders the error
            return await self.ep._page(draw)
        return Response(data, 200, media_type="image/svg+xml" if fmt == "svg" else "image/png", headers={
            "Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Access-Control-Allow-Origin": "*"})

    def split_suffix(self, ref: str) -> tuple[str, str | None]:
        for suffix, fmt in self.ep._RDF_SUFFIXES.items():
            if ref.endswith(suffix):
                return ref[: -len(suffix)], fmt
        return ref, None

    async def term_or_data(self, request: Any) -> Any:
        ref, fmt = self.split_suffix(urllib.parse.unquote(request.path_params["ref"]))
        fmt = fmt or self.ep.wants_rdf(request)
        if fmt is None:
            return await self.ep._page(lambda: self.site.term(ref))
        from starlette.concurrency import run_in_threadpool

        try:
            # a name is read by the resolver, whose index is built once per store: off the loop
            iri = await run_in_threadpool(self.site.resolve, ref)
        except GerokgError as exc:
            raise RequestError(404, str(exc)) from None
        return await self.ep.resource(request, iri, fmt)

    async def claim_or_data(self, request: Any) -> Any:
        from gerokg.pages.web import CLAIM_NS

        ref, fmt = self.split_suffix(urllib.parse.unquote(request.path_params["ref"]))
        fmt = fmt or self.ep.wants_rdf(request)
        if fmt is None:
            return await self.ep._page(lambda: self.site.claim_page(ref))
        return await self.ep.resource(request, CLAIM_NS + ref, fmt)

    async def native_iri(self, request: Any) -> Any:
        """``/GEROKG_0000051``: the path of a native term's IRI, as the w3id PURL will forward
        it; 303 to its page, or to its data when the client asks for RDF."""
        from starlette.responses import Response

        ref, fmt = self.split_suffix(request.path_params["num"])
        fmt = fmt or self.ep.wants_rdf(request)
        suffix = {v: k for k, v in self.ep._RDF_SUFFIXES.items()}.get(fmt or "", "")
        target = f"{self.ep.config.root_path}/term/GEROKG:{urllib.parse.quote(ref)}{suffix}"
        return Response(b"", 303, headers=_cors({"Location": target, "Vary": "Accept"}), media_type="text/plain")

    async def css(self, request: Any) -> Any:
        from importlib.resources import files

        from starlette.responses import Response

        data = files("gerokg").joinpath("static/gerokg.css").read_bytes()
        return Response(data, 200, media_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})

    def routes(self) -> list[Any]:
        """The routes, in the order Starlette matches them."""
        return [
            self.route("/", lambda r: self.site.home),
            self.route("/search", lambda r: lambda: self.site.search(self.params_of(r))),
            Route("/term/{ref:path}", self.term_or_data, methods=["GET"]),
            Route("/claim/{ref:path}", self.claim_or_data, methods=["GET"]),
            Route("/GEROKG_{num:path}", self.native_iri, methods=["GET"]),
            self.route("/query", lambda r: self.site.queries_page),
            self.route("/query/{name:path}", lambda r: lambda: self.site.query_page(r.path_params["name"], self.params_of(r))),
            self.route("/pathway", lambda r: self.site.pathway_page),
            Route("/pathway.svg", self.diagram, methods=["GET"]),
            Route("/pathway.png", self.diagram, methods=["GET"]),
            Route("/diagram/{ref:path}", self.diagram, methods=["GET"]),
            Route("/docs", self.docs_redirect, methods=["GET"]),
            self.route("/docs/{name:path}", lambda r: lambda: self.site.docs(r.path_params["name"])),
            Route("/static/gerokg.css", self.css, methods=["GET"]),
        ]

