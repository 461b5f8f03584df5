"""JSON Schema validators for the contract's schemas, `$ref`s resolved.

    schema_validator("Customer").validate(body)
    response_validator("/v1/customers/{customerId}", "delete").validate(body)

The whole OpenAPI document is registered as one resource, so `#/components/schemas/...` refs
inside any schema resolve against it. Validators check `format` (email) too.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CONTRACT = Path(__file__).with_name("flexportal-customers.openapi.yaml")
_URI = "urn:flexportal:customers-contract"


@functools.cache
def contract() -> dict[str, Any]:
    """The parsed OpenAPI document."""
    with CONTRACT.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


@functools.cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(contract(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_URI, resource)
    return registry


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return "/" + "/".join(escaped)


def _validator(pointer: str) -> Validator:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$ref": f"{_URI}#{pointer}"}
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def schema_validator(name: str) -> Validator:
    """A validator for `#/components/schemas/<name>` (Customer, CustomerList, Error, ...)."""
    if name not in contract()["components"]["schemas"]:
        raise KeyError(f"the contract has no schema {name!r}")
    return _validator(_pointer("components", "schemas", name))


def response_validator(path: str, method: str, status: int = 200) -> Validator:
    """A validator for the JSON body of one documented response, e.g. DELETE's inline 200."""
    operation = contract()["paths"][path][method.lower()]
    if str(status) not in operation["responses"]:
        raise KeyError(f"{method.upper()} {path} documents no {status} response")
    return _validator(_pointer("paths", path, method.lower(), "responses", str(status),
                               "content", "application/json", "schema"))


def schema_properties(name: str) -> frozenset[str]:
    """The property names a component schema lists (to spot undocumented extras)."""
    return frozenset(contract()["components"]["schemas"][name].get("properties", {}))
