"""Reading a YAML file into plain values that remember the line of every mapping key and list item."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

# Deeper than this a document is refused as nested too deeply. Seeds nest about six levels; the
# constructors recurse in Python and would give up at a few hundred.
MAX_DEPTH = 100
# What YAML counts as a line break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
# What PyYAML's scalar constructors raise, besides YAMLError, on a value they cannot read.
_VALUE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
_MERGE = "tag:yaml.org,2002:merge"
# Keys that flatten_mapping rewrites: `<<` merges another mapping in, `=` is the "value" key.
_FLATTENED = (_MERGE, "tag:yaml.org,2002:value")
_STR = "tag:yaml.org,2002:str"

if TYPE_CHECKING:
    from yaml.cyaml import CSafeLoader

    Loader: TypeAlias = yaml.SafeLoader | CSafeLoader
Constructor: TypeAlias = Callable[["Loader", Node], object]


class YamlMapping(dict[Any, Any]):
    """A YAML mapping, with the 1-based line of the mapping and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A YAML sequence, with the 1-based line of the sequence and of each of its items."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def line_of_item(value: object, index: int, default: int) -> int:
    """The line of item `index` of a list read by parse_yaml, else `default`."""
    return value.line_of(index) if isinstance(value, YamlList) else default


def _short(value: str, width: int = 40) -> str:
    flat = " ".join(value.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def _unexpected(node: Node, expected: str) -> ConstructorError:
    found = {ScalarNode: "a scalar", SequenceNode: "a sequence", MappingNode: "a mapping"}.get(type(node), "a node")
    return ConstructorError(None, None, f"expected a {expected} node, but found {found}", node.start_mark)


# --- constructors: PyYAML's safe ones, except that collections remember their lines ---------------


def _construct(loader: Loader, node: Node) -> Any:
    """A node's value; text, by far the most common, at once rather than through PyYAML's
    generic construction (a third of the time to read the seeds otherwise)."""
    if node.__class__ is ScalarNode and node.tag == _STR:
        return node.value
    return loader.construct_object(node)


def _construct_list(loader: Loader, node: Node) -> Iterator[YamlList]:
    if not isinstance(node, SequenceNode):
        raise _unexpected(node, "sequence")
    items = YamlList()
    items.line = node.start_mark.line + 1
    items.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield items  # before the items, as PyYAML does: a list may contain itself
    items.extend(_construct(loader, item) for item in node.value)


def _construct_mapping(loader: Loader, node: Node) -> YamlMapping:
    """A mapping, built whole (a mapping that contains itself is refused, as PyYAML's own does);
    a key written twice is an error, except one merged in with `<<` and overridden."""
    if not isinstance(node, MappingNode):
        raise _unexpected(node, "mapping")
    merged = 0
    if any(key_node.tag in _FLATTENED for key_node, _ in node.value):
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
        loader.flatten_mapping(node)  # merged pairs come first
        merged = len(node.value) - own
    mapping = YamlMapping()
    mapping.line = node.start_mark.line + 1
    key_lines: dict[Any, int] = {}
    mapping.key_lines = key_lines
    for index, (key_node, value_node) in enumerate(node.value):
        key = _construct(loader, key_node)
        if key.__class__ is not str and not isinstance(key, Hashable):
            raise ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            )
        line = key_node.start_mark.line + 1
        if key in key_lines and index >= merged and key_lines[key] > 0:
            raise ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"duplicate key {_short(str(key))} (first at line {key_lines[key]})",
                key_node.start_mark,
            )
        mapping[key] = _construct(loader, value_node)
        # Negative while merged in: a key written here may override it.
        key_lines[key] = line if index >= merged else -line
    if merged:
        mapping.key_lines = {key: abs(line) for key, line in key_lines.items()}
    return mapping


def _construct_date(loader: Loader, node: Node) -> Any:
    """A date or time; one that looks like a date but is not (2025-02-30) stays text for the
    loader to report where it is used."""
    if not isinstance(node, ScalarNode):
        raise _unexpected(node, "scalar")
    try:
        return loader.construct_yaml_timestamp(node)
    except _VALUE_ERRORS:
        return loader.construct_scalar(node)


def _strict(what: str, construct: Callable[[Loader, ScalarNode], object]) -> Constructor:
    """A scalar constructor that reports a value it cannot read as a YAML error at its line."""

    def constructor(loader: Loader, node: Node) -> object:
        if not isinstance(node, ScalarNode):
            raise _unexpected(node, "scalar")
        try:
            return construct(loader, node)
        except _VALUE_ERRORS:
            raise ConstructorError(None, None, f"cannot read {_short(node.value)} as {what}", node.start_mark) from None

    return constructor


_CONSTRUCTORS: dict[str, Constructor] = {
    "tag:yaml.org,2002:seq": _construct_list,
    "tag:yaml.org,2002:map": _construct_mapping,
    "tag:yaml.org,2002:timestamp": _construct_date,
    "tag:yaml.org,2002:int": _strict("a whole number", SafeConstructor.construct_yaml_int),
    "tag:yaml.org,2002:float": _strict("a number", SafeConstructor.construct_yaml_float),
    "tag:yaml.org,2002:bool": _strict("true/false", SafeConstructor.construct_yaml_bool),
}


# The first characters of the plain scalars that may be something other than text (numbers, dates,
# booleans, null, `<<`, `=`): PyYAML's safe resolver has no catch-all pattern.
_RESOLVED_FIRST = frozenset(first for first in Resolver.yaml_implicit_resolvers if first)


