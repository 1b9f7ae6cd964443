"""`search fetch`: download a venue's accepted papers with their metadata.

Why a package of our own rather than `openreview-py`: the maintained client
(`openreview/api/client.py`) is built for venue organisers. Its session has no
timeout on any call, retries only 500/502/503/504 (429 only when a Retry-After
header comes with it), has no request-rate limit, and `get_pdf` returns the whole
file in memory — there is nothing to resume and nothing to check before a file
lands on disk. It also pulls in requests, pyjwt, pycryptodome, pylatexenc, tld and
tqdm. What we need from it is small and documented: two GET endpoints and the
shape of a note. So we speak those HTTP shapes with the standard library
(`urllib.request`, no new dependency) and own the parts that make a 5,000-file
download polite and robust:

- `http` — one client: base URL, a request-rate limit shared by all threads,
  retries with exponential backoff that honour ``Retry-After`` on 429/503, a
  timeout per request, an optional bearer token that is never printed, and
  downloads to ``.part`` files resumed with ``Range`` and renamed only after a
  ``%PDF`` check and a size match;
- `openreview` — the accepted papers of an OpenReview venue (API v2), as
  `Listing` records;
- `proceedings` — the accepted papers of older NeurIPS years from the
  proceedings site's year index page;
- `sidecar` (in `indexer.sidecar`) — the JSON written next to each PDF, which
  `search index` reads;
- `runner` — lists, downloads concurrently, writes sidecars, reports.
"""
