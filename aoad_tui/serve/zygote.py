"""The zygote: a process with the app imported and the knowledge base loaded that forks one child
per session, as Android's zygote and gunicorn's preload do. A session then starts in the time its
first screen takes to build, not the ~0.3 s of imports, and its pages stay shared with the zygote
until written (about 20 MiB of private memory per session instead of 37).

Forking is safe here because the zygote never starts a thread or an event loop: it is a plain
loop over one socket to the server. It is started by the server (spawn.py) as a fresh interpreter
with a clean environment, and ends when the server's end of the socket closes.

The protocol, one datagram per message (SOCK_SEQPACKET), JSON:
- server -> zygote: {"id": N, "request": SessionRequest} with three descriptors (the session's
  stdin, stdout and stderr: its pty, or pipes);
- zygote -> server: {"ready": true} once loaded; {"id": N, "pid": PID} per fork;
  {"exited": PID, "code": CODE} when a child ends (a negative code is the signal that ended it).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import socket
import sys
import time
from typing import TYPE_CHECKING

from aoad_tui.serve.session import SessionRequest, run_guarded
from aoad_tui.serve.spawn import MESSAGE_BYTES

if TYPE_CHECKING:
    from aoad_tui.model.entries import KnowledgeBase


def preload() -> KnowledgeBase | None:
    """Everything a session would otherwise import and read, done once."""
    gc.disable()  # each child turns it back on after its first frame (startup.resume_collector)
    import hashlib  # noqa: F401  (seen.json's digest; imported under a session's memory limit, it logs errors)

    import aoad_tui.app
    import aoad_tui.model.search  # the local app imports it after its first frame
    import aoad_tui.screens.detail
    import aoad_tui.screens.help
    import aoad_tui.screens.whats_new
    import aoad_tui.widgets.source_view  # noqa: F401
    from aoad_tui.launch import load_for_app

    loaded = load_for_app()  # from the cache the server has just written
    knowledge = loaded.knowledge if loaded is not None else None
    if knowledge is not None:
        knowledge.read_rest()  # the part of the cache a start reads later: share it too
    gc.freeze()
    return knowledge


CHILDREN: set[int] = set()  # the sessions it forked that have not ended


def reap(server: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        CHILDREN.discard(pid)
        with contextlib.suppress(OSError):
            server.send(json.dumps({"exited": pid, "code": os.waitstatus_to_exitcode(status)}).encode())


def fork_session(server: socket.socket, wakeup: tuple[int, int], knowledge: KnowledgeBase | None) -> bool:
    """Read one request and fork its child; False when the server has gone."""
    message, fds, _flags, _address = socket.recv_fds(server, MESSAGE_BYTES, 3)
    if not message:
        return False
    try:
        order = json.loads(message)
        request = SessionRequest(**order["request"])
        if len(fds) != 3:
            raise ValueError(f"{len(fds)} descriptors")
    except (ValueError, KeyError, TypeError) as error:  # never the zygote's end: every session needs it
        for fd in fds:
            os.close(fd)
        print(f"aoad-tui zygote: a request it cannot use ({error!r}); ignored", file=sys.stderr, flush=True)
        return True
    pid = os.fork()
    if pid == 0:
        server.close()
        signal.set_wakeup_fd(-1)
        for fd in wakeup:
            os.close(fd)
        run_guarded(request, (fds[0], fds[1], fds[2]), knowledge)  # stdio replaces the server's log
    CHILDREN.add(pid)
    for fd in fds:
        os.close(fd)
    server.send(json.dumps({"id": order["id"], "pid": pid}).encode())
    return True


def end_children(server: socket.socket, grace: float = 5.0) -> None:
    """The server has gone: its sessions' ptys hung up, which ends them; any still running after
    `grace` seconds is killed, so that nothing outlives the server."""
    for number, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 1.0)):
        for pid in list(CHILDREN):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)
        deadline = time.monotonic() + wait
        while CHILDREN and time.monotonic() < deadline:
            reap(server)
            time.sleep(0.05)


def main() -> None:
    server = socket.socket(fileno=int(sys.argv[1]))
    knowledge = preload()
    wakeup = os.pipe()
    os.set_blocking(wakeup[1], False)
    signal.set_wakeup_fd(wakeup[1])
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c at the operator's terminal is for the server
    server.send(b'{"ready": true}')
    running = True
    while running:
        ready, _, _ = select.select([server.fileno(), wakeup[0]], [], [])
        if wakeup[0] in ready:
            os.read(wakeup[0], 512)
            reap(server)
        if server.fileno() in ready:
            running = fork_session(server, wakeup, knowledge)
    end_children(server)


if __name__ == "__main__":
    main()