class _QuickResolver(Resolver):
    """PyYAML's resolver, which answers at once for plain text that no implicit tag starts with
    (most of the seeds: a third of the time to read them otherwise goes to trying each pattern)."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0] and value and value[0] not in _RESOLVED_FIRST:
            return _STR
        resolve: Callable[[type[Node], Any, tuple[bool, bool]], str] = super().resolve  # (untyped in the stubs)
        return resolve(kind, value, implicit)


class _PythonLoader(_QuickResolver, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, with the constructors above. Used where libyaml is
    missing, and for text that might nest deeper than libyaml's C composer can take (before
    PyYAML 6.0.4 it recursed without a limit and crashed the interpreter at some 20,000 levels)."""


_LOADERS: list[type[Loader]] = [_PythonLoader]
try:
    from yaml.cyaml import CSafeLoader
except ImportError:  # PyYAML built without libyaml
    _fast_loader: type[Loader] = _PythonLoader
else:

    class _CLoader(_QuickResolver, CSafeLoader):
        """The same loader on libyaml's parser, several times faster."""

    _fast_loader = _CLoader
    _LOADERS.append(_CLoader)

for _loader in _LOADERS:
    for _tag, _constructor in _CONSTRUCTORS.items():
        _loader.add_constructor(_tag, _constructor)

# Deeper than this, text is not given to the C parser.
_C_PARSER_MAX_DEPTH = 5_000


def _loader_for(depth_bound: int) -> type[Loader]:
    """The C loader unless the text might nest deeper than _C_PARSER_MAX_DEPTH (see _depth_bound)."""
    return _fast_loader if depth_bound <= _C_PARSER_MAX_DEPTH else _PythonLoader


def _too_deep_at(text: str) -> int | None:
    """The 1-based line where `text` first nests deeper than MAX_DEPTH, or None. Only PyYAML's
    Python parser runs (it keeps a stack, not a recursion, and reads no further ahead than it
    must; libyaml's scanner would refuse a deep flow before yielding anything)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1 if event.start_mark else 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the text went wrong before it went that deep
    return None


class YamlError(Exception):
    """A file that is not valid YAML: a message and the 1-based line where it went wrong."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _last_line(text: str) -> int:
    """The number of the last line of `text`."""
    breaks = len(_LINE_BREAK.findall(text))
    return max(1, breaks if text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")) else breaks + 1)


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raise YamlError with a line for anything that is not valid YAML."""
    loader: Loader | None = None
    try:
        bound = _depth_bound(text)
        loader = _loader_for(bound)(text)  # the pure-Python reader checks every character here
        node = loader.get_single_node()
        if node is None:
            return None
        # Whichever parser composed it (libyaml before 6.0.4 has no limit, and lists are built
        # without recursion), a document deeper than MAX_DEPTH is refused the same way.
        deep = _deeper_than_max(node) if bound > MAX_DEPTH else None
        if deep is not None:
            raise YamlError("YAML nested too deeply", deep)
        return loader.construct_document(node)
    except RecursionError:
        raise YamlError("YAML nested too deeply", _too_deep_at(text) or 1) from None
    except (yaml.scanner.ScannerError, yaml.parser.ParserError) as error:
        # libyaml refuses deep nesting itself (since PyYAML 6.0.4), in its own words: look at the
        # text up to where it stopped, so that too deep is said the same way whoever stopped.
        mark = error.problem_mark or error.context_mark
        deep = _too_deep_at(text[: mark.index + 1] if mark else text)
        if deep is not None:
            raise YamlError("YAML nested too deeply", deep) from None
        raise _yaml_error(error, text) from None
    except yaml.YAMLError as error:
        raise _yaml_error(error, text) from None
    except _VALUE_ERRORS as error:  # a constructor's failure that no wrapper above turned into YAML's
        raise YamlError(f"YAML: cannot read this file ({_one_line(str(error))[:80]})", 1) from None
    finally:
        if loader is not None:
            loader.dispose()


# The indicators a line may start with before its first node: indentation, `- ` and `? `.
_LINE_PREFIX = re.compile(r"^[ ?-]*", re.MULTILINE)


def _depth_bound(text: str) -> int:
    """How deep `text` may nest at most: a node is at most 2 levels deeper than the flow collection
    (`[`, `{`) it is in, and block collections nest by indentation, at most 2 levels per column of
    the indicators before a line's first node."""
    if len(text) <= MAX_DEPTH:
        return len(text)  # never deeper than it is long
    prefix = max(map(len, _LINE_PREFIX.findall(text)), default=0)
    return min(len(text), 2 * (text.count("[") + text.count("{")) + 2 * (prefix + 1) + 2)


def _deeper_than_max(root: Node) -> int | None:
    """The 1-based line of the first collection nested deeper than MAX_DEPTH in a composed
    document, or None. A walk with a stack of its own (an alias may make the graph a cycle)."""
    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or not isinstance(node, (MappingNode, SequenceNode)):
            continue
        if depth > MAX_DEPTH:
            return node.start_mark.line + 1
        seen.add(id(node))
        children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
        stack.extend((child, depth + 1) for child in children)
    return None


def _yaml_error(error: yaml.YAMLError, text: str) -> YamlError:
    """PyYAML's error as one line of ours, at its line."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        # An error at the end of the file is marked on the line after the last: say the last.
        line = min(mark.line + 1, _last_line(text)) if mark else 1
        reason = error.problem or error.context or "not valid YAML"
        return YamlError(f"YAML syntax: {_one_line(reason)}", line)
    if isinstance(error, yaml.reader.ReaderError):
        # A character YAML does not allow (a control character, say): find its line.
        offset = text.find(chr(error.character)) if isinstance(error.character, int) else -1
        line = len(_LINE_BREAK.findall(text, 0, offset)) + 1 if offset >= 0 else 1
        code = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        return YamlError(f"YAML syntax: unacceptable character {code}: {_one_line(error.reason)}", line)
    return YamlError(f"YAML syntax: {_one_line(str(error))}", 1)
