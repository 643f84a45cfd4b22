"""Real HTTP(S) servers on 127.0.0.0/8 for the fetcher and link-check tests.

Each ``LocalSite`` listens on one loopback address (127.0.0.1 by default; 127.0.0.2 stands in for
a private address the fetcher must refuse) and records every request it receives, so a test can
assert that a refused URL was never contacted.
"""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

__all__ = ["LocalSite", "Seen"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    host: str


@dataclass
class LocalSite:
    host: str = "127.0.0.1"
    ssl_context: ssl.SSLContext | None = None
    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[path] = handler
            return handler

        return register

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(Seen(request.method, request.path_qs, request.headers.get("Host", "")))
        handler = self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="<title>Not here</title>", content_type="text/html")
        return await handler(request)

    async def start(self) -> LocalSite:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=self.ssl_context)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
