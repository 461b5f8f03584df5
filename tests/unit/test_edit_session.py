"""The edit session: dirty set, validation and the PUT body, without a window or a network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flexdesk.api.errors import ValidationFailed
from flexdesk.api.models import Customer
from flexdesk.editing import (
    BILLING,
    CONTACT,
    FIELD_ORDER,
    LABELS,
    REQUIRED,
    SHIPPING,
    SHORT_LABELS,
    Change,
    EditSession,
    apply_body,
    normalise,
    paths_in,
    values_from_customer,
)

EDITING = Path(__file__).resolve().parents[2] / "flexdesk" / "editing"

BILLING_ADDRESS: dict[str, Any] = {
    "contactName": "Anne de Vries",
    "company": "Vries Techniek B.V.",
    "streetAddress": "Oudegracht 12",
    "buildingInfo": "2nd floor",
    "city": "Utrecht",
    "postalCode": "3511 AB",
    "country": "Netherlands",
}
SHIPPING_ADDRESS: dict[str, Any] = {
    "contactName": "Magazijn",
    "streetAddress": "Industrieweg 4",
    "postalCode": "3439 LM",
    "city": "Nieuwegein",
    "country": "Netherlands",
}
RECORD: dict[str, Any] = {
    "customerId": "cust_1",
    "tenantId": "t",
    "email": "anne@example.com",
    "firstName": "Anne",
    "lastName": "de Vries",
    "company": "Vries Techniek B.V.",
    "customerType": "business",
    "status": "active",
    "totalOrders": 3,
    "totalDevicesRented": 2,
    "totalMonthlyRevenue": 49.5,
    "orderIds": ["o1"],
    "rentalIds": ["r1"],
    "createdBy": "api",
    "lastBillingAddress": BILLING_ADDRESS,
    "lastShippingAddress": SHIPPING_ADDRESS,
}


def customer(**changes: Any) -> Customer:
    """The standard record with some wire fields replaced (None removes one)."""
    raw = {**RECORD, **changes}
    return Customer.model_validate({key: value for key, value in raw.items() if value is not None})


@pytest.fixture
def session() -> EditSession:
    return EditSession(customer())


# -- fields ---------------------------------------------------------------------------------


def test_field_order_is_the_documented_tab_order() -> None:
    address = [
        "contactName",
        "company",
        "streetAddress",
        "buildingInfo",
        "locality",
        "postalCode",
        "city",
        "adminArea",
        "country",
    ]
    expected = (
        "firstName",
        "lastName",
        "email",
        "phone",
        "company",
        "customerType",
        "status",
        *(f"billingAddress.{field}" for field in address),
        *(f"shippingAddress.{field}" for field in address),
    )
    assert expected == FIELD_ORDER


def test_every_path_has_a_label() -> None:
    assert set(LABELS) == set(SHORT_LABELS) == set(FIELD_ORDER)
    assert LABELS["firstName"] == "First name"
    assert LABELS["billingAddress.city"] == "Billing city"
    assert LABELS["shippingAddress.postalCode"] == "Shipping postal code"
    assert SHORT_LABELS["shippingAddress.postalCode"] == "Postal code"
    assert len(set(LABELS.values())) == len(FIELD_ORDER)


def test_groups_partition_the_fields() -> None:
    assert len(paths_in(CONTACT)) == 7
    assert paths_in(CONTACT) + paths_in(BILLING) + paths_in(SHIPPING) == FIELD_ORDER
    with pytest.raises(KeyError):
        paths_in("lastBillingAddress")


def test_values_use_write_names_and_wire_values() -> None:
    values = values_from_customer(customer(phone=None, lastShippingAddress=None))
    assert list(values) == list(FIELD_ORDER)
    assert values["customerType"] == "business"
    assert values["status"] == "active"
    assert values["phone"] == ""
    assert values["billingAddress.city"] == "Utrecht"
    assert values["billingAddress.locality"] == ""
    assert all(values[path] == "" for path in paths_in(SHIPPING))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, ""), ("", ""), ("  Anne\t", "Anne"), ("\u00a0Zoë\n", "Zoë"), ("a  b", "a  b")],
)
def test_normalise_strips_the_surroundings_only(raw: str | None, expected: str) -> None:
    assert normalise(raw) == expected


# -- the dirty set --------------------------------------------------------------------------


def test_a_freshly_opened_record_is_clean(session: EditSession) -> None:
    assert not session.is_dirty_any
    assert session.dirty_paths == ()
    assert session.edits == {}
    assert session.describe_changes() == []
    assert session.validate() == {}
    assert session.build_update().to_body() == {"customerId": "cust_1"}
    assert session.value("billingAddress.city") == session.original("billingAddress.city")


def test_a_change_makes_the_field_dirty(session: EditSession) -> None:
    assert session.set("firstName", "Annie") is True
    assert session.set("firstName", "Annie") is False
    assert session.is_dirty("firstName")
    assert not session.is_dirty("lastName")
    assert session.dirty_paths == ("firstName",)
    assert session.is_dirty_any
    assert session.value("firstName") == "Annie"
    assert session.original("firstName") == "Anne"


@pytest.mark.parametrize("typed", [" Anne", "Anne ", "\tAnne\n", "\u00a0Anne"])
def test_a_whitespace_only_change_is_clean(session: EditSession, typed: str) -> None:
    assert session.set("firstName", typed) is True  # the form still repaints the text
    assert not session.is_dirty("firstName")
    assert session.edits == {}


def test_typing_the_original_back_is_clean(session: EditSession) -> None:
    session.set("billingAddress.city", "Amsterdam")
    session.set("billingAddress.city", "Utrecht")
    assert not session.is_dirty_any


@pytest.mark.parametrize("path", ["phone", "billingAddress.locality", "shippingAddress.company"])
def test_an_empty_optional_field_equals_an_absent_one(session: EditSession, path: str) -> None:
    assert session.original(path) == ""
    session.set(path, "   ")
    assert not session.is_dirty(path)


def test_an_absent_address_stays_clean_when_left_empty() -> None:
    session = EditSession(customer(lastShippingAddress=None))
    session.set("shippingAddress.city", " ")
    assert session.dirty_count(SHIPPING) == 0
    assert "shippingAddress" not in session.build_update().to_body()


def test_dirty_counts_per_group(session: EditSession) -> None:
    session.set("phone", "+31 6 1234 5678")
    session.set("email", "anne@vries.nl")
    session.set("billingAddress.city", "Amsterdam")
    assert session.dirty_count(CONTACT) == 2
    assert session.dirty_count(BILLING) == 1
    assert session.dirty_count(SHIPPING) == 0
    with pytest.raises(KeyError):
        session.dirty_count("billing")


def test_revert_one_field(session: EditSession) -> None:
    session.set("firstName", "Annie")
    session.set("lastName", "Jansen")
    assert session.revert("firstName") is True
    assert session.revert("firstName") is False
    assert session.value("firstName") == "Anne"
    assert session.dirty_paths == ("lastName",)


def test_revert_all(session: EditSession) -> None:
    session.set("lastName", "Jansen")
    session.set("shippingAddress.city", "Zeist")
    session.set("firstName", " Anne ")  # clean, yet its text goes back to the original too
    assert session.revert_all() == ("firstName", "lastName", "shippingAddress.city")
    assert not session.is_dirty_any
    assert session.values == values_from_customer(customer())


def test_copy_billing_to_shipping(session: EditSession) -> None:
    session.set("billingAddress.city", "Amersfoort")
    changed = session.copy_address(BILLING, SHIPPING)
    assert changed == (
        "shippingAddress.contactName",
        "shippingAddress.company",
        "shippingAddress.streetAddress",
        "shippingAddress.buildingInfo",
        "shippingAddress.postalCode",
        "shippingAddress.city",
    )
    assert all(session.is_dirty(path) for path in changed)
    assert session.dirty_count(SHIPPING) == len(changed)
    assert session.value("shippingAddress.city") == "Amersfoort"
    assert session.copy_address(BILLING, SHIPPING) == ()
    with pytest.raises(ValueError, match="address group"):
        session.copy_address(CONTACT, SHIPPING)


def test_unknown_paths_are_a_programming_error(session: EditSession) -> None:
    for call in (
        lambda: session.set("lastBillingAddress.city", "x"),
        lambda: session.value("nickname"),
        lambda: session.is_dirty("billingAddress"),
    ):
        with pytest.raises(KeyError):
            call()
    with pytest.raises(KeyError):
        EditSession(customer(), {"middleName": "x"})


def test_describe_changes_in_tab_order(session: EditSession) -> None:
    session.set("shippingAddress.city", " Zeist ")
    session.set("phone", "+31 30 123 4567")
    assert session.describe_changes() == [
        Change("phone", "Phone", "", "+31 30 123 4567"),
        Change("shippingAddress.city", "Shipping city", "Nieuwegein", "Zeist"),
    ]


def test_a_draft_restores_through_edits(session: EditSession) -> None:
    session.set("lastName", "Jansen ")
    session.set("billingAddress.buildingInfo", "")
    session.set("email", " anne@example.com ")  # clean: not part of the draft
    draft = session.edits
    assert draft == {"lastName": "Jansen ", "billingAddress.buildingInfo": ""}
    restored = EditSession(customer(), draft)
    assert restored.values == session.values | {"email": "anne@example.com"}
    assert restored.dirty_paths == session.dirty_paths
    assert restored.build_update() == session.build_update()


# -- the body -------------------------------------------------------------------------------


def test_the_body_holds_only_the_changed_top_level_fields(session: EditSession) -> None:
    session.set("firstName", "  Annie ")
    session.set("customerType", "individual")
    session.set("email", "anne@example.com  ")  # whitespace only: not sent
    assert session.build_update().to_body() == {
        "customerId": "cust_1",
        "firstName": "Annie",
        "customerType": "individual",
    }


def test_email_and_status_are_sent_when_changed(session: EditSession) -> None:
    session.set("email", "anne@vries.nl")
    session.set("status", "inactive")
    assert session.build_update().to_body() == {
        "customerId": "cust_1",
        "email": "anne@vries.nl",
        "status": "inactive",
    }


@pytest.mark.parametrize("path", ["company", "phone"])
def test_a_cleared_optional_contact_field_is_sent_empty(path: str) -> None:
    session = EditSession(customer(phone="+31 6 0000 0000"))
    session.set(path, "  ")
    assert session.build_update().to_body() == {"customerId": "cust_1", path: ""}


def test_a_one_field_address_change_sends_the_whole_address(session: EditSession) -> None:
    session.set("billingAddress.city", "Amsterdam")
    body = session.build_update().to_body()
    assert body == {
        "customerId": "cust_1",
        "billingAddress": {**BILLING_ADDRESS, "city": "Amsterdam"},
    }
    assert "lastBillingAddress" not in body
    assert "shippingAddress" not in body


def test_a_new_address_is_sent_with_what_was_filled_in() -> None:
    session = EditSession(customer(lastShippingAddress=None))
    for field, value in SHIPPING_ADDRESS.items():
        session.set(f"shippingAddress.{field}", value)
    session.set("shippingAddress.locality", "")
    assert session.build_update().to_body() == {
        "customerId": "cust_1",
        "shippingAddress": SHIPPING_ADDRESS,
    }


def test_clearing_optional_address_fields_sends_them_cleared(session: EditSession) -> None:
    session.set("billingAddress.company", " ")
    session.set("billingAddress.country", "Ireland")  # where a postal code is optional
    session.set("billingAddress.postalCode", "")
    address = session.build_update().to_body()["billingAddress"]
    assert address["company"] == ""
    assert address["postalCode"] is None  # the one nullable address field
    assert "locality" not in address  # empty before and after: nothing to say
    assert address["buildingInfo"] == "2nd floor"


def test_copying_an_address_sends_the_target_whole(session: EditSession) -> None:
    session.copy_address(BILLING, SHIPPING)
    assert session.build_update().to_body() == {
        "customerId": "cust_1",
        "shippingAddress": BILLING_ADDRESS,
    }


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "typed", "message"),
    [
        ("firstName", "  ", REQUIRED),
        ("lastName", "", REQUIRED),
        ("email", "anne(at)example.com", "Not a valid email address"),
        ("email", "anne @example.com", "Not a valid email address"),
        ("email", "", REQUIRED),
        ("customerType", "Business", "Choose individual or business"),
        ("status", "deleted", "Choose active or inactive"),
    ],
)
def test_invalid_contact_fields_are_named(
    session: EditSession, path: str, typed: str, message: str
) -> None:
    session.set(path, typed)
    assert session.validate() == {path: message}
    with pytest.raises(ValidationFailed) as refused:
        session.build_update()
    assert refused.value.field_errors == {path: message}
    assert refused.value.status is None  # the server was never asked
    assert LABELS[path] in refused.value.message


def test_a_dirty_address_needs_its_required_fields(session: EditSession) -> None:
    session.set("billingAddress.city", "")
    session.set("billingAddress.contactName", " ")
    session.set("phone", "+31 30 000 0000")
    with pytest.raises(ValidationFailed) as refused:
        session.build_update()
    assert refused.value.field_errors == {
        "billingAddress.contactName": REQUIRED,
        "billingAddress.city": REQUIRED,
    }


def test_starting_a_new_address_requires_the_rest_of_it() -> None:
    session = EditSession(customer(lastShippingAddress=None))
    session.set("shippingAddress.city", "Zeist")
    assert session.validate() == {
        "shippingAddress.contactName": REQUIRED,
        "shippingAddress.streetAddress": REQUIRED,
        "shippingAddress.country": REQUIRED,
    }


def test_untouched_invalid_server_data_does_not_block_a_save() -> None:
    broken_shipping = {**SHIPPING_ADDRESS, "contactName": "", "city": " "}
    session = EditSession(
        customer(email="anne at example", lastName="", lastShippingAddress=broken_shipping)
    )
    session.set("phone", "+31 30 000 0000")
    assert session.build_update().to_body() == {"customerId": "cust_1", "phone": "+31 30 000 0000"}
    # Touch the broken address and it must be made whole before it can be sent.
    session.set("shippingAddress.country", "Belgium")
    assert session.validate() == {
        "shippingAddress.contactName": REQUIRED,
        "shippingAddress.postalCode": "Not a postal code in Belgium — e.g. 4000",
        "shippingAddress.city": REQUIRED,
    }


# -- the server's side ----------------------------------------------------------------------


def test_apply_body_replaces_whole_addresses() -> None:
    values = values_from_customer(customer())
    after = apply_body(
        values,
        {
            "customerId": "cust_1",
            "phone": "+31",
            "billingAddress": {
                "contactName": "A",
                "streetAddress": "S",
                "city": "C",
                "country": "NL",
                "postalCode": None,
            },
        },
    )
    assert after["phone"] == "+31"
    assert after["billingAddress.city"] == "C"
    assert after["billingAddress.company"] == ""  # absent from the body: gone
    assert after["billingAddress.postalCode"] == ""
    assert after["shippingAddress.city"] == "Nieuwegein"
    assert after["firstName"] == "Anne"


def test_rebase_after_a_save_leaves_the_record_clean(session: EditSession) -> None:
    session.set("lastName", " Jansen")
    session.set("billingAddress.city", "Amsterdam")
    sent = session.edits
    body = session.build_update().to_body()
    answer = customer(lastName="Jansen", lastBillingAddress=body["billingAddress"])
    assert session.rebase(answer, sent) == ()
    assert not session.is_dirty_any
    assert session.base is answer
    assert session.value("lastName") == "Jansen"  # the server's version of it


def test_rebase_keeps_an_edit_made_during_the_save(session: EditSession) -> None:
    session.set("lastName", "Jansen")
    sent = session.edits
    session.build_update()
    session.set("lastName", "Jansen-Bakker")  # typed while the PUT was on its way
    session.set("phone", "+31 6")  # a new field touched meanwhile
    assert session.rebase(customer(lastName="Jansen"), sent) == ()
    assert session.dirty_paths == ("lastName", "phone")
    assert session.original("lastName") == "Jansen"
    assert session.build_update().to_body() == {
        "customerId": "cust_1",
        "lastName": "Jansen-Bakker",
        "phone": "+31 6",
    }


def test_rebase_keeps_an_edit_typed_back_to_the_old_value_during_the_save(
    session: EditSession,
) -> None:
    session.set("firstName", "Annie")
    sent = session.edits
    session.set("firstName", "Anne")  # changed their mind while saving
    session.rebase(customer(firstName="Annie"), sent)
    assert session.edits == {"firstName": "Anne"}


def test_a_refresh_keeps_edits_and_follows_the_server_elsewhere(session: EditSession) -> None:
    session.set("phone", "+31 6 1")
    session.set("firstName", "Annie")
    session.set("billingAddress.city", "Amsterdam")
    fresher = customer(
        firstName="Annie",  # a colleague made the same change: nothing left to send
        email="anne@vries.nl",
        phone="+31 6 2",  # a colleague's different change under our edit
        lastBillingAddress={**BILLING_ADDRESS, "streetAddress": "Domplein 1"},
    )
    assert session.rebase(fresher) == ("phone",)
    assert session.dirty_paths == ("phone", "billingAddress.city")
    assert session.value("email") == "anne@vries.nl"
    assert session.value("billingAddress.streetAddress") == "Domplein 1"
    assert session.original("phone") == "+31 6 2"


def test_rebase_refuses_another_customer(session: EditSession) -> None:
    with pytest.raises(ValueError, match="cust_2"):
        session.rebase(customer(customerId="cust_2"))


def test_conflicts_cover_every_field_of_an_address_that_goes_whole(
    session: EditSession,
) -> None:
    session.set("billingAddress.city", "Amsterdam")
    session.set("lastName", "Jansen")
    server_now = customer(
        lastName="Jansen",  # the same change: no conflict
        email="anne@vries.nl",  # not something we send: no conflict
        lastBillingAddress={**BILLING_ADDRESS, "streetAddress": "Domplein 1"},
    )
    # Sending billing whole would put the old street back over the colleague's new one.
    assert session.conflicts(server_now) == ("billingAddress.streetAddress",)
    assert session.conflicts(customer()) == ()


def test_a_value_past_the_length_limit_is_refused_at_its_field_not_cut(
    session: EditSession,
) -> None:
    session.set("phone", "1" * 201)
    session.set("billingAddress.city", "C" * 250)
    assert session.validate() == {
        "phone": "Too long: 201 characters, at most 200",
        "billingAddress.city": "Too long: 250 characters, at most 200",
    }
    with pytest.raises(ValidationFailed):
        session.build_update()
    assert session.value("phone") == "1" * 201
    session.set("phone", "1" * 200)
    assert "phone" not in session.validate()
