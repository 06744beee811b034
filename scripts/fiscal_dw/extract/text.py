"""Small text helpers shared by the extractors: what counts as an amount, a code, a label."""
from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

_WHITESPACE = re.compile(r"[\s\u3000]+")
# Printed amounts: "15,244.45", "0.00", "377.5", "-1.20". A bare integer is not taken as an
# amount here, because 行次 and column numbers are bare integers too.
_DECIMAL_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$")
_GROUPED_INTEGER = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_INTEGER = re.compile(r"^\d+$")
_FUNCTION_CODE = re.compile(r"^\d{3}(\d{2}(\d{2})?)?$")
_ECONOMIC_CODE = re.compile(r"^\d{3}(\d{2})?$")
# A document part's heading (第三部分 …), whitespace removed; group 1 is the numeral.
PART_HEADING = re.compile(r"^第([一二三四五六七八九十]+)部分")


@lru_cache(maxsize=1 << 16)
def squeeze(text: str) -> str:
    """Remove every kind of whitespace (wrap spaces, letter-spacing, U+3000 indents).
    Cached: every extractor squeezes every line of a document while looking for its tables."""
    return _WHITESPACE.sub("", text)


def is_decimal_amount(token: str) -> bool:
    return bool(_DECIMAL_AMOUNT.match(token) or _GROUPED_INTEGER.match(token))


def is_integer(token: str) -> bool:
    return bool(_INTEGER.match(token))


def is_function_code(token: str) -> bool:
    return bool(_FUNCTION_CODE.match(token))


def is_economic_code(token: str) -> bool:
    return bool(_ECONOMIC_CODE.match(token))


def is_total_label(token: str) -> bool:
    """合计 / 总计 rows ("合 计" letter-spaced in some layouts)."""
    return squeeze(token) in {"合计", "总计"}


def column_role(label: str, roles: Sequence[tuple[tuple[str, ...], str]]) -> str | None:
    """What a header column holds: the role of the first ``(markers, role)`` pair one of
    whose markers the label (whitespace removed) contains; None when none does."""
    text = squeeze(label)
    return next((role for markers, role in roles if any(marker in text for marker in markers)), None)


def column_roles(labels: Sequence[str], roles: Sequence[tuple[tuple[str, ...], str]]) -> list[str | None]:
    """``column_role`` per column; a role already taken by a column to the left is not given
    twice (its cells are then rejected rather than overwriting the first column's)."""
    found: list[str | None] = []
    for label in labels:
        role = column_role(label, roles)
        found.append(None if role in found else role)
    return found


def to_decimal(printed: str) -> Decimal | None:
    """Printed amount text to Decimal; blank is None (the caller decides what blank means)."""
    cleaned = squeeze(printed).replace(",", "")
    if not cleaned:
        return None
    return Decimal(cleaned)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round as the documents do (9.975 -> 9.98); float round() would give 9.97."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
