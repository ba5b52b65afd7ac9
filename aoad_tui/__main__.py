"""aoad-tui's entry point (the installed `aoad-tui`, and `python -m aoad_tui`): a subcommand
(cli.py), the SSH server (serve/cli.py), or the app (launch.py). Nothing in the package imports it."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from aoad_tui.cli import SUBCOMMANDS, build_parser
from aoad_tui.console import inert_output, output_gone
from aoad_tui.launch import leave_now, load_for_app, run_app
from aoad_tui.model.paths import data_dir


def main(argv: Sequence[str] | None = None) -> int:
    try:
        with inert_output():
            args = build_parser().parse_args(argv)
            if args.command in SUBCOMMANDS:
                return SUBCOMMANDS[args.command](args)
        if args.command == "serve":  # its own output: log lines, never inert-wrapped
            from aoad_tui.serve.cli import run_serve

            return run_serve(args)
        with inert_output():
            loaded = load_for_app(getattr(args, "seeds", None), big_in_app=True)
            if loaded is None:
                return 2
        code = run_app(loaded, data_dir(getattr(args, "data_dir", None)), tab=args.tab)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return output_gone()
    leave_now(code)


if __name__ == "__main__":
    sys.exit(main())
