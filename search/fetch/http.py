"""One polite HTTP client for every request `search fetch` makes.

A public server tolerates a crawler that asks slowly, backs off when told to and
never asks twice for what it already has. This client holds those rules in one
place, shared by every download thread:

- a request-rate limit (``rate`` requests per second across all threads);
- a timeout per request (connect and each read);
- retries with exponential backoff and jitter on connection errors, timeouts,
  408/429/5xx and truncated bodies; a ``Retry-After`` header (seconds or an HTTP
  date) on 429/503 is obeyed and pauses *every* thread, not only the one told;
- downloads streamed to ``NAME.part``, resumed with a ``Range`` request after a
  dropped connection, and renamed to ``NAME`` only when the size matches
  ``Content-Length`` (or ``Content-Range``) and the file starts with ``%PDF-``;
- an optional bearer token sent as an *unredirected* header (never forwarded to
  another host by a redirect) and never part of a URL, message or log line.

Standard library only (``urllib.request``): see the package docstring for why not
``openreview-py``'s requests session.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1 << 16
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
USER_AGENT = "paperscope-fetch/0.1 (+https://github.com/paperscope; polite research crawler)"


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How hard the client may push a server."""

    rate: float = 2.0
    """Requests per second across all threads; 0 means no limit."""
    timeout: float = 60.0
    """Seconds to wait for a connection or for the next bytes of a response."""
    retries: int = 5
    """Further attempts after the first failure of one request."""
    backoff: float = 1.0
    """First retry delay in seconds; doubled each attempt (with up to 25 % jitter)."""
    max_wait: float = 300.0
    """Longest single wait, whatever the backoff or a Retry-After header asks for."""
    token: str | None = None
    """Bearer token for non-public venues; only ever sent as a header."""

    def __repr__(self) -> str:  # keep the token out of every repr, log and traceback
        return (
            f"HttpPolicy(rate={self.rate}, timeout={self.timeout}, retries={self.retries},"
            f" backoff={self.backoff}, max_wait={self.max_wait},"
            f" token={'<set>' if self.token else None})"
        )


