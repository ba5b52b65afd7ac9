"""A throwaway nginx on 127.0.0.1 with TLS (a self-signed certificate made here), serving
`aoad-tui serve --web` under a path prefix, as the README's server block does: for
tests/e2e/test_web.py. Started from the system's nginx with a config of its own, stopped by its pid.

Not a test module."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from support.sshd import free_port

# The README's server block, but for the ports and files of a test.
CONFIG = """
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {root}/cert.pem;
        ssl_certificate_key {root}/key.pem;
        location {prefix} {{
            proxy_pass http://127.0.0.1:{upstream}/;
            proxy_http_version 1.1;
            proxy_buffering off;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


def nginx() -> str | None:
    return shutil.which("nginx") or (str(Path("/usr/sbin/nginx")) if Path("/usr/sbin/nginx").exists() else None)


class Nginx:
    """nginx in `root`, proxying https://127.0.0.1:PORT{prefix} to the web listener on `upstream`."""

    def __init__(self, root: Path, upstream: int, prefix: str = "/aoad/") -> None:
        self.root, self.upstream, self.prefix = root, upstream, prefix
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}{self.prefix}"

    def __enter__(self) -> Nginx:
        program = nginx()
        assert program is not None, "no nginx: apt-get install nginx-light"
        self.root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-keyout", str(self.root / "key.pem"), "-out", str(self.root / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        self.port = free_port()
        config = self.root / "nginx.conf"
        config.write_text(CONFIG.format(root=self.root, port=self.port, prefix=self.prefix, upstream=self.upstream))
        log = (self.root / "stderr.log").open("ab")
        self.proc = subprocess.Popen([program, "-c", str(config), "-p", str(self.root)], stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"nginx did not start: {(self.root / 'error.log').read_text(errors='replace')}")

    def __exit__(self, *exc_info: object) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGQUIT)  # nginx's graceful stop, by its pid
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
