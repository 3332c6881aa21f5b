"""Serving the runtime paths on kept-alive connections, in one write per answer.

werkzeug's development server (moto's) closes every connection after one request, writes
headers and body in separate sends (with Nagle's algorithm the body then waits for the client's
delayed ACK, ~40 ms) and waits 10 ms for stray input after each request. `RuntimeRequestHandler`
answers what `RuntimeFront` serves itself, without any of that, and hands every other request
to werkzeug exactly as before.
"""

from __future__ import annotations

import socket
from urllib.parse import unquote, urlsplit

from moto.moto_server.werkzeug_app import MotoRequestHandler

from mlops.localcloud.serving.faults import FaultInjector
from mlops.localcloud.serving.front import RuntimeFront
from mlops.localcloud.serving.router import EndpointRouter


class RuntimeRequestHandler(MotoRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def run_wsgi(self) -> None:
        front = self.server.app
        if isinstance(front, RuntimeFront) and front.serves(self.command, unquote(urlsplit(self.path).path)):
            self._answer(front)
        else:
            super().run_wsgi()  # moto's path: werkzeug answers and closes the connection

    def _answer(self, front: RuntimeFront) -> None:
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.environ = environ = self.make_environ()
        response: dict = {}

        def start_response(status, headers, exc_info=None):
            response.update(status=status, headers=headers)

        body = b"".join(front(environ, start_response))
        lines = [f"HTTP/1.1 {response['status']}", f"Date: {self.date_time_string()}",
                 *(f"{name}: {value}" for name, value in response["headers"])]
        if self.close_connection:  # the client asked for it (or spoke HTTP/1.0)
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        self.wfile.write(head + body)


def mount_runtime(server, *, router: EndpointRouter, faults: FaultInjector) -> RuntimeFront:
    """Put the runtime in front of a started ThreadedMotoServer.

    werkzeug's server looks its application up for every request and its handler class up for
    every connection, so swapping both is enough."""
    front = RuntimeFront(server._server.app, router=router, faults=faults)
    server._server.app = front
    server._server.RequestHandlerClass = RuntimeRequestHandler
    return front
