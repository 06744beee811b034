"""Certain placement of printed numbers into table columns when empty cells were dropped.

Page text (pdfplumber's ``extract_text()``) prints a row's cells separated by one space and
drops the empty ones: ``2070105 文化展示及纪念机构 1,700.57 1,700.57`` under six columns does
not say which columns the two numbers are in. The numbers keep their left-to-right order, so
a row's possible *placements* are the order-preserving assignments of its k numbers to its n
columns (C(n, k) of them). A number is placed only when that is certain:

1. a row that prints as many numbers as it has columns has one placement;
2. the row's own identities (合计 = 基本 + 项目, 本年收入合计 = Σ sources, …) remove the
   placements under which they fail, unless they fail under every placement (then the row
   is printed inconsistently, and its identities decide nothing);
3. the table's identities (parent = Σ children per column, 合计 = Σ 类, …) remove the
   placements of a row for which no choice of the other rows' placements satisfies them
   (arc consistency, computed exactly by subset sums), repeated until nothing changes. An
   identity that no choice satisfies at all is a printed inconsistency: it is set aside
   (and reported), never used to place anything. If the remaining identities contradict each
   other, the table falls back to what its rows alone say.

A number is placed in a column when every remaining placement of its row puts it there;
a column is known blank when every remaining placement leaves it empty; everything else is
unknown, and the numbers not placed are kept as printed ("unplaced"). Removing a placement
only ever happens when it contradicts a printed identity, so a number can end up unplaced,
never in a column it may not belong to.

Pure functions on Decimals; no I/O.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

Placement = tuple[int, ...]  # for each printed number, the index of its column (increasing)

ZERO = Decimal("0")
# Identities hold to rounding: the documents sum in 元 and round each cell to 0.01 万元.
HALF_CENT = Decimal("0.005")
MIN_TOLERANCE = Decimal("0.02")
# Subset-sum state limit per identity; beyond it the identity is not used (which only
# leaves more placements, never fewer).
STATE_LIMIT = 200_000


def tolerance(terms: int) -> Decimal:
    """Rounding allowance of an identity over `terms` printed cells."""
    return max(MIN_TOLERANCE, HALF_CENT * terms)


def placements(n_values: int, n_columns: int) -> list[Placement]:
    """Every order-preserving placement of n_values printed numbers into n_columns columns."""
    if n_values > n_columns:
        return []
    return list(combinations(range(n_columns), n_values))


def cell(values: list[Decimal], placement: Placement, column: int) -> Decimal:
    """The value a placement puts in `column` (a column left empty is zero)."""
    for index, placed in enumerate(placement):
        if placed == column:
            return values[index]
    return ZERO


@dataclass(frozen=True)
class RowIdentity:
    """Σ sign × cell over `terms` (column, sign) is zero, within rounding."""

    terms: tuple[tuple[int, int], ...]
    label: str = ""

    def holds(self, values: list[Decimal], placement: Placement) -> bool:
        total = sum((sign * cell(values, placement, column) for column, sign in self.terms), ZERO)
        return abs(total) <= tolerance(len(self.terms))


def row_domain(values: list[Decimal], n_columns: int,
               identities: tuple[RowIdentity, ...] = ()) -> tuple[list[Placement], bool]:
    """The placements the row itself allows, and whether its identities hold under any.

    A row printing all its cells has exactly one placement (its identities are then only
    checked, not used). Otherwise the identities filter the placements; when none satisfies
    them the row is printed inconsistently and every placement is kept."""
    every = placements(len(values), n_columns)
    if not every:
        return [], False
    consistent = [p for p in every if all(i.holds(values, p) for i in identities)]
    if len(values) == n_columns:
        return every, bool(consistent)
    if consistent:
        return consistent, True
    # Printed inconsistently (e.g. digits lost). A total that is a sum of non-negative cells
    # is printed whenever one of its parts is: drop the placements that put a number other
    # than zero into a part and leave the total empty.
    sums = [(i.terms[0][0], [column for column, _ in i.terms[1:]]) for i in identities
            if i.terms and i.terms[0][1] == 1 and all(sign == -1 for _, sign in i.terms[1:])]

    def plausible(p: Placement) -> bool:
        return all(total in p or all(cell(values, p, part) == 0 for part in parts)
                   for total, parts in sums)

    kept = [p for p in every if plausible(p)]
    return (kept or every), False


@dataclass(frozen=True)
class Term:
    row: int
    column: int
    sign: int = 1


@dataclass(frozen=True)
class TableIdentity:
    """Σ sign × cell(row, column) + constant is zero, within rounding (a constant is a figure
    known for certain from elsewhere, e.g. a printed amount of a one-amount row)."""

    terms: tuple[Term, ...]
    constant: Decimal = ZERO
    label: str = ""

    @property
    def tolerance(self) -> Decimal:
        return tolerance(len(self.terms) + (1 if self.constant else 0))


@dataclass
class Solution:
    domains: list[list[Placement]]
    set_aside: list[TableIdentity] = field(default_factory=list)  # hold under no placement
    unused: list[TableIdentity] = field(default_factory=list)     # too many combinations
    contradiction: bool = False  # the other identities contradict each other: rows alone


def _contributions(identity: TableIdentity, values: list[list[Decimal]],
                   domains: list[list[Placement]]) -> dict[int, list[Decimal]]:
    """For each row of the identity, the value it adds under each of its placements."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for term in identity.terms:
        by_row.setdefault(term.row, []).append((term.column, term.sign))
    return {
        row: [sum((sign * cell(values[row], p, column) for column, sign in terms), ZERO)
              for p in domains[row]]
        for row, terms in by_row.items()
    }


