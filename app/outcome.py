"""One way for a view to carry out a change and tell the person.

A service either makes its change (flushed, not yet committed) or raises a refusal whose
`message` is meant for the person. `carry_out` commits the first and rolls back the second, then
says so: a success flash, or the refusal flashed as an error, or, on a form page, shown next to
the form field it names so that the page is shown again with 422 (`status_for`).
"""

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from flask import flash

from app.errors import Refusal
from app.extensions import db

T = TypeVar("T")

Refusals = type[Refusal] | tuple[type[Refusal], ...]


class Outcome(NamedTuple):
    """`done` is False when the service refused; `result` is what the service returned;
    `on_form` tells whether a refusal is shown on the form (the page is to be shown again)."""

    done: bool
    result: Any = None
    on_form: bool = False

    @property
    def redirect(self) -> bool:
        """Done, or refused with a flash: either way the view redirects."""
        return not self.on_form


def carry_out(
    change: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    *,
    refusals: Refusals,
    form=None,
    field: str | None = None,
    flash_unplaced: bool = False,
) -> Outcome:
    """Run `change` (a service call) and commit, then flash `success` (a text, or a function of
    the service's result). When it raises one of `refusals`, roll back and show the reason: as an
    error flash, or, given a `form`, at the field the refusal names (else at `field`, else above
    the form; with `flash_unplaced` a refusal that names no field is flashed instead)."""
    try:
        result = change()
    except refusals as exc:
        db.session.rollback()
        unplaced = not (exc.field or field)
        if form is None or (unplaced and flash_unplaced):
            flash(exc.message, "error")
            return Outcome(done=False)
        show_refusal(form, exc, field)
        return Outcome(done=False, on_form=True)
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return Outcome(done=True, result=result)


def show_refusal(form, exc: Refusal, field: str | None = None) -> None:
    """Show a refusal next to the field it names (or `field`), else above the form."""
    name = exc.field or field
    target = getattr(form, name, None) if name else None
    if target is None:
        form.form_errors.append(exc.message)
    else:
        target.errors = [*target.errors, exc.message]


def status_for(form) -> int:
    return 422 if form.errors or form.form_errors else 200
