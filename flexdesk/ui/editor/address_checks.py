"""Country rules at the address fields, as the user goes.

Leaving an address field shows what is wrong with the address at the fields the user has
reached (the one left, and those with a value: a postal code judged anew for a new country);
a field nobody reached yet says nothing until Save. Every change re-judges the address and
takes back what no longer applies, never adding a message while the user types. The labels
follow the country ("ZIP code *", "State *"); a postal code written otherwise than the country
writes it gets an offer ("Use 1012 JS"), never a silent rewrite.

Only an address with a change is judged: a record the server holds with a country outside
the list is shown as it is until the user edits that address. The rules are
flexdesk.editing's (`address_check`), the same ones Save, the import and the sandbox apply.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLineEdit

from flexdesk.editing import ADDRESS_GROUPS, country_terms
from flexdesk.editing.countries import country_named
from flexdesk.editing.fields import address_path, group_of, normalise, paths_in
from flexdesk.editing.validation import address_check

if TYPE_CHECKING:
    from flexdesk.ui.editor.customer_editor import CustomerEditor


class AddressChecks(QObject):
    def __init__(self, editor: CustomerEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._panels = {panel.group: panel for panel in editor.form.addresses.panels}
        for group in ADDRESS_GROUPS:
            for path in paths_in(group):
                row = editor.rows[path]
                widget = row.widget
                assert isinstance(widget, QLineEdit)
                if path.endswith(".country"):
                    # Before field_left: the address is judged with the name, not the code.
                    widget.editingFinished.connect(partial(self._name_the_country, path, widget))
                widget.editingFinished.connect(partial(self.field_left, path))
                row.offer_taken.connect(self._take)

    def _name_the_country(self, path: str, edit: QLineEdit) -> None:
        """A code or a name in other letters, typed and left: the country's name ("DE" and
        "germany" become Germany). A value from the server the user did not touch stays."""
        if not edit.isModified():
            return
        found = country_named(edit.text())
        if found is not None and found.name != edit.text():
            self._editor.set_many("name the country", {path: found.name})

    def _take(self, path: str, value: str) -> None:
        self._editor.set_many(f"write it {value}", {path: value})

    def _judged(self, group: str) -> bool:
        session = self._editor.session
        return session is not None and session.dirty_count(group) > 0

    def field_left(self, path: str) -> None:
        """Show what is wrong with the address at the fields the user has reached."""
        group = group_of(path)
        session = self._editor.session
        if session is None or not self._judged(group):
            return
        check = address_check(group, session.values)
        for each in paths_in(group):
            row = self._editor.rows[each]
            problem = check.problems.get(each)
            if problem is None or each == path or row.error.isVisible() \
                    or normalise(session.value(each)):
                row.set_error(problem)
            row.show_offer(check.offers.get(each))

    def value_set(self, path: str) -> None:
        """After any change of a value: the country's words, and what no longer applies."""
        group = group_of(path)
        if group not in self._panels:
            return
        session = self._editor.session
        if path.endswith(".country"):
            self.show_terms(group)
        if session is None:
            return
        if not self._judged(group):  # reverted whole: the address is as the server has it
            for each in paths_in(group):
                if each != path:
                    self._editor.rows[each].set_error(None)
                self._editor.rows[each].show_offer(None)
            return
        check = address_check(group, session.values)
        for each in paths_in(group):
            row = self._editor.rows[each]
            if each != path and row.error.isVisible():
                row.set_error(check.problems.get(each))
            if row.offer.isVisible() and check.offers.get(each) != row.offer_value:
                row.show_offer(None)

    def show_terms(self, group: str | None = None) -> None:
        """Labels in the words of each address's country (of one group, or both)."""
        session = self._editor.session
        for each in (group,) if group else ADDRESS_GROUPS:
            country = session.value(address_path(each, "country")) if session else ""
            self._panels[each].show_terms(country_terms(normalise(country)))

    def clear(self) -> None:
        """Another record: no offers from the last one."""
        for row in self._editor.rows.values():
            row.show_offer(None)
