"""Outbox forms: input validation only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class ReminderSettingsForm(FlaskForm):
    offsets = StringField(
        _l("Reminders, in hours before each session"),
        validators=[Length(max=100)],
        description=_l(
            "Whole hours separated by commas, e.g. 168, 24 (seven days and one day before). "
            "Leave empty for no reminders."
        ),
    )
