"""YAML that remembers line numbers (so every package error can say file and line) and refuses
aliases (no "billion laughs")."""

from __future__ import annotations

import yaml
from flask_babel import gettext as _
from yaml.composer import ComposerError
from yaml.events import AliasEvent


class LDict(dict):
    """A mapping with ``line`` (where it starts) and ``key_lines`` (line of each key)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


class LList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


class LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None, _("aliases (*name) are not allowed"), event.start_mark)
        return super().compose_node(parent, index)


def _mapping(loader: LineLoader, node):
    loader.flatten_mapping(node)
    out = LDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, _("a key must be a plain value"), key_node.start_mark
            ) from None
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: LineLoader, node):
    out = LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str, *, line_offset: int = 0):
    """Parse YAML; raises ``ValueError((line, message))`` on bad YAML."""
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark is not None else line_offset or 1
        problem = exc.problem or exc.context or _("invalid YAML")
        raise ValueError((line, _("bad YAML: %(problem)s", problem=problem))) from None
    except yaml.YAMLError as exc:
        raise ValueError((line_offset or 1, _("bad YAML: %(problem)s", problem=str(exc)))) from None


def dump(value) -> str:
    """YAML for humans and git: block style, Unicode kept, key order kept."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
