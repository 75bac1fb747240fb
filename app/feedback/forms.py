from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.feedback.models import RATINGS


class FeedbackForm(FlaskForm):
    # The service checks the rating and the comment, so refusals are worded in one place.
    rating = RadioField(
        _l("How helpful was the session for your work?"),
        choices=[SelectChoice(rating, str(rating)) for rating in RATINGS],
        coerce=int,
        validate_choice=False,
    )
    comment = TextAreaField(_l("What helped you, what should we change? (optional)"))
