"""The aoad-tui command line. Textual and the model load only when needed, so that --help and
--version answer at once and the subcommands never import textual."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from aoad_tui import __version__
from aoad_tui.model.inert import ASCII_STAND_INS, InertWriter, inert_json, takes_unicode
from aoad_tui.model.paths import data_dir, display_path, knowledge_cache, seeds_dir
from aoad_tui.model.vocabulary import TAB_IDS
from aoad_tui.startup import pause_collector

if TYPE_CHECKING:
    from aoad_tui.model.entries import KnowledgeBase
    from aoad_tui.model.loader import SeedsError
    from aoad_tui.served import Served


def versions() -> str:
    """aoad-tui's version and those of what it runs on, for a bug report."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    import yaml

    from aoad_tui import wire

    return "\n".join(
        [
            f"aoad-tui {__version__}",
            f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.platform})",
            f"textual {installed('textual')} (wire: {wire.status()})",
            f"rich {installed('rich')}",
            f"PyYAML {installed('PyYAML')} (C loader: {'yes' if yaml.__with_libyaml__ else 'no'})",
            f"platformdirs {installed('platformdirs')}",
        ]
    )


class ShowVersions(argparse.Action):
    """--version: print versions() and exit."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the versions of aoad-tui and what it runs on")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(versions())
        parser.exit()


def common_options(data_dir_help: str) -> argparse.ArgumentParser:
    """--seeds and --data-dir, for the app and every command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--seeds",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="seeds directory (default: $AOAD_TUI_SEEDS, else the bundled seeds)",
    )
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options("where bookmarks are kept (default: $AOAD_TUI_DATA_DIR, else the user data dir)")
    parser = argparse.ArgumentParser(
        prog="aoad-tui",
        # COMMAND is optional: without one, the app starts.
        usage="aoad-tui [-h] [--seeds DIR] [--data-dir DIR] [--version] [--tab TAB] [COMMAND ...]",
        description="Explore everything known about season 2 of All of Us Are Dead. With no COMMAND, the app starts.",
        parents=[common],
    )
    parser.add_argument("--version", action=ShowVersions)
    parser.add_argument("--tab", choices=TAB_IDS, type=str.lower, help="start on this tab")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="aoad-tui")
    check = commands.add_parser("check", parents=[common], help="validate a seeds directory and summarise it")
    check.add_argument("dir", nargs="?", metavar="DIR", help="the seeds directory to check")
    search = commands.add_parser("search", parents=[common], help="search everything; exit 1 when nothing matches")
    search.add_argument("query", nargs="+", metavar="QUERY", help="words to look for (forgiving: case, accents, typos)")
    search.add_argument("--json", action="store_true", help="print a JSON object instead of a table")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    search.add_argument("--scores", action="store_true", help="show each result's score (the ranking's, in the table)")
    bookmarks = commands.add_parser("bookmarks", parents=[common], help="list your bookmarks, or export them")
    bookmarks.add_argument(
        "--json", action="store_true", help="print them as JSON (as `bookmarks export --format json`)"
    )
    actions = bookmarks.add_subparsers(dest="bookmarks_command", metavar="ACTION")
    export = actions.add_parser(
        "export", parents=[common], help="print every bookmark with its text, citation and note"
    )
    export.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    news = commands.add_parser(
        "news", parents=[common], help="what is new or changed since your last visit (the app's What's new)"
    )
    news.add_argument("--json", action="store_true", help="print a JSON object instead of a list")
    news.add_argument(
        "--mark-seen", action="store_true", help="then remember this as a visit, as starting the app does"
    )
    from aoad_tui.serve.cli import add_serve_parser

    serve_default = "a 'serve' folder in $AOAD_TUI_DATA_DIR, else in the user data dir"
    serve_data = f"the host key and every user's data (default: {serve_default})"
    add_serve_parser(commands, common_options(serve_data))
    return parser


def load_or_report(seeds: Path) -> KnowledgeBase | None:
    """Load the knowledge base, or print every problem to stderr and return None."""
    from aoad_tui.model.loader import SeedsError, load_knowledge

    try:
        return load_knowledge(seeds)
    except SeedsError as error:
        report_problems(error, seeds)
        return None


