"""TLS settings for `search index --scheduler tls://…`: a small TOML file → Dask `Security`.

A Dask cluster runs whatever its members send it, and plain ``tcp://`` carries the
papers and the pickled jobs in clear text to anyone on the path. With ``tls://`` both
sides present certificates signed by the cluster's CA and the traffic is encrypted;
this module reads where those certificates are::

    # security.toml
    ca_file = "/etc/paperscope/ca.pem"      # the CA that signed the cluster's certificates
    cert = "/etc/paperscope/client.pem"     # this client's certificate ...
    key = "/etc/paperscope/client-key.pem"  # ... and its key (may be inside `cert`)

Without ``--security`` Dask's own configuration (``distributed.comm.tls.*``) applies.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from search.errors import PaperscopeError

FIELDS = {"ca_file": "tls_ca_file", "cert": "tls_client_cert", "key": "tls_client_key"}


def load_security(path: str | Path) -> Any:
    """A `distributed.security.Security` from the TOML file at `path` (one-line errors)."""
    from distributed.security import Security

    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PaperscopeError(f"--security {file}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise PaperscopeError(f"--security {file}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PaperscopeError(f"--security {file}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise PaperscopeError(
            f"--security {file}: unknown field(s) {unknown}; known: {sorted(FIELDS)}"
        )
    if "ca_file" not in data or "cert" not in data:
        raise PaperscopeError(f"--security {file}: needs ca_file and cert (and key)")
    kwargs: dict[str, str] = {}
    for name, value in data.items():
        if not isinstance(value, str):
            raise PaperscopeError(f"--security {file}: {name} must be a file path (a string)")
        target = (file.parent / value).expanduser()
        if not target.is_file():
            raise PaperscopeError(f"--security {file}: {name} = {value!r}: no such file")
        kwargs[FIELDS[name]] = str(target)
    return Security(require_encryption=True, **kwargs)
