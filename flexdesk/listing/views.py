"""Saved views: a name for a combination of filters, search text, sort and columns that an
account manager works in all day ("Dutch businesses with active rentals"). Kept per profile,
as JSON, by names (status, type and column names), so a later version reads them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from flexdesk.api.kinds import CustomerType
from flexdesk.listing.layout import ColumnLayout
from flexdesk.listing.paging import ListScope, StatusScope

__all__ = ["MAX_VIEWS", "SavedView", "views_from_json", "views_to_json"]

MAX_VIEWS = 9  # Ctrl+1 ... Ctrl+9


@dataclass(frozen=True)
class SavedView:
    name: str
    status: str = StatusScope.ACTIVE.name
    customer_type: str | None = None
    search: str = ""
    columns: str = ""  # a ColumnLayout as JSON ("" : the default)

    @classmethod
    def of(cls, name: str, scope: ListScope, search: str, layout: ColumnLayout) -> SavedView:
        kind = scope.customer_type.name if scope.customer_type is not None else None
        return cls(name.strip(), scope.status.name, kind, search, layout.to_json())

    def scope(self) -> ListScope:
        status = StatusScope.__members__.get(self.status, StatusScope.ACTIVE)
        kind = CustomerType.__members__.get(self.customer_type or "")
        return ListScope(status, kind)

    def layout(self) -> ColumnLayout:
        return ColumnLayout.from_json(self.columns) if self.columns else ColumnLayout()


def views_to_json(views: list[SavedView]) -> str:
    return json.dumps([asdict(view) for view in views], ensure_ascii=False)


def views_from_json(text: str) -> list[SavedView]:
    """The views saved as `text`, those that can be read (an unreadable one is skipped)."""
    try:
        saved = json.loads(text)
    except ValueError:
        return []
    views: list[SavedView] = []
    for entry in saved if isinstance(saved, list) else []:
        try:
            view = SavedView(**entry)
        except TypeError:
            continue
        if isinstance(view.name, str) and view.name.strip():
            views.append(view)
    return views[:MAX_VIEWS]
