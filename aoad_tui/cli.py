"""The aoad-tui command line: its parser and its subcommands (check, search, bookmarks, news; serve
in serve/cli.py). Textual and the model load only when needed, so that --help and --version answer
at once and the subcommands never import textual; the app starts through launch.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aoad_tui import __version__
from aoad_tui.console import ascii_json, inert_output, output_gone
from aoad_tui.launch import load_or_report
from aoad_tui.model.inert import inert_json
from aoad_tui.model.paths import data_dir, display_path, seeds_dir
from aoad_tui.model.vocabulary import TAB_IDS

if TYPE_CHECKING:
    from aoad_tui.model.entries import KnowledgeBase


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
    from aoad_tui.serve.options import add_serve_parser

    serve_default = "a 'serve' folder in $AOAD_TUI_DATA_DIR, else in the user data dir"
    serve_data = f"the host key and every user's data (default: {serve_default})"
    add_serve_parser(commands, common_options(serve_data))
    return parser


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
    from aoad_tui.model.settings import settings_path

    path = settings_path()
    if not path.exists():
        return True
    # The themes and the keys' ids are the interface's: loaded only to check a file that exists.
    from aoad_tui.app import AoadApp
    from aoad_tui.preferences import read_settings

    problems = read_settings(path, AoadApp).problems
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


SUBCOMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": run_check,
    "search": run_search,
    "bookmarks": run_bookmarks,
    "news": run_news,
}


def run(argv: Sequence[str]) -> int:
    """One subcommand's command line (check, search, bookmarks, news), as a served session runs
    the one a client asks for (the app and `serve` start from __main__.py)."""
    try:
        with inert_output():
            args = build_parser().parse_args(argv)
            runner = SUBCOMMANDS.get(args.command or "")
            if runner is None:
                print("aoad-tui: only check, search, bookmarks and news run here", file=sys.stderr)
                return 2
            return runner(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return output_gone()
