"""A tiny, safe expression language for skip logic and recommendation rules (no ``eval``).

The grammar, the tokenizer and the parser are in :mod:`readiness.expr_syntax`; this module parses (with a
cache), lists what an expression refers to, and evaluates.

Functions (see :data:`readiness.expr_syntax.FUNCTIONS`): ``answer("2.3")`` (the answer: 0-4 for a rubric,
"yes"/"partly"/"no", the band id of a number item, the list of ticked options of a checklist, "na", "dk",
or none when unanswered or skipped), ``answered("2.3")``, ``checked("1.4", "option")``,
``item_score("2.3")`` (0-1), ``level("reporting")`` (1-5 or none) and ``score("reporting")`` (0-1 or none).

Comparisons involving ``none`` (other than ``==``/``!=``) are false. Evaluation returns the value and
the *facts* that made it true (the comparisons that held), which recommendations turn into reasons
("because item 2.3 was answered 'no'"). Pure Python: no Flask.

:class:`ExprError` stays reachable as ``readiness.expr.ExprError``: it is part of this module's contract
(:func:`parse` and :func:`evaluate` raise it, and a :class:`Context` raises it for a call it cannot
answer), and :mod:`readiness.scoring` relies on that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from readiness.expr_syntax import FUNCTIONS, BoolOp, Call, Compare, Const, ExprError, ListLit, Not, Parser


def parse(text: str):
    """Parse an expression into a tree of :class:`Const`, :class:`ListLit`, :class:`Call`,
    :class:`Compare`, :class:`BoolOp` and :class:`Not` (immutable, so parses are cached). Raises
    :class:`ExprError`."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("empty expression")
    return _parse_cached(text)


@lru_cache(maxsize=512)
def _parse_cached(text: str):
    return Parser(text).parse()


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
