"""The syntax of the readiness expression language (:mod:`readiness.expr`): the tokenizer, the syntax
tree and the parser, and :class:`ExprError`, which every step raises.

Grammar::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := value (OP value)?          OP: == != < <= > >= in, "not in"
    value   := NUMBER | STRING | true | false | none | "[" values "]" | NAME "(" values ")" | "(" expr ")"

Contracts: :func:`tokenize` turns a text into :class:`Token` s ending with an ``end`` token;
:class:`Parser` turns a text into a tree of the immutable nodes :class:`Const`, :class:`ListLit`,
:class:`Call`, :class:`Compare`, :class:`BoolOp` and :class:`Not`; only the functions of :data:`FUNCTIONS`
may be called, with quoted names as arguments. Callers parse through :func:`readiness.expr.parse`, which
caches the trees. Pure Python: no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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


class Parser:
    """A recursive-descent parser of one text, a method per rule of the grammar."""

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
