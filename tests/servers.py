"""Real servers for tests: a redis-server and gunicorn app instances on free ports, stopped afterwards."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def require(binary: str, install_hint: str) -> str:
    """The binary's path; missing, it fails the run in CI (nothing is skipped there) and skips elsewhere."""
    path = shutil.which(binary) or (shutil.which(binary, path=str(Path(sys.executable).parent)))
    if path is None:
        if IN_CI:
            pytest.fail(f"{binary} is missing: {install_hint}")
        pytest.skip(f"{binary} is not installed")
    return path


@contextmanager
def redis_server():
    """A throwaway redis-server (no persistence); yields its URL."""
    binary = require("redis-server", "apt-get install -y redis-server")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def gunicorn_instance(env: dict[str, str], workers: int, log: Path):
    """``gunicorn -w <workers> 'app:create_app()'`` on a free port with ``env``; yields its base URL."""
    port = free_port()
    config = log.with_suffix(".conf.py")
    # The deployment's gunicorn.conf.py (preload, and the post_fork hook that gives each worker its own database
    # pool), with this test's port, workers and log.
    config.write_text(f"exec(open({str(ROOT / 'gunicorn.conf.py')!r}).read())\n"
                      f"bind = '127.0.0.1:{port}'\nworkers = {workers}\ntimeout = 60\npreload_app = True\n"
                      f"errorlog = {str(log)!r}\n")
    # gunicorn 23+ opens a control socket at one fixed path in $HOME: two instances would fight over it.
    control = ["--no-control-socket"] if _has_control_socket() else []
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(config), *control, "app:create_app()"],
                               cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, timeout=60, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)  # quick shutdown: the test is over
        try:
            # Workers leave at once; gunicorn 27's master lingers ~5 s after them, which the test need not wait for.
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the master and any worker left
            process.wait(timeout=10)


def _has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" or "--no-control-socket" in (setting.cli or [])
               for setting in KNOWN_SETTINGS)
