"""A tiny, safe expression language for skip logic and recommendation rules (no ``eval``).

Grammar::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := value (OP value)?          OP: == != < <= > >= in, "not in"
    value   := NUMBER | STRING | true | false | none | "[" values "]" | NAME "(" values ")" | "(" expr ")"

Functions (see :data:`FUNCTIONS`): ``answer("2.3")`` (the answer: 0-4 for a rubric, "yes"/"partly"/"no",
the band id of a number item, the list of ticked options of a checklist, "na", "dk", or none when
unanswered or skipped), ``answered("2.3")``, ``checked("1.4", "option")``, ``item_score("2.3")`` (0-1),
``level("reporting")`` (1-5 or none) and ``score("reporting")`` (0-1 or none).

Comparisons involving ``none`` (other than ``==``/``!=``) are false. Evaluation returns the value and
the *facts* that made it true (the comparisons that held), which recommendations turn into reasons
("because item 2.3 was answered 'no'"). Pure Python: no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol


class ExprError(ValueError):
    """A syntax or reference error, with the character position."""

    def __init__(self, message: str, pos: int | None = None):
        self.pos = pos
        super().__init__(message if pos is None else f"{message} (at character {pos + 1})")


FUNCTIONS = {
    # name: (argument kinds, what the first argument refers to)
    "answer": ("item",),
    "answered": ("item",),
    "item_score": ("item",),
    "checked": ("item", "option"),
    "level": ("dimension",),
    "score": ("dimension",),
}
COMPARATORS = ("==", "!=", "<=", ">=", "<", ">", "in", "not in")
KEYWORDS = {"and", "or", "not", "in", "true", "false", "none"}
MAX_LENGTH = 2000

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d+)?)
      | (?P<str>"[^"\\]*"|'[^'\\]*')
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # num | str | op | name | end
    value: object
    pos: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            start = len(text) - len(text[pos:].lstrip())
            raise ExprError(f"unexpected character {text[start]!r}", start)
        start = m.start(m.lastgroup)
        raw = m.group(m.lastgroup)
        if m.lastgroup == "num":
            tokens.append(Token("num", float(raw) if "." in raw else int(raw), start))
        elif m.lastgroup == "str":
            tokens.append(Token("str", raw[1:-1], start))
        else:
            tokens.append(Token(m.lastgroup, raw, start))
        pos = m.end()
    tokens.append(Token("end", None, len(text)))
    return tokens


# --- the syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: object


@dataclass(frozen=True)
class ListLit:
    items: tuple


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple  # of str constants


@dataclass(frozen=True)
class Compare:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class BoolOp:
    op: str  # and | or
    parts: tuple


@dataclass(frozen=True)
class Not:
    inner: object


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, value=None) -> Token:
        tok = self.take()
        if tok.kind != kind or (value is not None and tok.value != value):
            want = value or kind
            got = "the end" if tok.kind == "end" else repr(tok.value)
            raise ExprError(f"expected {want!r}, found {got}", tok.pos)
        return tok

    def is_name(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == "name" and tok.value == word

    def parse(self):
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"unexpected {tok.value!r}", tok.pos)
        return node

    def parse_or(self):
        parts = [self.parse_and()]
        while self.is_name("or"):
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def parse_and(self):
        parts = [self.parse_not()]
        while self.is_name("and"):
            self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def parse_not(self):
        if self.is_name("not"):
            self.take()
            return Not(self.parse_not())
        return self.parse_compare()

    def parse_compare(self):
        left = self.parse_value()
        tok = self.peek()
        op = None
        if tok.kind == "op" and tok.value in ("==", "!=", "<=", ">=", "<", ">"):
            op = self.take().value
        elif self.is_name("in"):
            self.take()
            op = "in"
        elif (
            self.is_name("not")
            and self.tokens[self.i + 1].kind == "name"
            and self.tokens[self.i + 1].value == "in"
        ):
            self.i += 2
            op = "not in"
        if op is None:
            return left
        right = self.parse_value()
        return Compare(op, left, right)

    def parse_value(self):
        tok = self.take()
        if tok.kind in ("num", "str"):
            return Const(tok.value)
        if tok.kind == "op" and tok.value == "(":
            node = self.parse_or()
            self.expect("op", ")")
            return node
        if tok.kind == "op" and tok.value == "[":
            items = []
            if not (self.peek().kind == "op" and self.peek().value == "]"):
                while True:
                    item = self.parse_value()
                    if not isinstance(item, Const):
                        raise ExprError("lists may only hold numbers and strings", tok.pos)
                    items.append(item.value)
                    if self.peek().kind == "op" and self.peek().value == ",":
                        self.take()
                        continue
                    break
            self.expect("op", "]")
            return ListLit(tuple(items))
        if tok.kind == "name":
            if tok.value in ("true", "false"):
                return Const(tok.value == "true")
            if tok.value == "none":
                return Const(None)
            if tok.value in KEYWORDS:
                raise ExprError(f"unexpected {tok.value!r}", tok.pos)
            if tok.value not in FUNCTIONS:
                raise ExprError(
                    f"unknown function {tok.value!r} (known: {', '.join(sorted(FUNCTIONS))})", tok.pos
                )
            self.expect("op", "(")
            args = []
            while True:
                arg = self.take()
                if arg.kind != "str":
                    raise ExprError(f"{tok.value}() takes quoted names as arguments", arg.pos)
                args.append(arg.value)
                if self.peek().kind == "op" and self.peek().value == ",":
                    self.take()
                    continue
                break
            self.expect("op", ")")
            want = len(FUNCTIONS[tok.value])
            if len(args) != want:
                raise ExprError(f"{tok.value}() takes {want} argument(s), got {len(args)}", tok.pos)
            return Call(tok.value, tuple(args))
        got = "the end" if tok.kind == "end" else repr(tok.value)
        raise ExprError(f"expected a value, found {got}", tok.pos)


def parse(text: str):
    """Parse an expression into a tree of :class:`Const`, :class:`ListLit`, :class:`Call`,
    :class:`Compare`, :class:`BoolOp` and :class:`Not` (immutable, so parses are cached). Raises
    :class:`ExprError`."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("empty expression")
    return _parse_cached(text)


