"""Reading a YAML file into plain values that remember the line of every mapping key and list item."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# PyYAML's C parser is several times faster; fall back to the pure-Python one where it is absent.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# Keys that flatten_mapping rewrites: `<<` merges another mapping in, `=` is the "value" key.
_FLATTEN = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
# The first characters of the plain scalars that may be something other than text (numbers, dates,
# booleans, null, `<<`, `=`); PyYAML's safe resolver has no catch-all pattern (key None).
_RESOLVED_FIRST = frozenset(key for key in _BaseLoader.yaml_implicit_resolvers if key)
_ANY_FIRST = None in _BaseLoader.yaml_implicit_resolvers
# Plain scalars that start with a letter can only be booleans (yes, off, false...) or null, none
# longer than five characters: a longer one is text.
_LETTER_TAGS = {
    tag
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first and first.isalpha()
    for tag, _ in resolvers
}
_LONG_WORDS_ARE_TEXT = _LETTER_TAGS.issubset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})
# What YAML counts as a line break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
# What PyYAML's scalar constructors raise, besides YAMLError, on a value they cannot read.
_VALUE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class Mapping(dict[Any, Any]):
    """A YAML mapping, with the 1-based line of the mapping and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list[Any]):
    """A YAML sequence, with the 1-based line of the sequence and of each of its items."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def line_of_item(value: object, index: int, default: int) -> int:
    """The line of item `index` of a list read by parse_yaml, else `default`."""
    return value.line_of(index) if isinstance(value, Sequence) else default


def _short(value: str, width: int = 40) -> str:
    flat = " ".join(value.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


class _Located:
    """What makes a safe loader's mappings and sequences know their lines.

    The common nodes (text, mappings, sequences) are built by `build`, a direct walk of the node
    graph that is several times faster than PyYAML's generic construction; every other node (dates,
    numbers, booleans, null, sets...) goes through PyYAML's own safe constructors.
    """

    # Provided by the PyYAML loader this is mixed into.
    get_single_node: Any
    construct_object: Any
    flatten_mapping: Any
    constructed_objects: dict[Node, Any]

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self._resolved: dict[str, str] = {}
        self._built: dict[Node, Any] = {}
        self._building: set[Node] = set()

    # --- tags: the same answers as PyYAML's resolver, remembered per value ----------------------

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR  # quoted
            if value and not _ANY_FIRST:
                first = value[0]
                if first not in _RESOLVED_FIRST or (len(value) > 5 and _LONG_WORDS_ARE_TEXT and first.isalpha()):
                    return _STR  # no implicit tag starts so
            tag = self._resolved.get(value)
            if tag is None:
                tag = self._resolved[value] = super().resolve(kind, value, implicit)  # type: ignore[misc]
            return tag
        collection_tag: str = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return collection_tag

    # The safe loader has no path resolvers: nothing to track on the way down and up.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    # --- building -------------------------------------------------------------------------------

    def build_document(self) -> Any:
        node = self.get_single_node()
        return None if node is None else self.build(node)

    def build(self, node: Any) -> Any:
        kind = node.__class__
        if kind is ScalarNode:
            if node.tag == _STR:
                return node.value
        elif kind is MappingNode:
            if node.tag == _MAP:
                return self.build_mapping(node)
        elif kind is SequenceNode and node.tag == _SEQ:
            return self.build_sequence(node)
        return self.construct_object(node, deep=True)

    def build_sequence(self, node: SequenceNode) -> Sequence:
        built = self._built.get(node)
        if built is not None:
            return built  # type: ignore[no-any-return]
        sequence = Sequence()
        self._built[node] = sequence  # before the items: a list may contain itself, as in PyYAML
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        build = self.build
        sequence.extend(
            [item.value if item.__class__ is ScalarNode and item.tag == _STR else build(item) for item in node.value]
        )
        return sequence

    def build_mapping(self, node: MappingNode) -> Mapping:
        built = self._built.get(node)
        if built is not None:
            return built  # type: ignore[no-any-return]
        if node in self._building:
            raise ConstructorError(None, None, "found unconstructable recursive node", node.start_mark)
        self._building.add(node)
        merged = 0
        for key_node, _ in node.value:
            if key_node.tag in _FLATTEN:
                own = sum(1 for k, _ in node.value if k.tag != _FLATTEN[0])
                self.flatten_mapping(node)
                merged = len(node.value) - own
                break
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        key_lines: dict[Any, int] = {}
        mapping.key_lines = key_lines
        build = self.build
        for index, (key_node, value_node) in enumerate(node.value):
            # Text is by far the most common node: take it here rather than through build().
            if key_node.__class__ is ScalarNode and key_node.tag == _STR:
                key = key_node.value
            else:
                key = build(key_node)
                if not isinstance(key, Hashable):
                    raise ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    )
            line = key_node.start_mark.line + 1
            if key in mapping and index >= merged and key_lines[key] > 0:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {_short(str(key))} (first at line {key_lines[key]})",
                    key_node.start_mark,
                )
            if value_node.__class__ is ScalarNode and value_node.tag == _STR:
                mapping[key] = value_node.value
            else:
                mapping[key] = build(value_node)
            # A key merged in from elsewhere (`<<`) may be overridden here: not a duplicate.
            key_lines[key] = line if index >= merged else -line
        if merged:
            mapping.key_lines = {key: abs(line) for key, line in key_lines.items()}
        self._built[node] = mapping
        self._building.discard(node)
        return mapping

    # --- PyYAML's own construction, for the nodes `build` leaves to it ----------------------------

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Mapping:
        plain = super().construct_mapping(node, deep=deep)  # type: ignore[misc]
        mapping = Mapping(plain)
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _ in node.value:
            key = self.constructed_objects.get(key_node, key_node.value)
            if isinstance(key, Hashable):
                mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


class _LineLoader(_Located, _BaseLoader):  # type: ignore[misc]
    """The loader, on PyYAML's C parser (libyaml) where it is installed."""