def _sums(options: list[set[Decimal]]) -> list[set[Decimal]] | None:
    """prefix[i] = every sum of one option from each of options[:i]; None when too many."""
    prefix = [{ZERO}]
    for choices in options:
        nxt = {s + c for s in prefix[-1] for c in choices}
        if len(nxt) > STATE_LIMIT:
            return None
        prefix.append(nxt)
    return prefix


def _revise(identity: TableIdentity, values: list[list[Decimal]],
            domains: list[list[Placement]]) -> tuple[str, list[list[Placement]]]:
    """('ok' | 'unsatisfiable' | 'too_large', new domains of the identity's rows)."""
    contributions = _contributions(identity, values, domains)
    rows = list(contributions)
    options = [set(contributions[row]) for row in rows]
    prefix = _sums(options)
    suffix = _sums(options[::-1])
    if prefix is None or suffix is None:
        return "too_large", domains
    tol = identity.tolerance
    if not any(abs(s + identity.constant) <= tol for s in prefix[-1]):
        return "unsatisfiable", domains
    new = [list(d) for d in domains]
    for position, row in enumerate(rows):
        before = prefix[position]
        after = sorted(suffix[len(rows) - position - 1])
        keep_values: set[Decimal] = set()
        for c in options[position]:
            for s in before:
                target = -(c + s + identity.constant)
                at = bisect_left(after, target - tol)
                if at < len(after) and after[at] <= target + tol:
                    keep_values.add(c)
                    break
        new[row] = [p for p, c in zip(domains[row], contributions[row]) if c in keep_values]
    return "ok", new


def solve(values: list[list[Decimal]], domains: list[list[Placement]],
          identities: list[TableIdentity], suspect_rows: set[int] = frozenset()) -> Solution:
    """Remove the placements the table's identities exclude (see the module docstring).

    When the identities contradict each other, those relating a `suspect_rows` row (one
    printed inconsistently with itself) to other rows are set aside and the rest tried
    again (a figure known from elsewhere, an identity of one row, is kept); failing that,
    only the identities of one row are used; failing that, the rows keep what they alone
    allow. `contradiction` says that a fallback was taken."""
    solution = _solve(values, domains, identities)
    if not solution.contradiction:
        return solution
    one_row = [i for i in identities if len({t.row for t in i.terms}) == 1]
    if suspect_rows:
        trusted = [i for i in identities if i in one_row
                   or not any(t.row in suspect_rows for t in i.terms)]
        retry = _solve(values, domains, trusted)
        if not retry.contradiction:
            retry.set_aside = solution.set_aside + [
                i for i in identities if i not in trusted and i not in solution.set_aside]
            return retry
    retry = _solve(values, domains, one_row)  # figures known from elsewhere only
    if not retry.contradiction:
        retry.set_aside = solution.set_aside
        retry.contradiction = True  # the table's identities contradict each other: reported
        return retry
    return solution


def _solve(values: list[list[Decimal]], domains: list[list[Placement]],
           identities: list[TableIdentity]) -> Solution:
    start = [list(d) for d in domains]
    solution = Solution(start)
    active = []
    for identity in identities:
        if not identity.terms:
            continue
        status, _ = _revise(identity, values, start)
        if status == "unsatisfiable":
            solution.set_aside.append(identity)
        elif status == "too_large":
            solution.unused.append(identity)
        else:
            active.append(identity)
    current = [list(d) for d in start]
    changed = True
    while changed:
        changed = False
        for identity in active:
            status, new = _revise(identity, values, current)
            if status == "too_large":
                continue
            if status == "unsatisfiable" or any(not d for d in new):
                solution.contradiction = True
                return solution  # domains stay what the rows alone allow
            if new != current:
                changed = True
                current = new
    solution.domains = current
    return solution


@dataclass(frozen=True)
class Cells:
    """What is certain about one row after placement."""

    placed: dict[int, int]   # column -> index of the printed number placed there
    blank: set[int]          # columns certainly empty
    unknown: set[int]        # columns that may or may not hold one of the unplaced numbers
    unplaced: list[int]      # indices of the printed numbers not placed


def certain_cells(n_values: int, n_columns: int, domain: list[Placement]) -> Cells:
    if not domain:  # more numbers than columns: nothing can be placed
        return Cells({}, set(), set(range(n_columns)), list(range(n_values)))
    placed: dict[int, int] = {}
    unplaced: list[int] = []
    for index in range(n_values):
        columns = {p[index] for p in domain}
        if len(columns) == 1:
            placed[columns.pop()] = index
        else:
            unplaced.append(index)
    used_somewhere = {column for p in domain for column in p}
    blank = set(range(n_columns)) - used_somewhere
    unknown = set(range(n_columns)) - blank - set(placed)
    return Cells(placed, blank, unknown, unplaced)
