"""The benchmark server: Debian's nginx on loopback, pinned to one CPU."""

import ctypes
import grp
import os
import pwd
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import context
import record

SERVER_DIR = Path(__file__).resolve().parent.parent / "server"


def die_with_parent() -> None:
    """Runs in the child before exec: nginx gets SIGTERM (a fast shutdown)
    if the harness dies without stopping it."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cpu, argv):
    """`argv` run on one CPU, or anywhere when there is no CPU to spare."""
    return ["taskset", "-c", str(cpu), *argv] if cpu is not None else argv


class Nginx:
    def __init__(self, workdir: Path, api_key: str, cpu):
        self.prefix = workdir / "nginx"
        self.api_key = api_key
        self.cpu = cpu
        self.port = None
        self.process = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        (self.prefix / "paths.log").unlink(missing_ok=True)
        (self.prefix / "records.log").unlink(missing_ok=True)
        (self.prefix / "uploads.log").unlink(missing_ok=True)
        # A port picked here may be taken before nginx binds it: try again.
        for _ in range(5):
            self.port = free_port()
            conf = self._render()
            self.process = subprocess.Popen(
                pinned(self.cpu, ["nginx", "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
                                  "-c", str(conf)]),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                preexec_fn=die_with_parent)
            if self._wait_ready():
                return
            self.stop()
        raise SystemExit(f"nginx did not start; see {self.prefix / 'error.log'}")

    def _render(self) -> Path:
        text = (SERVER_DIR / "nginx.conf.in").read_text()
        values = {
            "PREFIX": str(self.prefix),
            # Workers run as whoever runs the benchmark, so that they can
            # read the answer files wherever the checkout is (a root-run
            # nginx otherwise drops its workers to `nobody`).
            "USER": pwd.getpwuid(os.getuid()).pw_name,
            "GROUP": grp.getgrgid(os.getgid()).gr_name,
            "PORT": str(self.port),
            "KEY": self.api_key,
            "STATUS_BODY": (SERVER_DIR / "status.json").read_text().strip(),
            "WHOAMI_BODY": (SERVER_DIR / "whoami.json").read_text().strip(),
            "SERVER_DIR": str(SERVER_DIR),
            "CONTEXT_REQUEST_BYTES": str(len(context.request_body().encode())),
            "RECORD_REQUEST_BYTES": str(len(record.request_body().encode())),
            "RECORD_BODY": record.answer_text(),
        }
        for name, value in values.items():
            if "'" in value or "$" in value:
                raise SystemExit(f"{name} cannot go into an nginx string: {value!r}")
            text = text.replace(f"@{name}@", value)
        conf = self.prefix / "nginx.conf"
        conf.write_text(text)
        return conf

    def _wait_ready(self) -> bool:
        # No proxy: the check, like every client, talks to loopback directly.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with opener.open(f"{self.base_url}/_bench/ready", timeout=1) as answer:
                    return answer.status == 200
            except OSError:
                time.sleep(0.05)
        return False

    def paths_seen(self) -> list:
        """The logged requests (all but the status, context fetch,
        record-message and upload paths), as `METHOD path status`."""
        log = self.prefix / "paths.log"
        return log.read_text().split("\n")[:-1] if log.exists() else []

    def records_seen(self) -> int:
        """How many record-message requests nginx has answered with 200 so
        far (its log is written as each request ends, unbuffered)."""
        log = self.prefix / "records.log"
        return log.read_text().split("\n").count("200") if log.exists() else 0

    def uploads_seen(self) -> list:
        """The upload requests nginx has logged so far, one `status
        request_length content_length` line each."""
        log = self.prefix / "uploads.log"
        return log.read_text().split("\n")[:-1] if log.exists() else []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
