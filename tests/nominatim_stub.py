"""A local HTTP server that answers like Nominatim's /search, for tests.

Behaviour by query: known names get a result, ``slow*`` sleeps past the
client's timeout, ``busy*`` answers 429, ``broken*`` answers 500, anything
else an empty list.  Every request is recorded with its time.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

RESULTS = {
    "hamlet nowhere": {
        "lat": "12.3456",
        "lon": "-1.2345",
        "display_name": "Hamlet Nowhere, Kadiogo, Burkina Faso",
        "cc": "bf",
    },
    "camp seventeen": {"lat": "2.1", "lon": "45.2", "display_name": "Camp Seventeen, Banaadir, Somalia", "cc": "so"},
}


class Stub:
    def __init__(self, delay: float = 2.0) -> None:
        self.requests: list[tuple[float, str, dict]] = []
        self.delay = delay
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                q = params.get("q", "").lower()
                stub.requests.append((time.monotonic(), q, params))
                if url.path != "/search":
                    return self._send(404, {"error": "not found"})
                if q.startswith("slow"):
                    time.sleep(stub.delay)
                    return self._send(200, [])
                if q.startswith("busy"):
                    return self._send(429, {"error": "rate limited"})
                if q.startswith("broken"):
                    return self._send(500, {"error": "internal"})
                hit = RESULTS.get(q)
                if hit is None:
                    return self._send(200, [])
                body = [
                    {
                        "place_id": 1,
                        "lat": hit["lat"],
                        "lon": hit["lon"],
                        "display_name": hit["display_name"],
                        "class": "place",
                        "type": "hamlet",
                        "importance": 0.3,
                        "address": {"country_code": hit["cc"]},
                    }
                ]
                return self._send(200, body)

            def _send(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, prefix: str) -> int:
        return sum(1 for _, q, _ in self.requests if q.startswith(prefix))
