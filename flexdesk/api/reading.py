"""Reading an answer's body into models: strictly first, then salvaging what can be read.

The strict parse is the fast one and nearly always succeeds. Only when it fails is the body
read again as plain JSON: a customer keeps every field it can (`salvage_customer`), and a page
keeps every customer it can, naming the others in `CustomerPage.skipped`. Whatever still fails
becomes a ServerError with a short plain message; the details go to the debug log only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, from_json

from flexdesk.api import errors
from flexdesk.api.models import Customer, CustomerPage, CustomerUpdated, salvage_customer

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)

NOT_JSON = "the server's answer could not be read (cut off, or not JSON)"

# Pydantic's error types, in words for people. Anything else is "not valid".
_PLAIN = {
    "missing": "missing",
    "string_type": "not a string",
    "string_too_short": "empty",
    "too_short": "empty",
    "int_type": "not a whole number",
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "float_type": "not a number",
    "float_parsing": "not a number",
    "finite_number": "not a finite number",
    "bool_type": "not true or false",
    "bool_parsing": "not true or false",
    "enum": "not one of the known values",
    "literal_error": "not one of the known values",
    "dict_type": "not an object",
    "model_type": "not an object",
    "model_attributes_type": "not an object",
    "list_type": "not a list",
    "tuple_type": "not a list",
    "value_error": "not readable",
    "json_invalid": "cut off, or not JSON",
    "extra_forbidden": "not a field the API knows",
}
# What a parser may raise besides ValidationError, should a validator ever let one through.
_PARSER_FAILURES = (ArithmeticError, OSError, RecursionError, TypeError, ValueError)


def read_answer(model: type[Model], body: bytes, *, status: int | None = None) -> Model:
    """`body` as `model`, salvaged where the model allows; ServerError if it cannot be read."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        if _is_not_json(exc.errors(include_input=False, include_url=False)):
            _log_problems(model, exc)
            raise errors.ServerError(NOT_JSON, status=status) from None
    except _PARSER_FAILURES:
        log.debug("reading a %s failed", model.__name__, exc_info=True)
        raise errors.ServerError(NOT_JSON, status=status) from None
    try:
        data = from_json(body)
        salvage = _SALVAGE.get(model, model.model_validate)
        return cast(Model, salvage(data))
    except ValidationError as exc:
        _log_problems(model, exc)
        raise errors.ServerError(f"the server's answer does not match the API ({describe(exc)})",
                                 status=status) from None
    except _PARSER_FAILURES:
        log.debug("salvaging a %s failed", model.__name__, exc_info=True)
        raise errors.ServerError(NOT_JSON, status=status) from None


def describe(exc: ValidationError, prefix: Sequence[str | int] = ()) -> str:
    """The first problem in plain words, with its place: "customers[3].email: not a string"."""
    problems = exc.errors(include_input=False, include_url=False)
    first = problems[0]
    place = path_of((*prefix, *first["loc"]))
    text = f"{place}: {plain_problem(first)}" if place else plain_problem(first)
    return text + (f", and {len(problems) - 1} more" if len(problems) > 1 else "")


def plain_problem(problem: ErrorDetails) -> str:
    """One of pydantic's problems in words for people, without its place: "not a string"."""
    kind, context = problem["type"], problem.get("ctx", {})
    if kind == "value_error" and str(context.get("error", "")):
        # Our own validators' words ("is not a valid email address"), after the field name.
        return str(context["error"]).removeprefix("is ")
    if kind == "enum" and context.get("expected"):
        return f"not {context['expected']}"
    return _PLAIN.get(kind, "not valid")


def path_of(loc: Sequence[str | int]) -> str:
    """A pydantic location as a path: ("customers", 3, "email") -> "customers[3].email"."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def _is_not_json(problems: list[ErrorDetails]) -> bool:
    return any(problem["type"] == "json_invalid" for problem in problems)


def _log_problems(model: type[BaseModel], exc: ValidationError) -> None:
    # Without the input: a customer's data does not belong in the log.
    log.debug("the server's answer is not a valid %s: %s", model.__name__,
              exc.errors(include_input=False, include_url=False))


def _salvage_page(data: Any) -> CustomerPage:
    raw_customers = data.get("customers") if isinstance(data, dict) else None
    if not isinstance(raw_customers, list):
        return CustomerPage.model_validate(data)  # raises, naming what is wrong
    customers: list[Customer] = []
    skipped: list[str] = []
    for index, raw in enumerate(raw_customers):
        try:
            customers.append(salvage_customer(raw))
        except ValidationError as exc:
            skipped.append(describe(exc, ("customers", index)))
    if skipped:
        log.info("%d customer(s) of a page could not be read: %s", len(skipped),
                 "; ".join(skipped))
    page = CustomerPage.model_validate({**data, "customers": customers})
    return page.with_skipped(tuple(skipped))


def _salvage_updated(data: Any) -> CustomerUpdated:
    if not isinstance(data, dict) or "customer" not in data:
        return CustomerUpdated.model_validate(data)  # raises, naming what is wrong
    try:
        customer = salvage_customer(data["customer"])
    except ValidationError as exc:
        raise _with_prefix(exc, "customer") from None
    return CustomerUpdated.model_validate({**data, "customer": customer})


def _with_prefix(exc: ValidationError, name: str) -> ValidationError:
    """`exc` with its problems placed under `name`, for a message that says where they are."""
    details: list[InitErrorDetails] = []
    for problem in exc.errors(include_input=False, include_url=False):
        detail: InitErrorDetails = {"type": problem["type"], "loc": (name, *problem["loc"]),
                                    "input": None}
        if "ctx" in problem:
            detail["ctx"] = problem["ctx"]
        details.append(detail)
    try:
        return ValidationError.from_exception_data(exc.title, details)
    except (KeyError, TypeError, ValueError):  # an error type that wants more context
        return exc


_SALVAGE: dict[type[BaseModel], Callable[[Any], BaseModel]] = {
    Customer: salvage_customer,
    CustomerPage: _salvage_page,
    CustomerUpdated: _salvage_updated,
}
