"""A throwaway OpenSSH server on 127.0.0.1, and the `ssh -tt` command line that reaches it: for the
end-to-end tests over SSH (tests/e2e/test_ssh.py) and the byte budget through ssh
(tests/bench/bench_ssh.py).

Not a test module. Everything lives in one directory the caller owns: the server's host key, the
client's key, authorized_keys, sshd_config, the pid file and sshd's log. The server is a child
process of the caller, started in the foreground (`sshd -D -e`) and stopped by its pid. Key
authentication only; it listens on loopback on a free port.

The remote command starts in the user's home with sshd's PATH, and only TERM (in the pty request)
and the variables named in both the client's SendEnv and the server's AcceptEnv travel: pass
absolute paths, and name the variables you need.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

SSHD = "/usr/sbin/sshd"
PRIVSEP_DIR = Path("/run/sshd")
REQUIRE_ENV = "AOAD_TUI_REQUIRE_SSH"
DEFAULT_ACCEPT_ENV = ("NO_COLOR", "LANG", "LC_*")
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/bin", "/sbin", "/bin"])


class SshdError(RuntimeError):
    """The server could not be started (the message carries its log)."""


def tool(name: str) -> str | None:
    """The absolute path of an OpenSSH program, or None. sshd is looked for where Debian puts it."""
    if name == "sshd" and os.access(SSHD, os.X_OK):
        return SSHD
    return shutil.which(name, path=_SEARCH_PATH)


def missing_tools() -> list[str]:
    """Which of sshd, ssh and ssh-keygen cannot be found."""
    return [name for name in ("sshd", "ssh", "ssh-keygen") if tool(name) is None]


def ssh_required() -> bool:
    """True when AOAD_TUI_REQUIRE_SSH=1: a missing OpenSSH is then a failure, not a skip."""
    return os.environ.get(REQUIRE_ENV, "") == "1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (bind to port 0, ask, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def keygen(path: Path) -> Path:
    """A new ed25519 key pair without a passphrase: `path` (private) and `path`.pub."""
    keygen_program = tool("ssh-keygen")
    if keygen_program is None:
        raise SshdError("ssh-keygen is not installed")
    subprocess.run(
        [keygen_program, "-q", "-t", "ed25519", "-N", "", "-C", "aoad-tui-test", "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    return path


def _banner(port: int, timeout: float) -> bytes:
    """The first bytes the server at 127.0.0.1:port sends (b"" if it does not answer)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            return sock.recv(64)
    except OSError:
        return b""


class SshServer:
    """`sshd -D -e` on 127.0.0.1:<free port>, with its own keys, in `root` (a directory the caller
    owns and removes). Use as a context manager, or call `stop()`."""

    def __init__(self, root: Path, *, accept_env: Iterable[str] = DEFAULT_ACCEPT_ENV) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.accept_env = tuple(accept_env)
        self.user = getpass.getuser()
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.root / "sshd.log"
        self.host_key = self.root / "ssh_host_ed25519_key"
        self.client_key = self.root / "client_ed25519_key"
        self.config = self.root / "sshd_config"

    # --- starting and stopping -------------------------------------------------------------------

    def __enter__(self) -> SshServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self, timeout: float = 10.0) -> None:
        missing = missing_tools()
        if missing:
            raise SshdError(f"OpenSSH programs missing: {', '.join(missing)}")
        keygen(self.host_key)
        keygen(self.client_key)
        authorized = self.root / "authorized_keys"
        authorized.write_bytes(self.client_key.with_suffix(".pub").read_bytes())
        authorized.chmod(0o600)
        if os.geteuid() == 0:  # privilege separation needs it (Debian makes it only in the service unit)
            PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        problems = []
        for _attempt in range(3):  # another process may take the free port before sshd binds it
            self.port = free_port()
            self._write_config()
            try:
                self._launch(timeout)
                return
            except SshdError as error:
                problems.append(str(error))
                if "Address already in use" not in str(error):
                    break
        raise SshdError("\n".join(problems))

    def _write_config(self) -> None:
        lines = [
            "ListenAddress 127.0.0.1",
            f"Port {self.port}",
            f"HostKey {self.host_key}",
            f"PidFile {self.root / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.root / 'authorized_keys'}",
            "AuthenticationMethods publickey",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            f"AllowUsers {self.user}",
            "PrintMotd no",
            "PrintLastLog no",
            "Banner none",
            "X11Forwarding no",
            "AllowAgentForwarding no",
            "AllowTcpForwarding no",
            "PermitUserEnvironment no",
            "LogLevel INFO",
            "ClientAliveInterval 0",
        ]
        if self.accept_env:
            lines.append(f"AcceptEnv {' '.join(self.accept_env)}")
        self.config.write_text("\n".join(lines) + "\n")

    def _launch(self, timeout: float) -> None:
        sshd = tool("sshd")
        assert sshd is not None
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sshd, "-D", "-e", "-f", str(self.config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a terminal's ^C never reaches it; we stop it by pid
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                raise SshdError(f"sshd exited at once on port {self.port}:\n{self.log()}")
            if _banner(self.port, 0.5).startswith(b"SSH-"):
                return
            time.sleep(0.05)
        self.stop()
        raise SshdError(f"sshd did not accept connections on port {self.port} within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop the server by its pid: SIGTERM, then SIGKILL. Sessions already open are not touched."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")
        return ""

    # --- the client ------------------------------------------------------------------------------

    def ssh_argv(self, remote: Sequence[str], *, send_env: Iterable[str] = (), tty: bool = True) -> list[str]:
        """The `ssh` command line that runs `remote` (an argv, absolute paths) on this server:
        `-tt` forces a pty on the far side even though our own stdin may be a pipe."""
        ssh = tool("ssh")
        if ssh is None:
            raise SshdError("ssh is not installed")
        options = {
            "StrictHostKeyChecking": "no",
            "UserKnownHostsFile": "/dev/null",
            "GlobalKnownHostsFile": "/dev/null",
            "BatchMode": "yes",
            "IdentitiesOnly": "yes",
            "IdentityAgent": "none",
            "ConnectTimeout": "10",
            "LogLevel": "ERROR",  # no "Permanently added" or "Connection closed" lines on the screen
            "ControlMaster": "no",
            "ControlPath": "none",
            "EscapeChar": "none",  # every byte we type reaches the app, "~." included
        }
        argv = [ssh, "-tt" if tty else "-T", "-F", "/dev/null"]
        for name, value in options.items():
            argv += ["-o", f"{name}={value}"]
        for name in send_env:
            argv += ["-o", f"SendEnv={name}"]
        argv += ["-i", str(self.client_key), "-p", str(self.port), f"{self.user}@127.0.0.1"]
        # ssh hands the far side one string, run by the user's shell: quote it, and exec so that the
        # program is the session's process (the one the kernel sends SIGHUP when the pty closes).
        argv += ["--", "exec " + shlex.join(remote)]
        return argv

    def run(self, remote: Sequence[str], timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        """Run a command without a pty and capture its output (a quick check that logging in works)."""
        return subprocess.run(
            self.ssh_argv(remote, tty=False),
            check=False,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
