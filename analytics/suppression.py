"""Small-cell suppression for published tables.

Primary suppression hides every count from 1 to 4 (under the threshold, 5). Zeros are shown as 0: an
empty cell reveals nobody, and hiding it protects nothing (counts are never negative, so a reader
could tell a hidden zero from its row's total minus the cells shown, as with "46 + 67 = 113, so the
five hidden languages are all 0"). Complementary suppression then hides more cells so that no hidden
count can be worked out from the cells and totals that are shown.

A table with its row totals, column totals and grand total is a grid whose every row and column is an
equation (the total is the sum of the others). A reader who knows which cells are hidden can solve
those equations; they also know that counts are never negative and, since zeros are shown, that every
hidden count is at least 1. Seen as a graph whose nodes are the rows and columns of the grid (totals
included) and whose edges are the hidden cells, a hidden cell's value is fixed by the equations when
its edge is not on a cycle (a bridge): the cells along a cycle can move by +1/-1 alternately without
changing any total. So, until no hidden cell is a bridge, the cheapest path of shown cells that closes a
cycle through it is hidden too: interior cells before totals, small counts before large ones, which
keeps as much of the table as possible.

A cycle is not enough when the cells it would lower are already at 1 (a hidden count known to be at
least 1 cannot go down): "46 shown, two hidden, 48 in all" makes both hidden counts 1. With each cell
oriented (row to column for a count, column to row for a total), a change that keeps every total is a
circulation, and a hidden cell can move exactly when its arc, raised, or its reversed arc, lowered
(only above 1), lies on a directed cycle of such arcs (:func:`pinned`); a pinned cell gets the cheapest
path of shown cells that closes one.

No hidden cell is ever the only hidden one of its row or column either (it would be a bridge).

Tables that add up to another (each year's and all years') are suppressed together with
:func:`suppress_linked`, so that a year's hidden count is not all years minus the other years either.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

THRESHOLD = 5
FLOOR = 1
"""What a reader knows of every hidden count: zeros are shown, so a hidden count is at least 1."""

Cell = tuple  # ("x", r, c) interior, ("R", r) row total, ("C", c) column total, ("G",) grand total
_TOTAL = -1  # the totals' row and column in the graph


def suppress(
    values: list[list[int]],
    row_totals: list[int] | None = None,
    col_totals: list[int] | None = None,
    grand_total: int | None = None,
    threshold: int = THRESHOLD,
    forced: set | frozenset = frozenset(),
) -> dict[Cell, int | None]:
    """Return every cell of the table with its margins, ``None`` where suppressed.

    Margins default to the sums of the interior; pass them when they are not sums (distinct counts):
    they are then protected as if they were sums, which is at least as safe. ``forced``: cells to hide
    whatever their value (see :func:`suppress_linked`)."""
    cells = _true_cells(values, row_totals, col_totals, grand_total)
    hidden = {cell for cell, v in cells.items() if 0 < v < threshold}
    hidden |= {cell for cell in forced if cells.get(cell, 0) > 0}  # a zero is shown, never hidden
    _protect(cells, hidden)
    return {cell: (None if cell in hidden else v) for cell, v in cells.items()}


def ends(cell: Cell) -> tuple[tuple, tuple]:
    """The row and the column of the grid (totals included) that ``cell`` lies on."""
    if cell[0] == "x":
        return ("r", cell[1]), ("c", cell[2])
    if cell[0] == "R":
        return ("r", cell[1]), ("c", _TOTAL)
    if cell[0] == "C":
        return ("r", _TOTAL), ("c", cell[1])
    return ("r", _TOTAL), ("c", _TOTAL)


def bridges(edges) -> list[Cell]:
    """The cells of ``edges`` that lie on no cycle of the row/column graph (Tarjan)."""
    adj: dict = defaultdict(list)
    for e in sorted(edges):
        u, v = ends(e)
        adj[u].append((v, e))
        adj[v].append((u, e))
    disc: dict = {}
    low: dict = {}
    out: list[Cell] = []

    def visit(u, via) -> None:
        disc[u] = low[u] = len(disc)
        for v, e in adj[u]:
            if e == via:
                continue
            if v in disc:
                low[u] = min(low[u], disc[v])
            else:
                visit(v, e)
                low[u] = min(low[u], low[v])
                if low[v] > disc[u]:
                    out.append(e)

    for node in sorted(adj):
        if node not in disc:
            visit(node, None)
    return out


def _hiding_cost(cells: dict[Cell, int], hidden: set, cell: Cell) -> int:
    """What hiding ``cell`` costs: nothing when hidden already, else interior cells before totals
    (``x`` marks the totals), small counts before large ones."""
    big = sum(cells.values()) + 1
    return 0 if cell in hidden else cells[cell] + 1 + (big if cell[0] != "x" else 0)


def _cheapest_path(adj: dict, start, goal, cost) -> list[Cell] | None:
    """The cells along the cheapest path from ``start`` to ``goal`` (Dijkstra over ``adj``:
    ``{node: [(next node, cell)]}``, ``cost(cell)`` for stepping through a cell), or None."""
    best = {start: 0}
    came: dict = {}
    queue = [(0, start)]
    while queue:
        d, node = heapq.heappop(queue)
        if node == goal:
            path, cur = [], goal
            while cur != start:
                prev, cell = came[cur]
                path.append(cell)
                cur = prev
            return path
        if d > best[node]:
            continue
        for nxt, cell in sorted(adj[node]):
            nd = d + cost(cell)
            if nxt not in best or nd < best[nxt]:
                best[nxt] = nd
                came[nxt] = (node, cell)
                heapq.heappush(queue, (nd, nxt))
    return None


def _cheapest_cycle(cells: dict[Cell, int], hidden: set, bridge: Cell) -> list[Cell] | None:
    """The shown cells to hide so that ``bridge`` lies on a cycle of hidden non-zero cells, or None."""
    adj: dict = defaultdict(list)
    for cell, v in cells.items():
        if v <= 0 or cell == bridge:
            continue
        a, b = ends(cell)
        adj[a].append((b, cell))
        adj[b].append((a, cell))
    start, goal = ends(bridge)
    path = _cheapest_path(adj, start, goal, lambda cell: _hiding_cost(cells, hidden, cell))
    return None if path is None else [cell for cell in path if cell not in hidden]


def _protect(cells: dict[Cell, int], hidden: set) -> None:
    """Hide more cells (in place) until no hidden non-zero cell is determined by the equations."""
    unprotectable: set = set()
    while True:
        # (a cell alone hidden on its row or column is a bridge: the same rule gives it company)
        exposed = [e for e in bridges(c for c in hidden if cells[c] > 0) if e not in unprotectable]
        if not exposed:
            stuck = [c for c in pinned(cells, hidden) if c not in unprotectable]
            if not stuck:
                return
            cell = min(stuck, key=lambda c: (cells[c], c))
            path = _cheapest_circuit(cells, hidden, cell)
            if path:
                hidden.update(path)
            else:
                unprotectable.add(cell)
            continue
        bridge = min(exposed, key=lambda cell: (cells[cell], cell))
        path = _cheapest_cycle(cells, hidden, bridge)
        if path:
            hidden.update(path)
            continue
        # Only when the totals are not sums (distinct counts): hide a neighbour on its row or column.
        own = set(ends(bridge))
        near = [c for c, v in cells.items() if c not in hidden and v > 0 and own & set(ends(c))]
        if near:
            hidden.add(min(near, key=lambda cell: (cell[0] != "x", cells[cell], cell)))
        else:
            unprotectable.add(bridge)


def _arc(cell: Cell) -> tuple[tuple, tuple]:
    """``cell`` as an arc: a count from its row to its column, a total the other way round, so that
    raising cells along a directed cycle (and lowering those crossed backwards) keeps every sum."""
    a, b = ends(cell)
    return (a, b) if cell[0] in ("x", "G") else (b, a)


def _residual(cells: dict[Cell, int], members, skip: Cell, floor: int) -> dict:
    """Arcs by which the cells of ``members`` (all but ``skip``) can change: raised along their arc,
    lowered against it while above ``floor``; ``{node: [(next node, cell)]}``."""
    adj: dict = defaultdict(list)
    for cell in sorted(members):
        if cell == skip:
            continue
        u, v = _arc(cell)
        adj[u].append((v, cell))
        if cells[cell] > floor:
            adj[v].append((u, cell))
    return adj


def _reaches(adj: dict, start, goal) -> bool:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt, _cell in adj[node]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def pinned(cells: dict[Cell, int], hidden, floor: int = FLOOR) -> list[Cell]:
    """Hidden cells whose value the shown cells and totals fix, for a reader who knows that every
    hidden count is at least ``floor``: the cell can neither go up (a directed cycle through its arc)
    nor down (through its reversed arc, while above ``floor``) with the other hidden cells."""
    hidden = {c for c in hidden if cells[c] > 0}
    out = []
    for cell in sorted(hidden):
        adj = _residual(cells, hidden, cell, floor)
        u, v = _arc(cell)
        if _reaches(adj, v, u) or (cells[cell] > floor and _reaches(adj, u, v)):
            continue
        out.append(cell)
    return out


def _cheapest_circuit(
    cells: dict[Cell, int], hidden: set, cell: Cell, floor: int = FLOOR
) -> list[Cell] | None:
    """The shown cells to hide so that ``cell`` can go up: the cheapest directed path back from its
    arc's head to its tail, through hidden cells (free) and shown non-zero ones (see
    :func:`_hiding_cost`)."""
    candidates = {c for c, v in cells.items() if v > 0}
    adj = _residual(cells, candidates, cell, floor)
    goal, start = _arc(cell)
    path = _cheapest_path(adj, start, goal, lambda step: _hiding_cost(cells, hidden, step))
    return None if path is None else [c for c in path if c not in hidden]


def suppress_linked(
    tables: dict[str, tuple], total: str, threshold: int = THRESHOLD
) -> dict[str, dict[Cell, int | None]]:
    """Suppress tables of the same shape of which one, ``total``, adds up the others (all years and
    each year): ``tables[key]`` is ``(values, row_totals, col_totals, grand_total)``.

    Each table is protected on its own, and a cell is never the only hidden one among its copies in
    the tables (else all years minus the years shown would give it), nor are its hidden copies all 1
    under a shown total of all years: the smallest shown copy is hidden too, and that table protected
    again, until nothing changes."""
    forced: dict[str, set] = {key: set() for key in tables}
    true = {key: _true_cells(*spec) for key, spec in tables.items()}
    while True:
        results = {
            key: suppress(*spec, threshold=threshold, forced=forced[key]) for key, spec in tables.items()
        }
        changed = False
        for cell in results[total]:
            copies = [(key, true[key][cell]) for key in tables]
            hidden = [key for key, v in copies if v > 0 and results[key][cell] is None]
            shown = [(v, key != total, key) for key, v in copies if v > 0 and results[key][cell] is not None]
            # all years = the sum of the years: one hidden copy is the difference of the others, and
            # hidden years that are all at 1 (the least a hidden count can be) are 1 each
            at_floor = total not in hidden and all(true[key][cell] <= FLOOR for key in hidden)
            if (len(hidden) == 1 or (hidden and at_floor)) and shown:
                forced[min(shown)[2]].add(cell)
                changed = True
        if not changed:
            return results


def _true_cells(values, row_totals=None, col_totals=None, grand_total=None) -> dict[Cell, int]:
    n_rows, n_cols = len(values), len(values[0]) if values else 0
    row_totals = row_totals if row_totals is not None else [sum(r) for r in values]
    if col_totals is None:
        col_totals = [sum(values[r][c] for r in range(n_rows)) for c in range(n_cols)]
    cells: dict[Cell, int] = {("G",): sum(row_totals) if grand_total is None else grand_total}
    for r in range(n_rows):
        cells[("R", r)] = row_totals[r]
        for c in range(n_cols):
            cells[("x", r, c)] = values[r][c]
    for c in range(n_cols):
        cells[("C", c)] = col_totals[c]
    return cells


def determined(cells: dict[Cell, int], result: dict[Cell, int | None]) -> list[Cell]:
    """Hidden non-zero cells of ``result`` whose value the shown cells and totals fix (``cells``: the
    true values). Empty after :func:`suppress` for tables whose totals are sums."""
    return bridges(c for c, v in result.items() if v is None and cells[c] > 0)


def exposed_equations(result: dict[Cell, int | None], n_rows: int, n_cols: int) -> list[list[Cell]]:
    """Equations that still have exactly one hidden cell (used by tests; empty after :func:`suppress`)."""
    equations = [[("x", r, c) for c in range(n_cols)] + [("R", r)] for r in range(n_rows)]
    equations += [[("x", r, c) for r in range(n_rows)] + [("C", c)] for c in range(n_cols)]
    equations.append([("R", r) for r in range(n_rows)] + [("G",)])
    equations.append([("C", c) for c in range(n_cols)] + [("G",)])
    return [eq for eq in equations if sum(1 for cell in eq if result[cell] is None) == 1]
