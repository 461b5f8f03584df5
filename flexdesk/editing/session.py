"""`EditSession`: one customer being edited, without any widget.

The session keeps two things: the *base* (the record as the server last gave it) and the
values in the form. A field is dirty when its normalised value differs from the base's, so
whitespace alone never makes a change and typing the original back undoes one. Everything the
editor, the draft store and the sync step need follows from that: the dirty set, the review
list, validation and the PUT body that holds only what changed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from flexdesk.api.errors import ValidationFailed
from flexdesk.api.models import Customer, CustomerUpdate

from .body import address_body, apply_body
from .fields import (
    ADDRESS_FIELDS,
    ADDRESS_GROUPS,
    CONTACT,
    CONTACT_FIELDS,
    FIELD_ORDER,
    LABELS,
    address_path,
    customer_with,
    group_of,
    normalise,
    paths_in,
    values_from_customer,
)
from .validation import problems

__all__ = ["Change", "EditSession", "apply_body"]


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the "Review changes" list: normalised old and new values."""

    path: str
    label: str
    old: str
    new: str


class EditSession:
    """The base record, the edited values, and what follows from comparing them.

    `edits` restores a draft: the paths and raw values a previous session's `edits` gave.
    Unknown paths raise KeyError, in the constructor as in `set`, so a stale draft is noticed
    rather than silently losing what the user typed.
    """

    def __init__(self, base: Customer, edits: Mapping[str, str] | None = None) -> None:
        self._base = base
        self._base_values = values_from_customer(base)
        self._values = dict(self._base_values)
        # Kept up to date by every write: the form asks for dirtiness on each keystroke and
        # the outbox several times per save, so it is not worked out anew each time.
        self._base_normal = {path: normalise(value) for path, value in self._base_values.items()}
        self._dirty: set[str] = set()
        for path, value in (edits or {}).items():
            self.set(path, value)

    # -- the record ---------------------------------------------------------------------

    @property
    def base(self) -> Customer:
        """The customer as the server last gave it."""
        return self._base

    @property
    def customer_id(self) -> str:
        return self._base.customer_id

    @property
    def values(self) -> dict[str, str]:
        """Every path to its current raw value (a copy)."""
        return dict(self._values)

    @property
    def base_values(self) -> dict[str, str]:
        """Every path to the base's value (a copy): `values_from_customer(base)`."""
        return dict(self._base_values)

    def value(self, path: str) -> str:
        """The current raw value, as typed."""
        return self._values[self._known(path)]

    def original(self, path: str) -> str:
        """The base value, as the server sent it."""
        return self._base_values[self._known(path)]

    # -- editing ------------------------------------------------------------------------

    def set(self, path: str, value: str) -> bool:
        """Store a typed value; True when anything changed (so the form repaints)."""
        if self._values[self._known(path)] == value:
            return False
        self._values[path] = value
        self._mark(path)
        return True

    def revert(self, path: str) -> bool:
        """Put the base value back; True when that changed anything."""
        return self.set(path, self.original(path))

    def revert_all(self) -> tuple[str, ...]:
        """Put every base value back; the paths whose value changed."""
        return tuple(path for path in FIELD_ORDER if self.revert(path))

    def copy_address(self, source_group: str, target_group: str) -> tuple[str, ...]:
        """The "same as billing" button: the target's fields take the source's current values.

        Returns the paths whose value changed, so the form knows what to repaint.
        """
        if source_group not in ADDRESS_GROUPS or target_group not in ADDRESS_GROUPS:
            raise ValueError(f"not an address group: {source_group!r} -> {target_group!r}")
        changed = []
        for field in ADDRESS_FIELDS:
            target = address_path(target_group, field)
            if self.set(target, self._values[address_path(source_group, field)]):
                changed.append(target)
        return tuple(changed)

    # -- the dirty set ------------------------------------------------------------------

    def is_dirty(self, path: str) -> bool:
        return self._known(path) in self._dirty

    @property
    def dirty_paths(self) -> tuple[str, ...]:
        """The changed paths, in tab order."""
        dirty = self._dirty
        return tuple(path for path in FIELD_ORDER if path in dirty)

    def dirty_count(self, group: str) -> int:
        """How many fields of CONTACT, BILLING or SHIPPING changed (for the group's badge)."""
        return sum(1 for path in paths_in(group) if path in self._dirty)

    @property
    def is_dirty_any(self) -> bool:
        return bool(self._dirty)

    def _mark(self, path: str) -> None:
        """Bring the dirty set up to date for `path` after its value or its base moved."""
        if normalise(self._values[path]) != self._base_normal[path]:
            self._dirty.add(path)
        else:
            self._dirty.discard(path)

    @property
    def edits(self) -> dict[str, str]:
        """The dirty paths and their raw values: what a draft store keeps."""
        return {path: self._values[path] for path in self.dirty_paths}

    @property
    def sent_paths(self) -> tuple[str, ...]:
        """The paths whose values a save would send: dirty contact fields, whole addresses.

        A conflict check must look at all of these, not only the dirty ones: sending a whole
        address also writes back the fields of it that nobody here touched.
        """
        dirty = self._dirty
        whole = self._dirty_addresses()
        return tuple(path for path in FIELD_ORDER if path in dirty or group_of(path) in whole)

    def describe_changes(self) -> list[Change]:
        """The changes for a "Review changes" view, in tab order."""
        return [
            Change(path, LABELS[path], normalise(self.original(path)), normalise(self.value(path)))
            for path in self.dirty_paths
        ]

    # -- the server's side --------------------------------------------------------------

    def conflicts(self, server_now: Customer) -> tuple[str, ...]:
        """The paths a save would overwrite although someone changed them since our base.

        There is no optimistic locking in the API (API.md trap 9), so before sending, compare
        the server's current record with the base the edits started from. A path conflicts when
        the server moved away from the base to something other than what we would send.
        """
        now = values_from_customer(server_now)
        return tuple(
            path
            for path in self.sent_paths
            if normalise(now[path])
            not in {normalise(self._base_values[path]), normalise(self._values[path])}
        )

    def rebase(self, new_base: Customer, sent: Mapping[str, str] | None = None, *,
               keep_base_for: Collection[str] = ()) -> tuple[str, ...]:
        """Adopt a newer server record as the base.

        After a save, `sent` holds the values captured when the body was built (the session's
        `edits` or `values` then). A sent field whose value is still what was sent was delivered,
        so it takes the server's answer and is clean; one edited again during the save keeps
        its new value and stays dirty against the new base. Without `sent` (a refresh), pending
        edits are kept and every untouched field follows the server.

        `keep_base_for` names edited fields whose conflict the user has not settled yet: they
        keep the value they started from as their base, so the next save's three-way check
        finds the colleague's change again instead of overwriting it unseen.

        Returns the kept edits whose base moved under them to something other than expected,
        i.e. where a colleague's change and ours meet, so the editor can point them out.
        """
        if new_base.customer_id != self.customer_id:
            raise ValueError(f"cannot rebase {self.customer_id!r} on {new_base.customer_id!r}")
        old_base = self._base_values
        unsettled = {path: old_base[self._known(path)] for path in keep_base_for
                     if self.is_dirty(path)}
        new_base = customer_with(new_base, unsettled)
        new_values = values_from_customer(new_base)
        conflicts = []
        for path in FIELD_ORDER:
            current = normalise(self._values[path])
            reference = sent[path] if sent is not None and path in sent else old_base[path]
            if current == normalise(reference):
                self._values[path] = new_values[path]
            elif normalise(new_values[path]) not in {normalise(reference), current}:
                conflicts.append(path)
        self._base = new_base
        self._base_values = new_values
        self._base_normal = {path: normalise(value) for path, value in new_values.items()}
        for path in FIELD_ORDER:
            self._mark(path)
        return tuple(conflicts)

    # -- saving -------------------------------------------------------------------------

    def validate(self) -> dict[str, str]:
        """Problems of what a save would send, path -> short message for under the field.

        Only dirty contact fields and addresses with a dirty field are checked: bad data the
        server holds in an untouched field must not block saving an unrelated change.
        """
        dirty_contact = [path for path in self.dirty_paths if group_of(path) == CONTACT]
        return problems(self._values, dirty_contact, self._dirty_addresses())

    def build_update(self) -> CustomerUpdate:
        """The PUT body: `customerId`, the dirty contact fields, each changed address whole.

        Raises ValidationFailed (status None: the server was not asked) naming every problem.
        """
        errors = self.validate()
        if errors:
            raise _refusal(errors)
        body: dict[str, Any] = {"customerId": self.customer_id}
        for field in CONTACT_FIELDS:
            if self.is_dirty(field):
                body[field] = normalise(self._values[field])
        for group in self._dirty_addresses():
            body[group] = address_body(group, self._values, self._base_values)
        try:
            return CustomerUpdate.model_validate(body)
        except ValidationError as error:  # a rule validate() does not know about yet
            found = {".".join(str(part) for part in e["loc"]): e["msg"] for e in error.errors()}
            raise _refusal(found) from error

    def _dirty_addresses(self) -> tuple[str, ...]:
        """The address groups with a dirty field: those a save sends whole."""
        return tuple(group for group in ADDRESS_GROUPS
                     if any(group_of(path) == group for path in self._dirty))

    def _known(self, path: str) -> str:
        if path not in self._base_values:
            raise KeyError(f"unknown field path: {path!r}")
        return path


def _refusal(errors: Mapping[str, str]) -> ValidationFailed:
    names = ", ".join(LABELS.get(path, path) for path in errors)
    return ValidationFailed(f"Cannot save yet: check {names}.", status=None, field_errors=errors)