def report_problems(error: SeedsError, seeds: Path) -> None:
    """Every problem of the seeds, one per line on stderr, then how many."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"{display_path(seeds)}: {count} problem{'s' * (count != 1)}", file=sys.stderr)


def summary(knowledge: KnowledgeBase, seeds: Path) -> str:
    """One line: how many articles and entries of each kind."""

    kinds = [
        (1 if knowledge.show else 0, "show", "shows"),
        (len(knowledge.facts), "fact", "facts"),
        (len(knowledge.people), "person", "people"),
        (len(knowledge.quotes), "quote", "quotes"),
        (len(knowledge.rumors), "rumor", "rumors"),
    ]
    parts = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in kinds)
    articles = len(knowledge.articles)
    groups = len(knowledge.thesaurus)
    thesaurus = f"; a thesaurus of {groups} group{'s' * (groups != 1)}" if groups else ""
    return f"{display_path(seeds)}: OK, {articles} article{'s' * (articles != 1)}; {parts}{thesaurus}"


def run_check(args: argparse.Namespace) -> int:
    seeds = Path(args.dir) if args.dir else seeds_dir(getattr(args, "seeds", None))
    knowledge = load_or_report(seeds)
    if knowledge is None:
        return 1
    print(summary(knowledge, seeds))
    return 0 if check_settings() else 1


def check_settings() -> bool:
    """Check settings.toml (when there is one): every problem on stderr, as path:line."""
    from aoad_tui.model.settings import load_settings, settings_path

    path = settings_path()
    if not path.exists():
        return True
    settings = load_settings(path)
    if settings.theme:  # the theme names come from textual, loaded only to check one
        from textual.theme import BUILTIN_THEMES

        settings = load_settings(path, themes=BUILTIN_THEMES)
    problems = settings.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{display_path(path)}: OK")
    return not problems


def run_search(args: argparse.Namespace) -> int:
    from aoad_tui.listing import cut, pad, width, wrap
    from aoad_tui.model.answer import ask, nothing_about
    from aoad_tui.model.search import build_index

    knowledge = load_or_report(seeds_dir(getattr(args, "seeds", None)))
    if knowledge is None:
        return 2
    query = " ".join(args.query)
    index = build_index(knowledge)
    results, found = ask(knowledge, index, query, limit=max(args.limit, 0))
    unmatched = index.unmatched(query, typing=False)
    if not results:
        print(f"aoad-tui: {index.no_matches(query)}", file=sys.stderr)
    elif unmatched:
        print(f"aoad-tui: {nothing_about(unmatched)}", file=sys.stderr)
    if args.json:
        said = {
            "query": query,
            "answer": found.as_json() if found is not None else None,
            "unmatched": unmatched,
            "results": [result.as_json() for result in results],
        }
        print(inert_json(said, ascii_only=ascii_json()))
        return 0 if results else 1
    columns = width()
    if found is not None:
        print("\n".join(wrap(f"Answer: {found.line}", columns, " " * 8)))
        cited = [f"{step.glance} [{step.status}]: “{step.passage}”" for step in found.steps] or [f"“{found.passage}”"]
        for line in [*cited, f"({found.article})"]:
            print(" " * 8 + "\n".join(wrap(line, columns - 8, " " * 10)))
        print()
    statuses = max((len(f"[{result.status}]") for result in results if result.status), default=0)
    for result in results:
        status = f"[{result.status}]" if result.status else ""
        when = f" ({result.document.when})" if result.document.when else ""
        score = f"{result.score:>6} " if args.scores else ""
        lead = f"{score}{result.kind:<7} {pad(status, statuses)} "
        print(lead + cut(f"{result.title}{when}", columns - len(lead)))
        for line in dict.fromkeys((result.byline, result.snippet)):
            if line and line != result.title:
                print(" " * len(lead) + cut(line, columns - len(lead)))
    return 0 if results else 1


def run_bookmarks(args: argparse.Namespace) -> int:
    from aoad_tui.model.bookmarks import open_store
    from aoad_tui.model.export import export_json, export_markdown, listing

    knowledge = load_or_report(seeds_dir(getattr(args, "seeds", None)))
    if knowledge is None:
        return 2
    store = open_store(data_dir(getattr(args, "data_dir", None)))
    for message in store.take_messages():
        print(f"aoad-tui: {message}", file=sys.stderr)
    as_json = getattr(args, "json", False) or getattr(args, "format", "md") == "json"
    if args.bookmarks_command == "export" or as_json:
        print(
            export_json(knowledge, store.bookmarks, ascii_only=ascii_json())
            if as_json
            else export_markdown(knowledge, store.bookmarks)
        )
    else:
        print(listing(knowledge, store.bookmarks))
    return 0


def run_news(args: argparse.Namespace) -> int:
    from datetime import date

    from aoad_tui.model.visits import VisitStore, remember, start_visit

    knowledge = load_or_report(seeds_dir(getattr(args, "seeds", None)))
    if knowledge is None:
        return 2
    store = VisitStore(data_dir(getattr(args, "data_dir", None)))
    news, to_remember = start_visit(store, knowledge, date.today())
    if args.mark_seen and to_remember:
        remember(store, knowledge, date.today())
    for message in store.take_messages():
        print(f"aoad-tui: {message}", file=sys.stderr)
    if args.json:
        print(inert_json(news.as_json(), ascii_only=ascii_json()))
        return 0
    if news.since is None:
        print("No earlier visit: from the next one, what is new or changed since will be listed.")
    elif not (news.changes or news.removed):
        print(f"Nothing new since your last visit on {news.since.isoformat()}.")
    else:
        print(news.line)
    for change in news.changes:
        entry = change.entry
        print(f"{change.what:<8} {entry.kind:<7} [{entry.status_word}] {' '.join(entry.title.split())}")
        for detail in change.details:
            if detail != "new":
                print(f"{'':17}{detail}")
    for gone in news.removed:
        print(f"{'removed':<8} {gone.kind:<7} {gone.id}  (no longer in the sources)")
    return 0


# Seeds of up to this many bytes are read before the first frame (the bundled ones, 24 KB, in a few
# milliseconds); bigger ones in a thread, behind a screen saying so (screens/reading.py).
READ_BEFORE_START = 1_000_000


@dataclass(frozen=True)
class Loaded:
    """What the app starts with: the knowledge base, or (None) seeds too big to read before the
    first frame, which the app reads behind its ReadingScreen; and what to do with the knowledge
    once the first frame is out (write the cache, if it was not used)."""

    knowledge: KnowledgeBase | None
    seeds: Path
    keep: Callable[[KnowledgeBase], None] | None = None  # (None: it came from the cache)


def load_for_app(seeds_option: str | None = None, *, big_in_app: bool = False) -> Loaded | None:
    """The knowledge base for the app (from the cache while it is fresh); None, with the problems
    printed, if the seeds are invalid. With `big_in_app`, big seeds without a cache are left for the
    app to read, so that it is on the screen at once."""
    pause_collector()  # until the first frame (startup.py)
    from aoad_tui.model.cache import load_cached, save_cached, signature

    seeds, cache = seeds_dir(seeds_option), knowledge_cache()
    made_from = signature(seeds)
    cached = load_cached(cache, made_from)
    if cached is not None:
        return Loaded(cached, seeds)

    # In a thread once the first frame is out, never on the way to it (a 10,000-entry pack takes
    # 0.12 s); quitting waits for it only if the session was shorter than that.
    def keep(knowledge: KnowledgeBase) -> None:
        save_cached(cache, made_from, knowledge)

    if big_in_app:
        from aoad_tui.model.loader import seeds_size

        if seeds_size(seeds) > READ_BEFORE_START:
            return Loaded(None, seeds, keep)
    knowledge = load_or_report(seeds)
    return Loaded(knowledge, seeds, keep) if knowledge is not None else None


WAITING = "aoad-tui: saving what the next start needs..."


def run_app(loaded: Loaded, data: Path, *, tab: str | None = None, served: Served | None = None) -> int:
    """The app on this terminal, with the bookmarks and settings of `data` (and the config dir).
    The one way the command line and a served session start it. Seeds the app found invalid (read
    behind its ReadingScreen) have their problems printed once the terminal is back, as before a start."""
    from aoad_tui.app import AoadApp, read_settings
    from aoad_tui.model.bookmarks import open_store
    from aoad_tui.model.settings import settings_path

    # Textual asks shutil.get_terminal_size, which prefers COLUMNS and LINES to what the terminal
    # says: a shell's stale export would lay the app out for a size the terminal does not have.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    # Textual draws to stderr, whose encoding follows the locale: where that is not UTF-8, each
    # character it lacks is drawn as an ASCII stand-in of the same width (Python would write
    # `\u2b58`, six cells for one, and break every line it is in).
    terminal = sys.__stderr__
    if isinstance(terminal, io.TextIOWrapper) and not takes_unicode(terminal.encoding):
        terminal.reconfigure(errors=ASCII_STAND_INS)
    path = settings_path()
    app = AoadApp(
        loaded.knowledge, seeds=loaded.seeds, store=open_store(data), tab=tab, settings=read_settings(path),
        settings_file=path, keep=loaded.keep, served=served,
    )  # fmt: skip
    app.run()
    app.finish_background(waiting=lambda: print(WAITING, file=sys.__stderr__, flush=True))
    if app.unreadable is not None:
        with inert_output():
            report_problems(app.unreadable, loaded.seeds)
    return app.return_code or 0


def leave_now(code: int) -> NoReturn:
    """End the process as soon as the app has quit. Everything that must reach the disk has
    (bookmarks at each change, seen.json after the first frame): the interpreter would otherwise
    spend seconds freeing a big knowledge base and its index object by object (4-8 s at 100,000
    entries)."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    os._exit(code)


def ascii_json() -> bool:
    """Whether JSON printed here must be ASCII (\\u escapes): the terminal's encoding lacks characters."""
    return not takes_unicode(getattr(sys.__stdout__, "encoding", None))


@contextmanager
def inert_output() -> Iterator[None]:
    """Everything printed meanwhile arrives inert (model/inert.py), and a character the locale's
    encoding lacks (LC_ALL=C, PYTHONIOENCODING=ascii) is written as `?` rather than crash."""
    streams = sys.stdout, sys.stderr
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    sys.stdout, sys.stderr = InertWriter(streams[0]), InertWriter(streams[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def main(argv: Sequence[str] | None = None) -> int:
    try:
        with inert_output():
            args = build_parser().parse_args(argv)
            if args.command == "check":
                return run_check(args)
            if args.command == "search":
                return run_search(args)
            if args.command == "bookmarks":
                return run_bookmarks(args)
            if args.command == "news":
                return run_news(args)
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
        # The reader went away (`aoad-tui search x | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    leave_now(code)


if __name__ == "__main__":
    sys.exit(main())
