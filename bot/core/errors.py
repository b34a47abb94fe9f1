"""Errors that carry a message meant for the person who caused them."""

from pydantic import ValidationError


class UserError(Exception):
    """Bad input: the message says what was not understood, ideally with an example."""


def user_error_from(exc: ValidationError) -> UserError:
    """The first validation problem as one readable line."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return UserError(f"{field}: {message}" if field else message)


class FormErrors(Exception):
    """The modal's fields that could not be read, by block id, as Slack shows them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
