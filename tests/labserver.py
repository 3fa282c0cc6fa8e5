"""JupyterLab on 127.0.0.1 for the browser tests and benchmarks: one way to start and stop it.

As root and with no outside calls (the settings that work on these machines: see
shared TESTING.md). Used by tests/test_lab_browser.py, tests/filters/test_browser.py and
benchmarks/bench_browser.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(root: Path, state: Path, timeout: float = 90):
    """JupyterLab serving ``root``, its config, runtime files and log in ``state``: yields
    (base_url, token); the server is always stopped."""
    state.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(state / "cfg"), JUPYTER_RUNTIME_DIR=str(state / "rt"))
    jupyter = [sys.executable, "-m", "jupyter"]
    subprocess.run(
        jupyter + ["labextension", "disable", "--level=user",
                   "@jupyterlab/apputils-extension:announcements"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    port, token = free_port(), secrets.token_hex(16)
    log_path = state / "lab.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed in finally)
    server = subprocess.Popen(
        jupyter + [
            "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.token={token}",
            "--allow-root", f"--ServerApp.root_dir={root}", "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
        ],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start: {log_path.read_text()[-2000:]}") from None  # fmt: skip
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