class HttpError(Exception):
    """A request that failed for good; `str()` is the one-line reason."""

    def __init__(
        self, reason: str, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.headers = headers or {}


class _Retryable(Exception):
    """A failure worth another attempt."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RateLimiter:
    """Spaces request starts at least ``1/rate`` seconds apart across threads."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until this thread may start a request."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)

    def defer(self, seconds: float) -> None:
        """Hold every thread's next request for `seconds` (a server said Retry-After)."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HttpClient:
    """GET JSON, text and files under one `HttpPolicy`; thread-safe."""

    def __init__(self, policy: HttpPolicy | None = None) -> None:
        self.policy = policy or HttpPolicy()
        self.limiter = RateLimiter(self.policy.rate)
        self._opener = urllib.request.build_opener()
        self._lock = threading.Lock()
        self.requests = 0
        """Requests sent (each retry counts)."""
        self.retried = 0
        """Attempts that failed and were retried."""

    # -- public ------------------------------------------------------------------------

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """The decoded JSON body of ``GET url?params``."""
        full = with_params(url, params)

        def attempt() -> Any:
            with self._open(full, {"Accept": "application/json"}) as resp:
                body = _read_all(resp)
            try:
                return json.loads(body)
            except ValueError:
                raise HttpError(f"{full}: response is not JSON") from None

        return self._retrying(attempt)

    def get_text(self, url: str) -> str:
        """The body of ``GET url`` as text (UTF-8, undecodable bytes replaced)."""

        def attempt() -> str:
            with self._open(url, {"Accept": "text/html,*/*"}) as resp:
                return _read_all(resp).decode("utf-8", "replace")

        return self._retrying(attempt)

    def download(self, url: str, dest: Path, on_bytes: Callable[[int], None] | None = None) -> int:
        """Download `url` to `dest` through ``dest.part``; return the file size.

        A ``.part`` left by an earlier attempt (or an earlier run) is resumed with a
        ``Range`` request; a server that ignores the range sends the whole file and
        the part is rewritten. `dest` appears only complete and checked.
        """
        part = dest.with_name(dest.name + ".part")

        def attempt() -> int:
            have = part.stat().st_size if part.exists() else 0
            headers = {"Accept": "application/pdf"}
            if have:
                headers["Range"] = f"bytes={have}-"
            try:
                resp = self._open(url, headers)
            except HttpError as exc:
                if exc.status != 416:
                    raise
                # Nothing after our part: complete already (a run stopped before the
                # rename), or longer than the file (stale) and fetched again.
                _, total = _content_range(exc.headers.get("Content-Range"))
                if total != have:
                    part.unlink(missing_ok=True)
                    raise _Retryable("stale partial file (range not satisfiable)") from None
                return finish(have, total)
            with resp:
                if resp.status == 206 and have:
                    start, total = _content_range(resp.headers.get("Content-Range"))
                    if start != have:
                        part.unlink(missing_ok=True)
                        raise _Retryable("server resumed at the wrong offset")
                    mode = "ab"
                else:
                    have, mode = 0, "wb"
                    length = resp.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else None
                with part.open(mode) as fh:
                    while chunk := _read_chunk(resp, fh):
                        fh.write(chunk)
                        if on_bytes:
                            on_bytes(len(chunk))
            return finish(part.stat().st_size, total)

        def finish(size: int, total: int | None) -> int:
            if total is not None and size != total:
                raise _Retryable(f"truncated download ({size} of {total} bytes)")
            with part.open("rb") as fh:
                head = fh.read(5)
                if total is None:  # no length to compare: ask the file for its end marker
                    fh.seek(max(0, size - 2048))
                    if b"%%EOF" not in fh.read():
                        part.unlink()
                        raise _Retryable(f"truncated download ({size} bytes, no %%EOF)")
            if head != b"%PDF-":
                part.unlink()
                raise HttpError(f"{url}: not a PDF (starts with {head!r})")
            os.replace(part, dest)
            return size

        return self._retrying(attempt)

    # -- internals ---------------------------------------------------------------------

    def _open(self, url: str, headers: Mapping[str, str]) -> http.client.HTTPResponse:
        req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
        if self.policy.token:
            req.add_unredirected_header("Authorization", f"Bearer {self.policy.token}")
        self.limiter.wait()
        with self._lock:
            self.requests += 1
        try:
            return self._opener.open(req, timeout=self.policy.timeout)
        except urllib.error.HTTPError as exc:
            retry_after = parse_retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            exc.close()
            reason = f"HTTP {exc.code} {exc.reason}".strip()
            if exc.code in RETRY_STATUSES:
                raise _Retryable(reason, retry_after) from None
            raise HttpError(f"{url}: {reason}", exc.code, exc.headers) from None
        except urllib.error.URLError as exc:
            raise _Retryable(f"cannot connect ({_reason(exc.reason)})") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(_reason(exc)) from None

    def _retrying(self, attempt: Callable[[], Any]) -> Any:
        p = self.policy
        for n in range(p.retries + 1):
            try:
                return attempt()
            except _Retryable as exc:
                if n == p.retries:
                    tries = f"{n + 1} attempt{'s' if n else ''}"
                    raise HttpError(f"{exc} after {tries}") from None
                if exc.retry_after is not None:
                    wait = min(exc.retry_after, p.max_wait)
                    self.limiter.defer(wait)  # the server asked everyone to wait
                else:
                    wait = min(p.backoff * 2**n * (1 + random.random() / 4), p.max_wait)
                with self._lock:
                    self.retried += 1
                time.sleep(wait)
            except (OSError, http.client.HTTPException) as exc:  # raised while reading
                if n == p.retries:
                    raise HttpError(f"{_reason(exc)} after {n + 1} attempts") from None
                with self._lock:
                    self.retried += 1
                time.sleep(min(p.backoff * 2**n * (1 + random.random() / 4), p.max_wait))
        raise AssertionError("unreachable")


def with_params(url: str, params: Mapping[str, Any] | None) -> str:
    """`url` with `params` appended as a query string (None values left out)."""
    if not params:
        return url
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _read_all(resp: http.client.HTTPResponse) -> bytes:
    try:
        return resp.read()
    except http.client.IncompleteRead as exc:
        raise _Retryable(f"connection closed mid-response ({len(exc.partial)} bytes)") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _Retryable(_reason(exc)) from None


def _read_chunk(resp: http.client.HTTPResponse, fh: BinaryIO) -> bytes:
    try:
        return resp.read(CHUNK)
    except http.client.IncompleteRead as exc:
        fh.write(exc.partial)  # keep what did arrive: the next attempt resumes after it
        raise _Retryable("connection closed mid-file") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _Retryable(_reason(exc)) from None


def _content_range(value: str | None) -> tuple[int | None, int | None]:
    """("bytes 100-199/200") → (100, 200); unknown parts are None."""
    if not value or not value.startswith("bytes "):
        return None, None
    span, _, total = value[6:].partition("/")
    start = span.split("-", 1)[0]
    return (
        int(start) if start.isdigit() else None,
        int(total) if total.isdigit() else None,
    )


def _reason(exc: object) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "server closed the connection"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:160]
