"""The setup commands themselves: refusing a missing or wrong Odoo source, packaging."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _closed_port_url():
    # A loopback port nobody listens on: the download fails at once, as when offline.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/odoo-19.0.tar.gz"


def _bootstrap(tmp_path, odoo_src):
    env = dict(os.environ, ODOO_SRC=str(odoo_src), ODOO_SRC_URL=_closed_port_url())
    started = time.monotonic()
    result = subprocess.run(
        [str(ROOT / "setup" / "test"), "-k", "nothing"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, time.monotonic() - started


def test_missing_source_offline_fails_fast_with_instructions(tmp_path):
    result, seconds = _bootstrap(tmp_path, tmp_path / "no-odoo-here")
    assert result.returncode != 0
    assert seconds < 15
    assert "could not download the Odoo 19.0 source" in result.stderr
    assert "ODOO_SRC=/path/to/odoo-19.0" in result.stderr
    assert str(tmp_path / "no-odoo-here") in result.stderr


def test_source_of_another_version_is_refused(tmp_path):
    fake = tmp_path / "odoo-18"
    (fake / "odoo").mkdir(parents=True)
    (fake / "odoo" / "release.py").write_text(
        "version_info = (18, 0, 0, 'final', 0, '')\n"
        "serie = series = '.'.join(str(s) for s in version_info[:2])\n"
    )
    result, seconds = _bootstrap(tmp_path, fake)
    assert result.returncode != 0
    assert seconds < 15
    assert "holds Odoo 18.0, not 19.0" in result.stderr


def test_addon_builds_a_wheel(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT / "internal_sla"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheels = [p.name for p in tmp_path.glob("*.whl")]
    assert len(wheels) == 1
    assert wheels[0].startswith("odoo_addon_internal_sla-19.0.")
