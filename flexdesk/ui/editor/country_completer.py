"""Type-ahead for country fields: any part of a name, or an ISO code ("NL", "NLD").

The API stores country names, so a code is only a way to type one: the completer offers
names, best first (flexdesk.editing.countries.country_matches: "DE" lists Germany before
Denmark and Bangladesh), and the editor turns a code left in the field into its name.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from flexdesk.editing.countries import country_matches


class CountryCompleter(QCompleter):
    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self._offers = QStringListModel(self)
        self.setModel(self._offers)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(8)
        # A line edit emits textEdited before it asks its completer to complete, so the list
        # is ranked for the new text by then.
        edit.textEdited.connect(self._rank)

    def _rank(self, text: str) -> None:
        self._offers.setStringList([country.name for country in country_matches(text)])

    def splitPath(self, path: str) -> list[str]:  # noqa: N802
        # The list holds only what matches, in its order: nothing left for Qt to filter.
        return [""]
