"""A small HTTP server on a loopback address for tests of outbound requests (feeds, webhook
receivers): routes answer fixed or computed responses, and every request is recorded."""

import contextlib
import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering, or between chunks when ``chunks`` is set.
    delay: float = 0.0
    chunks: int = 0  # send the body in this many pieces, ``delay`` apart
    handler: Callable | None = None  # (request) -> (status, headers, body), overrides the rest


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LocalHTTPServer:
    """``with LocalHTTPServer() as server: server.route("/feed", body=...)``; ``server.url(p)``."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with outer._lock:
                    outer.requests.append(
                        Recorded(self.command, self.path, dict(self.headers.items()), body)
                    )
                route = outer.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    status, headers, payload = 404, {}, b"not found"
                elif route.handler is not None:
                    status, headers, payload = route.handler(outer.requests[-1])
                else:
                    status, headers, payload = route.status, route.headers, route.body
                if route is not None and route.delay and not route.chunks:
                    time.sleep(route.delay)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command == "HEAD":
                        return
                    if route is not None and route.chunks:
                        size = max(1, len(payload) // route.chunks)
                        for start in range(0, len(payload), size):
                            self.wfile.write(payload[start : start + size])
                            self.wfile.flush()
                            time.sleep(route.delay)
                    else:
                        self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = do_PUT = _serve

        self._server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def route(self, path: str, **kwargs) -> Route:
        self.routes[path] = Route(**kwargs)
        return self.routes[path]

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
