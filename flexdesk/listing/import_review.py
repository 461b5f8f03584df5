"""What importing a file would do, row by row, before anything is sent.

Each row finds its customer by the key column and is compared with the customer as flexdesk
holds it now (the record the save will be checked against). A row is a *change* (the fields
that differ, old -> new), *no change* (nothing to send), an *error* (a value the form would
refuse, said per field, or a row that cannot be matched), or an *unknown customer*. Values are
judged exactly as the form judges them (`editing.validation`): a changed contact field alone,
a changed address whole, because it is sent whole.

A column that is present with an empty cell empties its field (an error for a required one);
a column that is absent leaves its field alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from flexdesk.api.models import Customer, CustomerStatus, CustomerType
from flexdesk.editing.countries import country_named
from flexdesk.editing.fields import (
    CONTACT,
    FIELD_ORDER,
    LABELS,
    group_of,
    normalise,
    split_path,
    values_from_customer,
)
from flexdesk.editing.validation import problems
from flexdesk.listing.import_columns import ID, Columns
from flexdesk.listing.sheet_reading import Sheet

__all__ = ["CustomerNotFound", "FieldChange", "ImportReview", "ReviewedRow", "RowState",
           "review_sheet"]

_CHOICES = {"customerType": {kind.value for kind in CustomerType},
            "status": {status.value for status in CustomerStatus}}
HAS_DRAFT = ("has edits in flexdesk that are not sent yet: send or discard them first, "
             "then import again")


class CustomerNotFound(Exception):
    """A row's customer could not be looked up; the message says why, for the row."""


class RowState(StrEnum):
    CHANGE = "change"
    NO_CHANGE = "no change"
    ERROR = "error"
    UNKNOWN = "unknown customer"


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return LABELS[self.path]


@dataclass(frozen=True)
class ReviewedRow:
    line: int  # the row's number in the file (the header is row 1)
    key: str  # its customerId or email, as the file has it
    state: RowState
    cells: tuple[str, ...]  # the row as read, for a file of the rejected rows
    customer: Customer | None = None
    changes: tuple[FieldChange, ...] = ()
    problems: tuple[tuple[str, str], ...] = ()  # (what, why): a field's label, or "Row"

    @property
    def name(self) -> str:
        """Who the row is about, for people: the customer's name, else what the file says."""
        if self.customer is not None:
            return self.customer.display_name or self.customer.email
        return self.key or f"row {self.line}"

    @property
    def reason(self) -> str:
        """Why an error or unknown row is not sent."""
        return "; ".join(f"{what}: {why}" if what else why for what, why in self.problems)

    @property
    def edits(self) -> dict[str, str]:
        """The draft's edits: each changed path to its new value."""
        return {change.path: change.new for change in self.changes}


@dataclass(frozen=True)
class ImportReview:
    file_name: str
    columns: Columns
    headers: tuple[str, ...]
    rows: tuple[ReviewedRow, ...]

    def count(self, state: RowState) -> int:
        return self._counts[state]

    @property
    def _counts(self) -> Counter[RowState]:
        return Counter(row.state for row in self.rows)

    def to_send(self) -> list[ReviewedRow]:
        return [row for row in self.rows if row.state is RowState.CHANGE]

    def rejected(self) -> list[ReviewedRow]:
        return [row for row in self.rows if row.state in (RowState.ERROR, RowState.UNKNOWN)]


def row_keys(sheet: Sheet, columns: Columns) -> list[str]:
    """Each row's key as written (an email compared in any letter case)."""
    return [row[columns.key_index].strip() for row in sheet.rows]


def review_sheet(sheet: Sheet, file_name: str, columns: Columns,
                 find: Callable[[str], Customer | CustomerNotFound | None],
                 has_draft: Callable[[str], bool] = lambda _id: False) -> ImportReview:
    """Review every row. `find(key)` is the customer the key names as flexdesk holds it now
    (None: the server does not know it; CustomerNotFound: it could not be asked);
    `has_draft(customer_id)`: whether edits of the user's own wait to be sent, which an
    import must not overwrite."""
    seen: dict[str, int] = {}
    reviewed = []
    for number, (cells, key) in enumerate(zip(sheet.rows, row_keys(sheet, columns),
                                              strict=True)):
        line = sheet.first_line + number
        if not any(cell.strip() for cell in cells):
            continue
        what = "Customer ID" if columns.key == ID else "Email"
        if not key:
            reviewed.append(ReviewedRow(line, key, RowState.ERROR, cells,
                                        problems=((what, "empty: the row names no customer"),)))
            continue
        folded = key.casefold()
        if folded in seen:
            reviewed.append(ReviewedRow(line, key, RowState.ERROR, cells, problems=(
                ("", f"also in row {seen[folded]}: one row per customer"),)))
            continue
        seen[folded] = line
        customer = find(key)
        if isinstance(customer, CustomerNotFound):
            reviewed.append(ReviewedRow(line, key, RowState.ERROR, cells,
                                        problems=(("", str(customer)),)))
            continue
        if customer is None:
            why = (f"no customer has the ID {key}" if columns.key == ID
                   else f"no customer has the email {key}")
            reviewed.append(ReviewedRow(line, key, RowState.UNKNOWN, cells, problems=(("", why),)))
            continue
        reviewed.append(_review_row(line, key, cells, columns, customer,
                                    has_draft=has_draft(customer.customer_id)))
    return ImportReview(file_name, columns, sheet.headers, tuple(reviewed))


def _review_row(line: int, key: str, cells: tuple[str, ...], columns: Columns,
                customer: Customer, *, has_draft: bool) -> ReviewedRow:
    now = values_from_customer(customer)
    wanted = {path: _as_sent(path, cells[index]) for index, path in columns.fields}
    changes = tuple(FieldChange(path, now[path], wanted[path]) for path in FIELD_ORDER
                    if path in wanted and _differs(path, now[path], wanted[path]))
    if not changes:
        return ReviewedRow(line, key, RowState.NO_CHANGE, cells, customer)
    found = _problems({**now, **wanted}, changes)
    if has_draft:
        found = (("", HAS_DRAFT), *found)
    state = RowState.ERROR if found else RowState.CHANGE
    return ReviewedRow(line, key, state, cells, customer, changes, found)


def _differs(path: str, old: str, new: str) -> bool:
    if path == "email":  # one mailbox however it is cased (a spreadsheet capitalises cells)
        return new.casefold() != normalise(old).casefold()
    return new != normalise(old)


def _as_sent(path: str, cell: str) -> str:
    """A cell's value as the form would send it: trimmed, a choice in the API's spelling,
    a country by the name the API holds ("de", "DEU" and "germany" are "Germany")."""
    value = normalise(cell)
    field = split_path(path)[1]
    if path in _CHOICES and value.casefold() in _CHOICES[path]:
        return value.casefold()
    if field == "country" and value and (country := country_named(value)) is not None:
        return country.name
    return value


def _problems(values: Mapping[str, str], changes: tuple[FieldChange, ...]
              ) -> tuple[tuple[str, str], ...]:
    paths = [change.path for change in changes]
    contact = [path for path in paths if group_of(path) == CONTACT]
    groups = sorted({group_of(path) for path in paths} - {CONTACT})
    found = problems(values, contact, groups)
    return tuple((LABELS[path], message) for path, message in found.items())
