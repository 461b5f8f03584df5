"""Type-ahead for country fields: any part of a name, or an ISO code ("NL", "NLD").

The API stores country names, so a code is only a way to type one: the completer offers
names, and `country_for_code` turns a code left in the field into its name.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


@cache
def countries() -> tuple[tuple[str, str, str], ...]:
    """(name, alpha-2, alpha-3) for every ISO 3166-1 country, by name."""
    text = files("flexdesk.resources").joinpath("countries.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((name, alpha2, alpha3) for name, alpha2, alpha3 in rows)


@cache
def _by_code() -> dict[str, str]:
    return {code: name for name, *codes in countries() for code in codes}


def country_for_code(text: str) -> str | None:
    """The country name an ISO alpha-2 or alpha-3 code stands for, else None."""
    return _by_code().get(text.strip().upper())


class CountryCompleter(QCompleter):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        model = QStandardItemModel(self)
        for name, alpha2, alpha3 in countries():
            item = QStandardItem(name)
            item.setData(f"{name} {alpha2} {alpha3}", SEARCH_ROLE)
            model.appendRow(item)
        self.setModel(model)
        self.setCompletionRole(SEARCH_ROLE)  # match on names and codes ...
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(8)

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return str(index.data(Qt.ItemDataRole.DisplayRole))  # ... but insert only the name
