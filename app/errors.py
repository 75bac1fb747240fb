"""The one shape of a refusal: a change a service did not make, and why.

Every domain raises its own subclass (SignupRefused, BookingRefused, CertificateRefused, ...), so
a view catches exactly the refusals of the services it calls; `app.outcome.carry_out` shows
`message` to the person, next to the form field `field` names when there is one.
"""


class Refusal(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
