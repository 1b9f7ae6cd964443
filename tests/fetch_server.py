"""A local stand-in for OpenReview's API v2 and the NeurIPS proceedings site.

Serves, on 127.0.0.1 only, the documented shapes `search.fetch` reads
(``GET /notes`` → ``{"notes": [...], "count": N}`` with ``{"value": ...}``-wrapped
content; ``GET /pdf?id=``; a proceedings year page and its PDF files) with PDFs
made by the demo generator. Faults are scripted per resource and consumed in
order — ``("status", 429, retry_after)``, ``("status", 500)``, ``("reset", n)``
(send n bytes of the file, then a TCP reset), ``("truncate", n)`` (send n bytes
under the full Content-Length, then close), ``("html",)`` — and every request is
logged, so tests can assert what was asked for and how often.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Logged:
    """One request the server saw."""

    path: str
    key: str
    range: str | None
    at: float
    status: int = 0
    sent: int = 0
    auth: str | None = None


@dataclass
class ServerState:
    """What the server serves and what it saw."""

    notes: list[dict[str, Any]] = field(default_factory=list)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    proceedings: dict[int, str] = field(default_factory=dict)
    faults: dict[str, list[tuple]] = field(default_factory=dict)
    pdf_delay: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    log: list[Logged] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests_for(self, key: str) -> list[Logged]:
        """Logged requests for one resource ("notes" or a paper id)."""
        with self.lock:
            return [r for r in self.log if r.key == key]

    def pdf_requests(self) -> list[Logged]:
        """Every logged PDF request."""
        with self.lock:
            return [r for r in self.log if r.key != "notes" and not r.key.startswith("page:")]

    def complete_downloads(self, key: str) -> int:
        """Responses that carried the whole file (status 200, every byte sent)."""
        size = len(self.pdfs[key])
        return sum(1 for r in self.requests_for(key) if r.status == 200 and r.sent == size)


def note(note_id: str, title: str, authors: list[str], venue_id: str, label: str) -> dict:
    """A submission note in the API v2 shape (every content field wrapped in {"value": ...})."""
    return {
        "id": note_id,
        "forum": note_id,
        "number": abs(hash(note_id)) % 10000,
        "invitations": [f"{venue_id}/-/Submission"],
        "content": {
            "title": {"value": title},
            "authors": {"value": authors},
            "authorids": {
                "value": [
                    f"~{a.replace(' ', '_')}1" if i % 2 == 0 else f"a{i}@example.org"
                    for i, a in enumerate(authors)
                ]
            },
            "keywords": {"value": ["large language models", "evaluation"]},
            "abstract": {"value": f"We study {title.lower()}."},
            "pdf": {"value": f"/pdf/{note_id}.pdf"},
            "venue": {"value": label},
            "venueid": {"value": venue_id},
        },
    }


class _Handler(BaseHTTPRequestHandler):
    state: ServerState  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        st = self.state
        if url.path == "/notes":
            key = "notes"
        elif url.path == "/pdf":
            key = query.get("id", "")
        elif url.path.startswith("/paper_files/paper/") and url.path.endswith(".pdf"):
            key = url.path.rsplit("/", 1)[-1].split("-", 1)[0]
        elif url.path.startswith("/paper_files/paper/"):
            key = "page:" + url.path.rsplit("/", 1)[-1]
        else:
            key = "?"
        entry = Logged(
            self.path,
            key,
            self.headers.get("Range"),
            time.monotonic(),
            auth=self.headers.get("Authorization"),
        )
        with st.lock:
            st.log.append(entry)
            fault = st.faults.get(key, []).pop(0) if st.faults.get(key) else None
        if fault and fault[0] == "status":
            entry.status = fault[1]
            self.send_response(fault[1])
            if len(fault) > 2 and fault[2] is not None:
                self.send_header("Retry-After", str(fault[2]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if key == "notes":
            self._notes(query, entry)
        elif key.startswith("page:"):
            year = int(key[5:]) if key[5:].isdigit() else 0
            self._send(200, st.proceedings.get(year, "").encode(), "text/html", entry)
        elif key in st.pdfs:
            if fault and fault[0] == "html":
                self._send(200, b"<!DOCTYPE html><p>Too many requests</p>", "text/html", entry)
                return
            with st.lock:
                st.in_flight += 1
                st.max_in_flight = max(st.max_in_flight, st.in_flight)
            try:
                self._pdf(st.pdfs[key], fault, entry)
            finally:
                with st.lock:
                    st.in_flight -= 1
        else:
            self._send(404, b'{"name":"NotFoundError"}', "application/json", entry)

    def _notes(self, query: dict[str, str], entry: Logged) -> None:
        venue_id = query.get("content.venueid")
        matching = [n for n in self.state.notes if n["content"]["venueid"]["value"] == venue_id]
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 1000))
        body = {"notes": matching[offset : offset + limit], "count": len(matching)}
        self._send(200, json.dumps(body).encode(), "application/json", entry)

    def _pdf(self, data: bytes, fault: tuple | None, entry: Logged) -> None:
        if self.state.pdf_delay:
            time.sleep(self.state.pdf_delay)
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng[6:].rstrip("-").isdigit():
            start = int(rng[6:].rstrip("-"))
            if start >= len(data):
                entry.status = 416
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        body = data[start:]
        entry.status = 206 if start else 200
        self.send_response(entry.status)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if fault and fault[0] in ("reset", "truncate"):
            n = min(fault[1], len(body))
            self.wfile.write(body[:n])
            self.wfile.flush()
            entry.sent = n
            if fault[0] == "reset":  # RST instead of FIN
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            self.close_connection = True
            self.connection.close()
            return
        # In slices, so a killed client leaves a partly sent file behind.
        for i in range(0, len(body), 4096):
            self.wfile.write(body[i : i + 4096])
            entry.sent += len(body[i : i + 4096])

    def _send(self, status: int, body: bytes, ctype: str, entry: Logged) -> None:
        entry.status = status
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        entry.sent = len(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # resets and killed clients are what the tests are about


class LocalServer:
    """The server in a thread; `url` is its base URL."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        handler = type("Handler", (_Handler,), {"state": state})
        self._server = _Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
