"""Catalogue, question and agenda forms: input types and CSRF only.

The rules on the text (not empty, at most QUESTION_MAX_LENGTH characters) live in
`services.clean_text`, so every caller gets the same messages; the views show them at the field.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

NO_BLOCK = 0


def _topic_block_choices() -> list[SelectChoice]:
    return [SelectChoice(NO_BLOCK, _l("No topic block"))] + [
        SelectChoice(number, _l("Topic block %(number)s", number=number)) for number in (1, 2, 3)
    ]


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("Question"))
    topic_block = SelectField(_l("Topic block"), coerce=int, default=NO_BLOCK)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_block.choices = _topic_block_choices()


class OwnQuestionForm(FlaskForm):
    text = TextAreaField(_l("Your question"))


class AgendaItemForm(FlaskForm):
    text = TextAreaField(_l("New agenda item"))


class MoveForm(FlaskForm):
    direction = HiddenField()


class MarkForm(FlaskForm):
    marked = HiddenField()


class DeadlineForm(FlaskForm):
    hours = IntegerField(
        _l("Hours before the participant's next impulse training"),
        validators=[Optional()],
    )
