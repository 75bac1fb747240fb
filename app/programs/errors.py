"""Domain exceptions of programmes, cohorts and sessions: refusals with a message for the user."""

from flask_babel import lazy_gettext as _l

from app.errors import Refusal


class Refused(Refusal):
    """A change to a programme, cohort or session that was not made."""


class ValidationFailed(Refused):
    """Bad input for one form field: the view shows `message` next to the field `field`."""

    def __init__(self, field: str, message):
        super().__init__(message, field=field)


class CohortArchived(Refused):
    def __init__(self):
        super().__init__(
            _l("This cohort is archived: neither it nor its sessions can be changed any more.")
        )


class CohortErased(Refused):
    def __init__(self):
        super().__init__(
            _l(
                "The participant data of this cohort has been erased: it is a record now, and "
                "neither it nor its sessions can be changed any more."
            )
        )


class NotAllowed(Refused):
    def __init__(self):
        super().__init__(_l("You do not manage this programme."))
