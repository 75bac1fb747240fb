"""The one shape of every object-level access check: load by id, then ask the object.

The domain loaders (`app.programs.access`, `app.enrolments.access`, `app.certificates.access`)
only say which rule applies. Someone who may not see an object gets 404, exactly as if it did not
exist, so ids do not leak; someone who may see it but not do what they asked gets 403.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import abort

from app.extensions import db

T = TypeVar("T")


def load_or_404(
    model: type[T],
    object_id: int,
    *,
    visible: Callable[[T], bool] | None = None,
    allowed: Callable[[T], bool] | None = None,
) -> T:
    """The `model` with `object_id`; 404 when there is none or `visible(obj)` is false, then 403
    when `allowed(obj)` is false."""
    obj = db.session.get(model, object_id)
    if obj is None or (visible is not None and not visible(obj)):
        abort(404)
    if allowed is not None and not allowed(obj):
        abort(403)
    return obj
