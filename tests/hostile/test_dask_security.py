"""`--scheduler`: TLS with certificates from `--security`, a warning for plain remote TCP,
one line for an address that is not one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from search.commands.dask_security import load_security
from search.commands.index_cmd import _dask_executor, _loopback, run_index
from search.errors import PaperscopeError
from search.library import Library

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")


def make_certs(folder: Path) -> dict[str, Path]:
    """A throw-away CA and one certificate it signed for 127.0.0.1 (key and cert in one file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test certificates")
    ca_key, ca, key, csr, cert = (
        folder / n for n in ("ca.key", "ca.pem", "node.key", "node.csr", "node.pem")
    )
    ext = folder / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")

    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca),
        "-days", "2", "-subj", "/CN=paperscope-test-ca")  # fmt: skip
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
        "-subj", "/CN=localhost")  # fmt: skip
    ssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext))  # fmt: skip
    both = folder / "node-key-cert.pem"
    both.write_text(key.read_text() + cert.read_text())
    return {"ca": ca, "both": both}


@pytest.mark.slow
def test_index_over_tls_with_certificates_from_a_security_file(demo_corpus, tmp_path: Path) -> None:
    from distributed import LocalCluster
    from distributed.security import Security

    certs = make_certs(tmp_path)
    node = str(certs["both"])
    cluster_security = Security(
        tls_ca_file=str(certs["ca"]),
        tls_scheduler_cert=node,
        tls_worker_cert=node,
        tls_client_cert=node,
        require_encryption=True,
    )
    toml = tmp_path / "security.toml"
    toml.write_text(f'ca_file = "{certs["ca"]}"\ncert = "{node}"\n')
    with LocalCluster(
        protocol="tls://",
        host="127.0.0.1",
        security=cluster_security,
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        code = run_index(
            [demo_corpus.pdf_dir], tmp_path / "ix", 1, None, None, False, address,
            security=str(toml),
        )  # fmt: skip
    assert code == 0
    assert Library(tmp_path / "ix").total() == demo_corpus.papers


def test_security_file_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text('ca_file = "nope.pem"\ncert = "nope.pem"\n')
    with pytest.raises(PaperscopeError, match=r"ca_file = 'nope\.pem': no such file"):
        load_security(bad)
    bad.write_text('ca_file = "x"\ncolour = "red"\n')
    with pytest.raises(PaperscopeError, match="unknown field"):
        load_security(bad)
    bad.write_text("ca_file = [1]\ncert = 2\n")
    with pytest.raises(PaperscopeError, match="must be a file path"):
        load_security(bad)


@pytest.mark.parametrize("address", ["garbage://x", "tcp://", "localhost:8786", "tls:/x"])
def test_an_address_that_is_not_one_is_refused_in_one_line(address: str) -> None:

    with pytest.raises(PaperscopeError, match="give tls://HOST:PORT"):
        _dask_executor(address, None)


def test_plain_tcp_to_another_host_warns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:

    def unreachable(*args: object, **kwargs: object) -> None:
        raise OSError("Timed out trying to connect")  # what Client says after its timeout

    monkeypatch.setattr(distributed, "Client", unreachable)
    with pytest.raises(PaperscopeError, match="cannot reach Dask scheduler"):
        _dask_executor("tcp://192.0.2.1:8786", None)
    assert "warning: tcp://192.0.2.1:8786 is plain TCP" in capsys.readouterr().err
    with pytest.raises(PaperscopeError, match="cannot reach Dask scheduler"):
        _dask_executor("tcp://127.0.0.1:8786", None)
    assert "warning" not in capsys.readouterr().err


def test_loopback_addresses() -> None:
    assert _loopback("127.0.0.1:8786")
    assert _loopback("localhost:8786")
    assert _loopback("[::1]:8786")
    assert not _loopback("10.0.0.5:8786")
    assert not _loopback("example.org:8786")
