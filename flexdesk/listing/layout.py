"""How the list's columns are laid out, by column name: saved with the window and in views.

Qt's own header state is a blob of positions by column number, which a new column (or one
taken away) would scramble. This names each column, so a layout saved by one version is
read by the next whatever columns it added: a column the layout does not know comes after
the ones it names, shown or hidden as by default, and one it names that no longer exists is
ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flexdesk.listing.columns import DEFAULT_ORDER, SHOWN_BY_DEFAULT, Column

__all__ = ["ColumnLayout", "ColumnState"]

_BY_KEY = {column.key: column for column in Column}


@dataclass(frozen=True)
class ColumnState:
    column: Column
    width: int | None = None  # None: as wide as its first rows need
    hidden: bool = False


@dataclass(frozen=True)
class ColumnLayout:
    """The columns in their visual order, and the column sorted by (None: the copy's order)."""

    columns: tuple[ColumnState, ...] = field(default_factory=lambda: tuple(
        ColumnState(c, hidden=c not in SHOWN_BY_DEFAULT) for c in DEFAULT_ORDER))
    sort: Column | None = None
    descending: bool = False

    def shown(self) -> list[Column]:
        return [state.column for state in self.columns if not state.hidden]

    def to_json(self) -> str:
        return json.dumps({
            "columns": [{"name": s.column.key, "width": s.width, "hidden": s.hidden}
                        for s in self.columns],
            "sort": self.sort.key if self.sort is not None else None,
            "descending": self.descending,
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ColumnLayout:
        """The layout saved as `text`; the default for anything it lacks or cannot say."""
        try:
            saved = json.loads(text)
            named = [(_BY_KEY[entry["name"]], entry) for entry in saved["columns"]
                     if entry.get("name") in _BY_KEY]
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()
        states = [ColumnState(column, entry.get("width") if isinstance(entry.get("width"), int)
                              else None, bool(entry.get("hidden"))) for column, entry in named]
        known = {state.column for state in states}
        # Columns this layout never heard of (added since it was saved) come after the ones it
        # names, shown or hidden as by default; the draft marker is always first.
        states += [ColumnState(column, hidden=column not in SHOWN_BY_DEFAULT)
                   for column in DEFAULT_ORDER if column not in known]
        states.sort(key=lambda state: state.column is not Column.DRAFT)
        sort = _BY_KEY.get(saved.get("sort")) if isinstance(saved.get("sort"), str) else None
        return cls(tuple(states), sort, bool(saved.get("descending")))
