"""The hosted server: Streamable HTTP, stateless, behind bearer tokens and a Host/Origin allowlist.

Stateless with JSON responses, so any replica can answer any request (no sticky sessions)
and clients of both the 2025-11-25 (initialize handshake) and 2026-07-28 (per-request
envelope) protocol revisions are served by the SDK's transport. In front of it, outermost
first: a Host/Origin check for every path (the SDK guards only localhost binds by itself),
one JSON log line per request, then the SDK's bearer-token check with RFC 9728 metadata.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest import CtxError

from .server import ServerOptions, build_server

TOKEN_ENV = "CTX_MCP_TOKEN"
MAX_REQUEST_BYTES = 1_000_000  # a tool call is a few hundred bytes of JSON; anything near this is not one
_log = logging.getLogger("ctx.mcp")


class AuthConfigError(CtxError):
    """A hosted server asked to start without tokens (and without --public), or with an unreadable token file."""


@dataclass(frozen=True)
class HttpOptions:
    """Where the hosted server listens and whom it lets in."""

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None  # how clients reach it, e.g. https://ctx.example.com (default http://host:port)
    tokens: tuple[str, ...] = ()
    public: bool = False  # serve without authentication
    allowed_hosts: tuple[str, ...] = ()  # Host header values besides the public URL's and the bind address
    allowed_origins: tuple[str, ...] = ()  # browser origins allowed to call; none by default

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


class StaticTokens(TokenVerifier):
    """Bearer tokens the operator handed out, compared in constant time."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self._tokens = [token.encode() for token in tokens]

    async def verify_token(self, token: str) -> AccessToken | None:
        given = token.encode()
        for number, known in enumerate(self._tokens, start=1):
            if hmac.compare_digest(given, known):
                return AccessToken(token=token, client_id=f"token-{number}", scopes=[])
        return None


def load_tokens(token_file: Path | None) -> tuple[str, ...]:
    """Tokens from --token-file (one per line, '#' comments) and the CTX_MCP_TOKEN variable."""
    tokens = [os.environ[TOKEN_ENV].strip()] if os.environ.get(TOKEN_ENV, "").strip() else []
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthConfigError(f"cannot read the token file {token_file}: {exc.strerror}", hint="check the path and its permissions") from None
        tokens += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    short = [t for t in tokens if len(t) < 16]
    if short:
        raise AuthConfigError("a token is shorter than 16 characters", hint="use long random tokens, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return tuple(tokens)


def build_app(options: ServerOptions, http: HttpOptions) -> ASGIApp:
    """The hosted server as an ASGI app (what `serve_http` runs; tests drive it directly)."""
    if not http.tokens and not http.public:
        raise AuthConfigError(
            "the hosted server needs bearer tokens",
            hint=f"set {TOKEN_ENV} or pass --token-file FILE; or --public to serve without authentication",
        )
    auth = verifier = None
    if http.tokens:
        auth = AuthSettings(
            issuer_url=http.base_url,  # type: ignore[arg-type]  # pydantic converts the str
            resource_server_url=f"{http.base_url}/mcp",  # type: ignore[arg-type]
            validate_token_resource=False,  # static tokens are issued for this server only
        )
        verifier = StaticTokens(http.tokens)
    server = build_server(options, auth=auth, token_verifier=verifier)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "server": server.name, "version": server.version})

    server.custom_route("/healthz", methods=["GET"])(health)  # not behind auth: for load balancers

    security = _security(http)
    app: Starlette = server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        max_request_body_size=MAX_REQUEST_BYTES,
        transport_security=security,
        host=http.host,
    )
    return HostGuard(app, security)


def _security(http: HttpOptions) -> TransportSecuritySettings:
    netloc = http.base_url.split("://", 1)[1]
    hosts = {netloc, *http.allowed_hosts}
    origins = {http.base_url, *http.allowed_origins}  # pages served by the server itself may call it
    if http.host in ("127.0.0.1", "localhost", "::1"):
        loopback = {f"127.0.0.1:{http.port}", f"localhost:{http.port}", f"[::1]:{http.port}"}
        hosts |= loopback
        origins |= {f"http://{host}" for host in loopback}
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=sorted(hosts), allowed_origins=sorted(origins)
    )


class HostGuard:
    """Refuse a request whose Host (421) or Origin (403) is not allowed, before anything else runs;
    then log the request as one JSON line."""

    def __init__(self, app: ASGIApp, security: TransportSecuritySettings) -> None:
        self.app = app
        self.check = TransportSecurityMiddleware(security)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def send_logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        refused = await self.check.validate_request(Request(scope), is_post=False)
        try:
            if refused is not None:
                await refused(scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        finally:
            _log.info("http request", extra={
                "method": scope["method"], "path": scope["path"], "status": status,
                "ms": round((time.perf_counter() - started) * 1000),
            })


async def serve_http(options: ServerOptions, http: HttpOptions) -> None:
    """Run the hosted server until SIGINT/SIGTERM; requests in flight get 30 s to finish."""
    import uvicorn

    config = uvicorn.Config(
        build_app(options, http), host=http.host, port=http.port, log_level="warning", access_log=False,
        timeout_graceful_shutdown=30, limit_concurrency=256, lifespan="on",
    )
    await uvicorn.Server(config).serve()


class JsonLines(logging.Formatter):
    """One JSON object per log record, with the fields passed in `extra`."""

    _STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {"time": round(record.created, 3), "level": record.levelname.lower(), "event": record.getMessage()}
        fields |= {k: v for k, v in vars(record).items() if k not in self._STANDARD}
        return json.dumps(fields, ensure_ascii=False, default=str)


def log_to_stderr(level: int = logging.INFO) -> None:
    """Structured logs of the server (ctx.mcp) as JSON lines on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    for name, at in (("ctx.mcp", level), ("mcp", logging.WARNING)):  # the SDK's own warnings as JSON too
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(at)
        logger.propagate = False
