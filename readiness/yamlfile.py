"""Reading YAML with line numbers, for validation messages that point at the offending line.

:func:`load_marked` parses with PyYAML's safe loader and also records, for every mapping key and
sequence entry, the line it starts on (from the composed node's marks), keyed by its path in the data.
:class:`Problems` collects ``line: message`` errors against those paths. Pure Python: no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

Path = tuple  # a path into the data: keys and list indexes


@dataclass(frozen=True)
class Problem:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}"


class YAMLFileError(ValueError):
    """A YAML file failed validation; ``problems`` lists every error with its line."""

    def __init__(self, problems: list[Problem], filename: str = ""):
        self.problems = list(problems)
        self.filename = filename
        head = f"{filename}: " if filename else ""
        super().__init__(
            head
            + "; ".join(str(p) for p in self.problems[:5])
            + (f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else "")
        )


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Marks:
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


@dataclass
class Problems:
    marks: Marks
    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path, message: str) -> None:
        self.items.append(Problem(self.marks.line(path), _dotted(tuple(path)), message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, filename: str = "") -> None:
        if self.items:
            raise YAMLFileError(sorted(self.items, key=lambda p: (p.line or 0, p.path)), filename)


def load_marked(text: str, filename: str = "") -> tuple[object, Marks]:
    """Parse ``text`` (one YAML document) into Python data plus the line of every key and entry.

    Syntax errors and duplicate keys raise :class:`YAMLFileError` with the line."""
    if not isinstance(text, str):
        raise YAMLFileError([Problem(None, "", "the file is not text")], filename)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YAMLFileError([Problem(1, "", "the file is empty")], filename)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YAMLFileError(
            [Problem(line, "", f"YAML syntax error: {exc.problem or exc}")], filename
        ) from None
    except yaml.YAMLError as exc:
        raise YAMLFileError([Problem(None, "", f"YAML error: {exc}")], filename) from None
    finally:
        loader.dispose()
    marks = Marks({(): node.start_mark.line + 1})
    dupes: list[Problem] = []
    _walk(node, (), marks, dupes)
    if dupes:
        raise YAMLFileError(dupes, filename)
    return data, marks


def _walk(node, path: Path, marks: Marks, dupes: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            sub = (*path, key)
            if key in seen:
                dupes.append(Problem(key_node.start_mark.line + 1, _dotted(sub), "duplicate key"))
            seen.add(key)
            marks.lines[sub] = key_node.start_mark.line + 1
            _walk(value_node, sub, marks, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            sub = (*path, index)
            marks.lines[sub] = child.start_mark.line + 1
            _walk(child, sub, marks, dupes)