@lru_cache(maxsize=512)
def _parse_cached(text: str):
    return _Parser(text).parse()


def references(node) -> list[tuple[str, str]]:
    """Every ``(kind, name)`` the expression refers to: ``("item", "2.3")``, ``("dimension", "x")``,
    ``("option", "2.3/opt")``."""
    out: list[tuple[str, str]] = []
    if isinstance(node, Call):
        kinds = FUNCTIONS[node.name]
        out.append((kinds[0], node.args[0]))
        if len(kinds) > 1:
            out.append(("option", f"{node.args[0]}/{node.args[1]}"))
    elif isinstance(node, Compare):
        out += references(node.left) + references(node.right)
    elif isinstance(node, BoolOp):
        for part in node.parts:
            out += references(part)
    elif isinstance(node, Not):
        out += references(node.inner)
    return out


# --- evaluation ----------------------------------------------------------------------------------


class Context(Protocol):
    def call(self, name: str, args: tuple) -> object: ...


@dataclass(frozen=True)
class Fact:
    """A comparison that held: ``call`` (function name), ``subject`` (item or dimension id), ``op``,
    ``value`` (the constant compared with) and ``actual`` (what the function returned)."""

    call: str
    subject: str
    op: str
    value: object
    actual: object

    def as_dict(self) -> dict:
        return {
            "call": self.call,
            "subject": self.subject,
            "op": self.op,
            "value": self.value,
            "actual": self.actual,
        }


def _compare(op: str, a, b) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op in ("in", "not in"):
        if b is None:
            return False
        try:
            found = a in b
        except TypeError:
            return False
        return found if op == "in" else not found
    if a is None or b is None or isinstance(a, bool | list | tuple) or isinstance(b, bool | list | tuple):
        return False
    if isinstance(a, str) != isinstance(b, str):
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def evaluate(node, ctx: Context) -> tuple[object, list[Fact]]:
    """Evaluate ``node`` against ``ctx`` (which answers the function calls). Returns ``(value, facts)``;
    ``facts`` explain a true result."""
    if isinstance(node, Const):
        return node.value, []
    if isinstance(node, ListLit):
        return list(node.items), []
    if isinstance(node, Call):
        value = ctx.call(node.name, node.args)
        facts = [
            Fact(node.name, node.args[0] if len(node.args) == 1 else "/".join(node.args), "is", True, value)
        ]
        return value, facts if value is True else []
    if isinstance(node, Compare):
        left, _ = evaluate(node.left, ctx)
        right, _ = evaluate(node.right, ctx)
        ok = _compare(node.op, left, right)
        facts: list[Fact] = []
        if ok:
            call, const, actual, op = None, right, left, node.op
            if isinstance(node.left, Call):
                call = node.left
            elif isinstance(node.right, Call):
                call, const, actual = node.right, left, right
                op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
            if call is not None:
                subject = call.args[0] if len(call.args) == 1 else "/".join(call.args)
                facts.append(Fact(call.name, subject, op, const, actual))
        return ok, facts
    if isinstance(node, BoolOp):
        if node.op == "and":
            facts = []
            for part in node.parts:
                value, sub = evaluate(part, ctx)
                if not value:
                    return False, []
                facts += sub
            return True, facts
        for part in node.parts:
            value, sub = evaluate(part, ctx)
            if value:
                return True, sub
        return False, []
    if isinstance(node, Not):
        value, _ = evaluate(node.inner, ctx)
        return (not value), []
    raise ExprError(f"cannot evaluate {node!r}")


def truthy(node, ctx: Context) -> tuple[bool, list[Fact]]:
    value, facts = evaluate(node, ctx)
    return bool(value), facts if value else []
