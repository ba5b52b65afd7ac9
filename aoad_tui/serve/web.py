"""`aoad-tui serve --web`: the same app in a browser (the web extra: aiohttp). The page, its
terminal (xterm.js, shipped in page/) and its script come from here and nothing else: the page asks
no other host for anything (its Content-Security-Policy says so too). Each browser is named by a
random token in a cookie (HttpOnly, SameSite=Strict, Secure behind HTTPS) and has its own data, as
an SSH key has; a one-time code from the app over SSH links a browser to that key (browsers.py).

A websocket is taken only from the page's own origin; its frames are bounded, its keys paced as
an SSH client's are, and it counts against the same limits (limits.Gate) as an SSH connection.
Behind a reverse proxy (README: nginx) the page works under any path prefix; the client's address
comes from X-Forwarded-For only when the peer is one of the trusted proxies."""

from __future__ import annotations

import ipaddress
import time
from importlib.resources import files
from pathlib import Path

from aiohttp import WSCloseCode, web

from aoad_tui.serve import browsers
from aoad_tui.serve.host import Host
from aoad_tui.serve.limits import Window, address_key
from aoad_tui.serve.log import log
from aoad_tui.serve.web_session import MAX_FRAME, WebSession

PAGE = files("aoad_tui.serve") / "page"
FILES = {  # what the page is made of: name -> content type
    "xterm.js": "text/javascript",
    "addon-fit.js": "text/javascript",
    "page.js": "text/javascript",
    "xterm.css": "text/css",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
LINK_TRIES = 10  # link attempts an address may make in a minute (a code is 39 bits: guessing is hopeless)


class WebListener:
    """The page, its files, the websocket and the link form, for one running server."""

    def __init__(self, service: Host, trusted_proxies: tuple[str, ...] = ()) -> None:
        self.service = service
        self.root: Path = service.options.root
        self.trusted = {str(ipaddress.ip_address(proxy)) for proxy in trusted_proxies}
        self.files = {name: (PAGE / name).read_bytes() for name in (*FILES, "index.html")}
        self.link_tries = Window(time.monotonic)  # link attempts in the last minute, per address
        self.app = web.Application(client_max_size=4 << 10)
        self.app.add_routes(
            [
                web.get("/", self.page),
                web.get("/session", self.session),
                web.post("/link", self.link),
                *(web.get(f"/{name}", self.file) for name in FILES),
            ]
        )

    # --- who is asking ----------------------------------------------------------------------------

    def address(self, request: web.Request) -> str:
        """The client's address: the peer's, or the one a trusted proxy forwards."""
        peer = request.remote or ""
        if peer in self.trusted:
            forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
            try:
                return str(ipaddress.ip_address(forwarded))
            except ValueError:
                pass
        return peer

    def secure(self, request: web.Request) -> bool:
        if (request.remote or "") in self.trusted:
            return request.headers.get("X-Forwarded-Proto", "") == "https"
        return request.secure

    def same_origin(self, request: web.Request) -> bool:
        """The request comes from this server's own page: its Origin is the host it asked for."""
        origin = request.headers.get("Origin")
        host = request.headers.get("X-Forwarded-Host") if (request.remote or "") in self.trusted else None
        host = host or request.host
        scheme = "https" if self.secure(request) else "http"
        return origin == f"{scheme}://{host}"

    def token(self, request: web.Request) -> str | None:
        token = request.cookies.get(browsers.COOKIE)
        return token if browsers.valid_token(token) else None

    # --- the page ---------------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        response = web.Response(body=self.files["index.html"], content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if self.token(request) is None:
            response.set_cookie(
                browsers.COOKIE,
                browsers.new_token(),
                max_age=COOKIE_AGE,
                httponly=True,
                samesite="Strict",
                secure=self.secure(request),
            )
        return response

    async def file(self, request: web.Request) -> web.Response:
        name = request.path.rsplit("/", 1)[-1]
        response = web.Response(body=self.files[name], content_type=FILES[name])
        response.headers["Cache-Control"] = "public, max-age=86400"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    # --- a session --------------------------------------------------------------------------------

    async def session(self, request: web.Request) -> web.StreamResponse:
        address = self.address(request)
        client = f"{address} web"
        if not self.same_origin(request):
            log("refused", client=client, why="websocket from another origin", origin=request.headers.get("Origin"))
            return web.Response(status=403, text="not from this server's page")
        socket = web.WebSocketResponse(max_msg_size=MAX_FRAME, heartbeat=30.0, compress=False)
        await socket.prepare(request)
        gate, key = self.service.gate, address_key(address)
        refusal = gate.connect(key)
        try:
            if refusal is not None:
                log("refused", client=client, why=refusal)
                await socket.send_json({"said": f"aoad-tui: {refusal}"})
                await socket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=refusal.encode()[:120])
                return socket
            gate.logged_in(key)
            session = WebSession(self.service, socket, client, key)
            token = self.token(request)
            if token is not None:
                session.user = browsers.browser_user(self.root, token)
                session.name = "browser"
                session.key = "browser"
            await session.serve()
        finally:
            gate.disconnect(key)
        return socket

    # --- linking a browser to an SSH key ----------------------------------------------------------

    async def link(self, request: web.Request) -> web.Response:
        if not self.same_origin(request):
            return web.json_response({"said": "not from this server's page"}, status=403)
        token = self.token(request)
        if token is None:
            return web.json_response({"said": "this browser keeps no cookie: it cannot be linked"}, status=400)
        address = address_key(self.address(request))
        if self.link_tries.count(address, add=True) > LINK_TRIES:
            return web.json_response({"said": "too many tries; wait a minute"}, status=429)
        form = await request.post()
        code = str(form.get("code", ""))[:32]
        user = browsers.link(self.root, token, code)
        log("link", client=f"{address} web", linked=user is not None)
        if user is None:
            return web.json_response({"said": "that code is unknown, used or more than 5 minutes old"}, status=400)
        return web.json_response({"said": "linked: this browser now has your SSH key's bookmarks"})


class WebSite:
    """The web listener of a running server: started with it, stopped as it drains."""

    def __init__(self, runner: web.AppRunner, site: web.TCPSite, port: int) -> None:
        self.runner, self.site, self.port = runner, site, port

    @classmethod
    async def start(cls, service: Host) -> WebSite:
        options = service.options
        assert options.web is not None
        listener = WebListener(service, options.trusted_proxies)
        runner = web.AppRunner(listener.app, access_log=None, handle_signals=False)
        await runner.setup()
        host, port = options.web
        site = web.TCPSite(runner, host or None, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        address = runner.addresses[0]
        return cls(runner, site, int(address[1]))

    async def stop(self) -> None:
        """No new page or websocket; those open stay until their sessions end."""
        await self.site.stop()
