"""The Pub/Sub emulator of the Google Cloud CLI, started as one process and stopped by its PID.

The SDK's own launcher script execs Java, so the process we start is the emulator itself (unlike
`gcloud beta emulators pubsub start`, which leaves the Java server running when gcloud stops).
It runs in its own session, so a Ctrl-C in the terminal reaches newsbeam (which drains) and not
the emulator (which must outlive the drain).
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time

_log = logging.getLogger(__name__)

INSTALL_HINT = ("the Pub/Sub emulator of the Google Cloud CLI is needed for local streaming: install the "
                "Google Cloud CLI (https://cloud.google.com/sdk/docs/install), then "
                "`gcloud components install pubsub-emulator beta` (or, with apt, the package "
                "google-cloud-cli-pubsub-emulator), and Java 11 or newer; or point PUBSUB_EMULATOR_HOST at a "
                "running emulator")
LAUNCHER = os.path.join("platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator")


class EmulatorMissing(RuntimeError):
    """The emulator cannot be started here; the message says why and how to install it."""


def find_launcher() -> str:
    """Path of the emulator's launcher script; EmulatorMissing when it (or Java) is not installed."""
    gcloud = shutil.which("gcloud")
    if not gcloud:
        raise EmulatorMissing(f"gcloud is not on PATH; {INSTALL_HINT}")
    roots = [os.path.dirname(os.path.dirname(os.path.realpath(gcloud)))]
    try:
        reported = subprocess.run([gcloud, "info", "--format=value(installation.sdk_root)"], capture_output=True,
                                  text=True, timeout=30).stdout.strip()
        if reported:
            roots.append(reported)
    except (OSError, subprocess.TimeoutExpired):
        pass
    for root in roots:
        launcher = os.path.join(root, LAUNCHER)
        if os.access(launcher, os.X_OK):
            if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
                raise EmulatorMissing(f"the emulator needs Java, which is not on PATH; {INSTALL_HINT}")
            return launcher
    raise EmulatorMissing(f"the Pub/Sub emulator component is not installed in {roots[0]}; {INSTALL_HINT}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PubsubEmulator:
    """`with PubsubEmulator() as emulator: emulator.host` ('127.0.0.1:PORT')."""

    def __init__(self, port: int | None = None, start_timeout: float = 60.0):
        self.port = port or free_port()
        self.host = f"127.0.0.1:{self.port}"
        self._timeout = start_timeout
        self._process = None
        self._log_file = None

    def start(self) -> "PubsubEmulator":
        launcher = find_launcher()
        self._log_file = tempfile.NamedTemporaryFile(prefix="pubsub-emulator-", suffix=".log", delete=False)
        self._process = subprocess.Popen([launcher, "--host=127.0.0.1", f"--port={self.port}"],
                                         stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise EmulatorMissing(f"the Pub/Sub emulator exited at start-up ({self._log_tail()}); {INSTALL_HINT}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    _log.info("Pub/Sub emulator %s ready (pid %s)", self.host, self._process.pid)
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise EmulatorMissing(f"the Pub/Sub emulator did not listen within {self._timeout:.0f} s")

    def stop(self):
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        if self._log_file:
            self._log_file.close()
            os.unlink(self._log_file.name)
            self._log_file = None

    def _log_tail(self) -> str:
        try:
            with open(self._log_file.name, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-500:].strip()
        except OSError:
            return "no log"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
