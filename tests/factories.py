"""Small, explicit customers for tests that need no server."""

from __future__ import annotations

from typing import Any

from flexdesk.api.models import Customer


def make_customer(number: int, **fields: Any) -> Customer:
    raw: dict[str, Any] = {
        "customerId": f"cust_{number:04d}",
        "tenantId": "t",
        "email": f"person{number}@example.com",
        "firstName": f"First{number}",
        "lastName": f"Last{number}",
        "customerType": "individual",
        "status": "active",
        "totalOrders": number % 7,
        "totalDevicesRented": number % 5,
        "totalMonthlyRevenue": number * 10.5,
        "orderIds": [],
        "rentalIds": [],
        "createdBy": "test",
        "updatedAt": 1_700_000_000 + number,
        # A Dutch address as the country's rules want it: a postal code is part of one.
        "lastBillingAddress": {"contactName": "A", "streetAddress": "B 1", "postalCode": "1011 AB",
                               "city": f"City{number % 3}", "country": "Netherlands"},
    }
    raw.update(fields)
    return Customer.model_validate(raw)
