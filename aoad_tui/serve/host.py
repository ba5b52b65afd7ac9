"""What a session asks of the server it runs in (server.Service), whatever carries it to its
client: a protocol, so that sessions need not import the server that makes them."""

from __future__ import annotations

from typing import Protocol

from aoad_tui.serve.lifetime import Lifetime
from aoad_tui.serve.limits import Gate
from aoad_tui.serve.options import ServeOptions
from aoad_tui.serve.spawn import ExecSpawner, ForkSpawner
from aoad_tui.serve.start_queue import StartQueue


class Host(Protocol):
    options: ServeOptions
    gate: Gate  # the limits: a session is counted in (open_session) and out (close_session)
    queue: StartQueue  # a session waits its turn to start
    spawner: ForkSpawner | ExecSpawner  # and its process is started
    sessions: set[Lifetime]  # the running sessions: a session adds itself once started, leaves when over
    draining: bool  # the server is restarting: no new session

    def out_of_memory(self) -> bool:
        """The sessions together use all the memory they may: no new session."""
        ...
