"""Small-cell suppression: no shown count from 1 to 4, zeros shown, and no hidden count that the shown
cells and totals fix (an empty row does not protect a neighbour, and hidden counts are known to be at
least 1)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.suppression import (
    determined,
    ends,
    exposed_equations,
    pinned,
    suppress,
    suppress_linked,
)

EN, FR, ES, AR, ZH, RU, UND = range(7)
# Completions by UN region (africa, asia_pacific, ceeg, grulac, weog, unknown) and language (en, fr,
# es, ar, zh, ru, und), as in the demo: Western Europe's 4 in English, an empty "unknown" row.
COMPLETIONS = [
    [22, 19, 0, 5, 0, 0, 0],
    [19, 0, 0, 8, 5, 2, 0],
    [18, 0, 0, 0, 0, 32, 0],
    [7, 0, 22, 0, 0, 0, 0],
    [4, 8, 3, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
]


def true_cells(grid, row_totals=None, col_totals=None, grand=None) -> dict:
    row_totals = row_totals or [sum(r) for r in grid]
    col_totals = col_totals or [sum(r[c] for r in grid) for c in range(len(grid[0]))]
    cells = {("G",): sum(row_totals) if grand is None else grand}
    for r, row in enumerate(grid):
        cells[("R", r)] = row_totals[r]
        for c, v in enumerate(row):
            cells[("x", r, c)] = v
    for c, v in enumerate(col_totals):
        cells[("C", c)] = v
    return cells


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows if any(r)]
    rank, col, width = 0, 0, len(rows[0]) if rows else 0
    while rank < len(rows) and col < width:
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank, col = rank + 1, col + 1
    return rank


def solvable_cells(cells: dict, out: dict) -> list:
    """Hidden non-zero cells that linear algebra on the row and column equations pins down, for a
    reader who also knows where the zeros are (independent of the graph argument of the module)."""
    unknown = sorted(c for c, v in out.items() if v is None and cells[c] > 0)
    if not unknown:
        return []
    lines: dict = {}
    for cell in cells:
        for i, line in enumerate(ends(cell)):
            # the total of each line is the cell on the totals' row or column
            is_total = ends(cell)[1 - i][1] == -1
            lines.setdefault(line, {})[cell] = -1 if is_total else 1
    matrix = [[Fraction(eq.get(c, 0)) for c in unknown] for eq in lines.values()]
    full = _rank(matrix)
    return [
        cell for i, cell in enumerate(unknown) if _rank([row[:i] + row[i + 1 :] for row in matrix]) < full
    ]


def line_alone_fixes(values: list[int | None], total: int | None) -> bool:
    """Whether one row (or column) alone fixes a hidden cell: its total is shown and the hidden cells
    are one, or all at 1 (a hidden count is at least 1, since zeros are shown)."""
    hidden = [v for v in values if v is None]
    if total is None or not hidden:
        return False
    rest = total - sum(v for v in values if v is not None)
    return len(hidden) == 1 or rest == len(hidden)


def assert_protected(cells: dict, out: dict) -> None:
    assert all(v is None or v == 0 or v >= 5 for v in out.values())
    assert all(out[c] in (None, v) for c, v in cells.items())
    assert all(cells[c] > 0 for c, v in out.items() if v is None)  # zeros are shown
    assert determined(cells, out) == []
    assert solvable_cells(cells, out) == []
    assert pinned(cells, {c for c, v in out.items() if v is None}) == []
    lines: dict = {}
    for cell in cells:
        for line in ends(cell):
            lines.setdefault(line, []).append(cell)
    for line, members in lines.items():
        hidden = [c for c in members if out[c] is None]
        assert len(hidden) != 1, line
        total = next(c for c in members if ends(c)[1 - ends(c).index(line)][1] == -1)
        shown = [out[c] for c in members if c != total]
        assert not line_alone_fixes(shown, out[total]), (line, shown, out[total])


def test_small_cells_are_hidden_and_their_complements_too():
    grid = [[12, 3, 40], [25, 30, 8], [9, 11, 50]]
    out = suppress(grid)
    assert out[("x", 0, 1)] is None  # primary: 3 < 5
    assert sum(out[("x", 0, c)] is None for c in range(3)) >= 2
    assert sum(out[("x", r, 1)] is None for r in range(3)) >= 2
    assert out[("G",)] == sum(map(sum, grid))
    assert exposed_equations(out, 3, 3) == []
    assert_protected(true_cells(grid), out)


def test_a_table_without_small_cells_is_published_whole():
    grid = [[10, 20], [30, 40]]
    out = suppress(grid)
    assert None not in out.values()
    assert out[("R", 0)] == 30 and out[("C", 1)] == 60 and out[("G",)] == 100


def test_a_single_small_cell_row_hides_its_total():
    out = suppress([[3], [50]])
    assert out[("x", 0, 0)] is None and out[("R", 0)] is None
    assert exposed_equations(out, 2, 1) == []
    assert_protected(true_cells([[3], [50]]), out)


def test_distinct_count_margins_can_be_given():
    out = suppress([[6, 7], [8, 9]], row_totals=[10, 15], col_totals=[12, 14], grand_total=20)
    assert out[("R", 0)] == 10 and out[("G",)] == 20


def test_an_empty_row_does_not_protect_a_small_count_in_its_column():
    out = suppress(COMPLETIONS)
    cells = true_cells(COMPLETIONS)
    shown_en = [out[("x", r, EN)] for r in range(6)]
    if out[("C", EN)] is not None:
        # Western Europe's 4 is not "All regions" minus the regions shown
        hidden = [r for r, v in enumerate(shown_en) if v is None and COMPLETIONS[r][EN] > 0]
        assert len(hidden) >= 2
    assert_protected(cells, out)


def test_a_column_whose_other_hidden_cells_are_zeros_is_protected():
    # Russian: 34 in all, 32 in Eastern Europe; the 2 in Asia-Pacific is the only non-zero hidden cell
    out = suppress(COMPLETIONS)
    hidden_ru = [r for r in range(6) if out[("x", r, RU)] is None and COMPLETIONS[r][RU] > 0]
    assert out[("C", RU)] is None or len(hidden_ru) >= 2
    assert_protected(true_cells(COMPLETIONS), out)


def test_one_viewer_among_empty_cells_is_not_the_difference_of_the_totals():
    # 2024 webinar viewers in English: 20 + 19 shown, 1 in Western Europe, nothing else
    grid = [[20, 6], [19, 0], [0, 0], [0, 0], [1, 0], [0, 0]]
    out = suppress(grid)
    assert out[("x", 4, 0)] is None
    assert out[("C", 0)] is None or sum(out[("x", r, 0)] for r in (0, 1) if out[("x", r, 0)]) < 39
    assert_protected(true_cells(grid), out)


def test_a_cell_whose_lines_all_have_two_hidden_cells_can_still_be_pinned_by_a_bridge():
    # two protected blocks joined by one hidden count: every row and column has two hidden cells,
    # but the joining cell is the difference of the blocks' totals
    cells = true_cells([[1, 1, 9, 0], [1, 1, 0, 9], [9, 0, 1, 1], [0, 9, 1, 1]])
    out = {c: (None if c[0] == "x" and cells[c] < 5 else v) for c, v in cells.items()}
    out[("x", 0, 2)] = None
    assert exposed_equations(out, 4, 4) == []
    assert determined(cells, out) == [("x", 0, 2)]
    assert solvable_cells(cells, out) == [("x", 0, 2)]


def test_zeros_are_shown_so_a_row_total_reveals_no_hidden_cell():
    # Central and Eastern Europe: 46 in English, 67 in Russian, nobody in the other languages. Hiding
    # the zeros protected nothing: 113 - 46 - 67 made every hidden cell 0.
    grid = [[46, 0, 0, 0, 0, 67, 0], [30, 12, 9, 7, 6, 8, 0]]
    out = suppress(grid)
    assert [out[("x", 0, c)] for c in range(7)] == [46, 0, 0, 0, 0, 67, 0]
    assert out[("R", 0)] == 113 and None not in out.values()
    assert_protected(true_cells(grid), out)


def test_one_hidden_small_count_in_a_row_is_not_the_row_total_minus_the_shown_cells():
    grid = [[46, 3, 0, 0, 0, 67, 0], [30, 12, 9, 7, 6, 8, 0], [20, 11, 0, 6, 9, 15, 0]]
    out = suppress(grid)
    row = [out[("x", 0, c)] for c in range(7)]
    assert row[1] is None and row[2] == 0
    assert not line_alone_fixes(row, out[("R", 0)])
    assert_protected(true_cells(grid), out)


def test_two_hidden_ones_under_a_shown_total_are_not_left_at_one_each():
    # 46 shown, 1 and 1 hidden, 48 in all: each hidden count would be 1, the least it can be
    grid = [[46, 1, 1, 0], [20, 30, 40, 9], [25, 35, 45, 8]]
    out = suppress(grid)
    assert out[("x", 0, 1)] is None and out[("x", 0, 2)] is None
    assert not line_alone_fixes([out[("x", 0, c)] for c in range(4)], out[("R", 0)])
    assert_protected(true_cells(grid), out)
    cells = true_cells(grid)
    lazy = {
        c: (None if c in (("x", 0, 1), ("x", 0, 2), ("x", 1, 1), ("x", 1, 2)) else v)
        for c, v in cells.items()
    }
    assert pinned(cells, {c for c, v in lazy.items() if v is None})  # a cycle alone is not enough


tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 6).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 40)), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_count_can_be_worked_out_from_the_shown_cells_and_totals(grid):
    out = suppress(grid)
    assert exposed_equations(out, len(grid), len(grid[0])) == []
    assert_protected(true_cells(grid), out)


@settings(max_examples=100, deadline=None)
@given(tables)
def test_an_empty_last_row_and_column_do_not_protect_anything(grid):
    # like the "unknown" region and the "und" language of the open data
    grid = [[*row, 0] for row in grid] + [[0] * (len(grid[0]) + 1)]
    assert_protected(true_cells(grid), suppress(grid))


def test_a_year_cannot_be_worked_out_from_all_years_minus_the_other_years():
    # Western Europe in French: 2 in 2024 (hidden), 6 in 2025 and 8 in all: 8 - 6 would give the 2
    y2024 = [[12, 9], [2, 10]]
    y2025 = [[20, 10], [6, 10]]
    total = [[a + b for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(y2024, y2025, strict=True)]
    assert suppress(y2025)[("x", 1, 0)] == 6 and suppress(total)[("x", 1, 0)] == 8
    out = suppress_linked({"all": (total,), "2024": (y2024,), "2025": (y2025,)}, "all")
    assert out["2024"][("x", 1, 0)] is None
    assert out["2025"][("x", 1, 0)] is None or out["all"][("x", 1, 0)] is None
    assert_linked(out, {"all": total, "2024": y2024, "2025": y2025})


def assert_linked(out: dict, grids: dict) -> None:
    cells = {key: true_cells(grid) for key, grid in grids.items()}
    for key in grids:
        assert_protected(cells[key], out[key])
    for cell in cells["all"]:
        hidden = [key for key in grids if out[key][cell] is None and cells[key][cell] > 0]
        assert len(hidden) != 1, (cell, hidden)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda cols: st.lists(
                st.lists(
                    st.lists(
                        st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 30)),
                        min_size=cols,
                        max_size=cols,
                    ),
                    min_size=rows,
                    max_size=rows,
                ),
                min_size=2,
                max_size=3,
            )
        )
    )
)
def test_no_count_of_one_year_can_be_worked_out_from_the_other_years(years):
    total = [
        [sum(year[r][c] for year in years) for c in range(len(years[0][0]))] for r in range(len(years[0]))
    ]
    grids = {"all": total, **{str(2024 + i): grid for i, grid in enumerate(years)}}
    assert_linked(suppress_linked({key: (grid,) for key, grid in grids.items()}, "all"), grids)