class _PythonLineLoader(_Located, yaml.SafeLoader):
    """The loader on PyYAML's pure-Python parser: for text that might nest deeper than the C
    parser can take (its composer recurses in C, and crashes the interpreter at some 20,000
    levels); this one's recursion ends in a RecursionError."""


# Deeper than this, the C parser is not used. The composed documents are far shallower: `build`
# recurses in Python and gives up (RecursionError) at a few hundred levels.
_C_PARSER_MAX_DEPTH = 5_000


def _loader_for(text: str) -> type[_Located]:
    """The C loader unless `text` might nest deeper than _C_PARSER_MAX_DEPTH. A node is at most
    2 levels deeper than the flow collection (`[`, `{`) it is in, and block collections nest by
    indentation, at most 2 levels per column: so the depth is at most twice the number of `[`
    and `{` plus twice the longest line, and never more than the length of the text."""
    if _BaseLoader is yaml.SafeLoader or len(text) <= _C_PARSER_MAX_DEPTH:
        return _LineLoader
    brackets = text.count("[") + text.count("{")
    if 2 * brackets > _C_PARSER_MAX_DEPTH:
        return _PythonLineLoader
    longest = max(map(len, _LINE_BREAK.split(text)))
    return _LineLoader if 2 * brackets + 2 * (longest + 1) + 2 <= _C_PARSER_MAX_DEPTH else _PythonLineLoader


def _construct_located_mapping(loader: _Located, node: Any) -> Mapping:
    if not isinstance(node, MappingNode):
        raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
    loader.flatten_mapping(node)
    return loader.construct_mapping(node)


def _construct_date(loader: Any, node: Node) -> Any:
    """A date or time; one that looks like a date but is not (2025-02-30) stays text for the
    loader to report where it is used."""
    try:
        return loader.construct_yaml_timestamp(node)
    except _VALUE_ERRORS:
        return loader.construct_scalar(node)


def _strict(what: str, construct: Any) -> Any:
    """A scalar constructor that reports a value it cannot read as a YAML error at its line."""

    def constructor(loader: Any, node: Node) -> Any:
        try:
            return construct(loader, node)
        except _VALUE_ERRORS:
            value = node.value if isinstance(node.value, str) else ""
            raise ConstructorError(None, None, f"cannot read {_short(value)} as {what}", node.start_mark) from None

    return constructor


_LOADERS: tuple[Any, ...] = (_LineLoader, _PythonLineLoader)
for _loader in _LOADERS:
    _loader.add_constructor(_MAP, _construct_located_mapping)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)
    for _tag, _what, _construct in (
        ("tag:yaml.org,2002:int", "a whole number", SafeConstructor.construct_yaml_int),
        ("tag:yaml.org,2002:float", "a number", SafeConstructor.construct_yaml_float),
        ("tag:yaml.org,2002:bool", "true/false", SafeConstructor.construct_yaml_bool),
    ):
        _loader.add_constructor(_tag, _strict(_what, _construct))


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
    loader: _Located | None = None
    try:
        loader = _loader_for(text)(text)
        return loader.build_document()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # An error at the end of the file is marked on the line after the last: say the last.
        line = min(mark.line + 1, _last_line(text)) if mark else 1
        reason = error.problem or error.context or "not valid YAML"
        raise YamlError(f"YAML syntax: {_one_line(reason)}", line) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a control character, say): find its line.
        offset = text.find(chr(error.character)) if isinstance(error.character, int) else -1
        line = len(_LINE_BREAK.findall(text, 0, offset)) + 1 if offset >= 0 else 1
        code = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        raise YamlError(f"YAML syntax: unacceptable character {code}: {_one_line(error.reason)}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML syntax: {_one_line(str(error))}", 1) from None
    except RecursionError:
        raise YamlError("YAML nested too deeply", 1) from None
    except _VALUE_ERRORS as error:  # a constructor's failure that no wrapper above turned into YAML's
        raise YamlError(f"YAML: cannot read this file ({_one_line(str(error))[:80]})", 1) from None
    finally:
        if loader is not None:
            loader.dispose()  # type: ignore[attr-defined]
