"""The small expression language: parsing, evaluation, facts, and refusal of anything else."""

from __future__ import annotations

import pytest

from readiness import expr
from readiness.expr_syntax import ExprError


class Ctx:
    def __init__(self, **values):
        self.values = values

    def call(self, name, args):
        return self.values.get(f"{name}:{'/'.join(args)}")


def ev(text, **values):
    return expr.evaluate(expr.parse(text), Ctx(**values))


def test_comparisons_and_boolean_logic():
    assert ev("answer('2.3') == 'no'", **{"answer:2.3": "no"})[0] is True
    assert (
        ev("answer('2.1') <= 2 and level('reporting') > 1", **{"answer:2.1": 2, "level:reporting": 3})[0]
        is True
    )
    assert (
        ev("answer('2.1') <= 2 and level('reporting') > 1", **{"answer:2.1": 3, "level:reporting": 3})[0]
        is False
    )
    assert ev("not (answer('1.1') in ['yes', 'partly'])", **{"answer:1.1": "no"})[0] is True
    assert ev("answer('1.1') not in ['yes']", **{"answer:1.1": "no"})[0] is True
    assert ev("'customs' in answer('1.4')", **{"answer:1.4": ["customs", "health"]})[0] is True
    assert ev("checked('1.4', 'customs') or false", **{"checked:1.4/customs": True})[0] is True
    assert ev("level('x') == none")[0] is True


def test_comparisons_with_no_answer_are_false():
    assert ev("answer('2.1') <= 2")[0] is False
    assert ev("answer('2.1') >= 2")[0] is False
    assert ev("answer('2.1') in ['a']")[0] is False
    assert ev("score('d') < 0.5", **{"score:d": "text"})[0] is False


def test_facts_explain_a_true_result():
    value, facts = ev(
        "answer('2.3') == 'no' or level('reporting') <= 2", **{"answer:2.3": "yes", "level:reporting": 2}
    )
    assert value is True
    assert [f.as_dict() for f in facts] == [
        {"call": "level", "subject": "reporting", "op": "<=", "value": 2, "actual": 2}
    ]
    value, facts = ev("2 >= level('reporting')", **{"level:reporting": 1})
    assert value and facts[0].op == "<=" and facts[0].actual == 1
    assert ev("answer('2.3') == 'no'", **{"answer:2.3": "yes"}) == (False, [])


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "open('/etc/passwd')",
        "answer('1.1').__class__",
        "answer(1)",
        "answer('1.1', '2')",
        "answer('1.1') ==",
        "answer('1.1') == 'x' and",
        "(answer('1.1') == 1",
        "answer('1.1') = 1",
        "1 + 1",
        "[answer('1.1')]",
        "",
        "answer('1.1') == 'x'" + " or answer('1.1') == 'x'" * 200,
    ],
)
def test_anything_outside_the_grammar_is_refused(text):
    with pytest.raises(ExprError):
        expr.parse(text)


def test_error_positions_point_at_the_problem():
    with pytest.raises(ExprError, match="at character 18"):
        expr.parse("answer('1.1') == $")
    with pytest.raises(ExprError, match="unknown function 'eval'"):
        expr.parse("eval('1')")


def test_references_lists_items_and_dimensions():
    tree = expr.parse("answer('2.3') == 'no' or level('reporting') <= 2 or checked('1.4', 'customs')")
    assert expr.references(tree) == [
        ("item", "2.3"),
        ("dimension", "reporting"),
        ("item", "1.4"),
        ("option", "1.4/customs"),
    ]
