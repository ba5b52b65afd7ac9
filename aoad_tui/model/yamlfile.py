"""Reading a YAML file into plain values that remember the line of every mapping key."""

from __future__ import annotations

from typing import Any

import yaml

# PyYAML's C parser is several times faster; fall back to the pure-Python one where it is absent.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Mapping(dict[Any, Any]):
    """A YAML mapping, with the 1-based line of the mapping and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_BaseLoader):  # type: ignore[misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:
        plain = super().construct_mapping(node, deep=deep)
        mapping = Mapping(plain)
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                mapping.key_lines[key_node.value] = key_node.start_mark.line + 1
        return mapping


def _construct_located_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    return loader.construct_mapping(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_located_mapping)


class YamlError(Exception):
    """A file that is not valid YAML: a message and the 1-based line where it went wrong."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raise YamlError with a line for anything that is not valid YAML."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "not valid YAML"
        raise YamlError(f"YAML syntax: {reason}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML syntax: {error}", 1) from None
    except RecursionError:
        raise YamlError("YAML nested too deeply", 1) from None
