"""Small-cell suppression: no shown cell under 5, no hidden cell derivable from one equation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.suppression import exposed_equations, suppress


def test_small_cells_are_hidden_and_their_complements_too():
    grid = [[12, 3, 40], [25, 30, 8], [9, 11, 50]]
    out = suppress(grid)
    assert out[("x", 0, 1)] is None  # primary: 3 < 5
    # complementary: another cell of row 0 and of column 1 must go, else 3 = total - the others
    assert sum(out[("x", 0, c)] is None for c in range(3)) >= 2
    assert sum(out[("x", r, 1)] is None for r in range(3)) >= 2
    assert out[("G",)] == sum(map(sum, grid))
    assert exposed_equations(out, 3, 3) == []


def test_a_table_without_small_cells_is_published_whole():
    grid = [[10, 20], [30, 40]]
    out = suppress(grid)
    assert None not in out.values()
    assert out[("R", 0)] == 30 and out[("C", 1)] == 60 and out[("G",)] == 100


def test_a_single_small_cell_row_hides_its_total():
    out = suppress([[3], [50]])
    assert out[("x", 0, 0)] is None and out[("R", 0)] is None
    assert exposed_equations(out, 2, 1) == []


def test_distinct_count_margins_can_be_given():
    out = suppress([[6, 7], [8, 9]], row_totals=[10, 15], col_totals=[12, 14], grand_total=20)
    assert out[("R", 0)] == 10 and out[("G",)] == 20


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 6).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )
)
def test_no_cell_under_five_is_shown_and_no_hidden_cell_is_alone_in_an_equation(grid):
    out = suppress(grid)
    assert all(v is None or v >= 5 for v in out.values())
    assert exposed_equations(out, len(grid), len(grid[0])) == []
    # what is shown is the true value
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            assert out[("x", r, c)] in (None, v)
