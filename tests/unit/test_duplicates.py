"""Likely duplicates: the same email, phone or name and postal code, however written."""

from __future__ import annotations

from flexdesk.listing.duplicates import likely_duplicates
from tests.factories import make_customer


def test_shared_emails_phones_and_names_with_postal_codes_are_grouped() -> None:
    address = {"contactName": "A", "streetAddress": "B 1", "city": "Utrecht",
               "country": "Netherlands", "postalCode": "3511 AB"}
    customers = [
        make_customer(1, email="Jeroen.Jansen@ziggo.nl", phone="+31 6 8237 4041"),
        make_customer(2, email="jeroen.jansen@ziggo.nl", phone="06-82374041"),
        make_customer(3, firstName="Anna", lastName="Ólafsdóttir", lastBillingAddress=address),
        make_customer(4, firstName="anna", lastName="Olafsdottir",
                      lastBillingAddress={**address, "postalCode": "3511AB"}),
        make_customer(5, firstName="Anna", lastName="Ólafsdóttir"),  # another postal code
        make_customer(6, phone="ext. 1234"),  # too short to tell anyone apart: no group
        make_customer(7, phone="ext. 1234"),
    ]
    groups = {(g.reason, tuple(c.customer_id for c in g.customers))
              for g in likely_duplicates(customers)}
    assert groups == {
        ("same email", ("cust_0001", "cust_0002")),
        ("same phone", ("cust_0001", "cust_0002")),
        ("same name and postal code", ("cust_0003", "cust_0004")),
    }
