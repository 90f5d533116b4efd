"""Small-cell suppression for published tables.

Primary suppression hides every cell under the threshold (5). Complementary suppression then hides
more cells until no row, column or margin equation has exactly one hidden cell, because such a cell
could be computed back from the total and the cells shown. The smallest interior cell is hidden
first (margins only when nothing else is left), which keeps as much of the table as possible.
"""

from __future__ import annotations

THRESHOLD = 5

Cell = tuple  # ("x", r, c) interior, ("R", r) row total, ("C", c) column total, ("G",) grand total


def suppress(
    values: list[list[int]],
    row_totals: list[int] | None = None,
    col_totals: list[int] | None = None,
    grand_total: int | None = None,
    threshold: int = THRESHOLD,
) -> dict[Cell, int | None]:
    """Return every cell of the table with its margins, ``None`` where suppressed.

    Margins default to the sums of the interior; pass them when they are not sums (distinct counts)."""
    n_rows = len(values)
    n_cols = len(values[0]) if values else 0
    if row_totals is None:
        row_totals = [sum(r) for r in values]
    if col_totals is None:
        col_totals = [sum(values[r][c] for r in range(n_rows)) for c in range(n_cols)]
    if grand_total is None:
        grand_total = sum(row_totals)
    cells: dict[Cell, int] = {("G",): grand_total}
    for r in range(n_rows):
        cells[("R", r)] = row_totals[r]
        for c in range(n_cols):
            cells[("x", r, c)] = values[r][c]
    for c in range(n_cols):
        cells[("C", c)] = col_totals[c]

    equations = [[("x", r, c) for c in range(n_cols)] + [("R", r)] for r in range(n_rows)]
    equations += [[("x", r, c) for r in range(n_rows)] + [("C", c)] for c in range(n_cols)]
    equations.append([("R", r) for r in range(n_rows)] + [("G",)])
    equations.append([("C", c) for c in range(n_cols)] + [("G",)])

    hidden = {cell for cell, v in cells.items() if v < threshold}
    changed = True
    while changed:
        changed = False
        for eq in equations:
            if sum(1 for cell in eq if cell in hidden) != 1:
                continue
            shown = [cell for cell in eq if cell not in hidden]
            if not shown:
                continue
            hidden.add(min(shown, key=lambda cell: (cell[0] != "x", cells[cell], cell)))
            changed = True
    return {cell: (None if cell in hidden else v) for cell, v in cells.items()}


def exposed_equations(result: dict[Cell, int | None], n_rows: int, n_cols: int) -> list[list[Cell]]:
    """Equations that still have exactly one hidden cell (used by tests; empty after :func:`suppress`)."""
    equations = [[("x", r, c) for c in range(n_cols)] + [("R", r)] for r in range(n_rows)]
    equations += [[("x", r, c) for r in range(n_rows)] + [("C", c)] for c in range(n_cols)]
    equations.append([("R", r) for r in range(n_rows)] + [("G",)])
    equations.append([("C", c) for c in range(n_cols)] + [("G",)])
    return [eq for eq in equations if sum(1 for cell in eq if result[cell] is None) == 1]
