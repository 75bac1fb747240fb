"""Account forms: input validation only."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.auth.models import Role

ROLE_LABELS = {
    Role.PARTICIPANT: _l("Participant"),
    Role.COACH: _l("Coach"),
    Role.ORGANISER: _l("Organiser"),
    Role.ADMIN: _l("Administrator"),
}


def _password_length(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(_l("Use at least %(n)s characters.", n=minimum))


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def email_field(label=None) -> EmailField:
    # Pasted addresses often carry spaces; strip them before the format check.
    return EmailField(
        label or _l("E-mail address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Please enter your e-mail address.")),
            Email(_l("Please enter a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please choose a password.")), _password_length],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            DataRequired(_l("Please repeat the password.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def name_field() -> StringField:
    return StringField(
        _l("Name"),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )


def organisation_field(required: bool = True) -> StringField:
    validators = [Length(max=200)]
    if required:
        validators.insert(0, DataRequired(_l("Please enter your municipality or organisation.")))
    return StringField(
        _l("Municipality or organisation"),
        validators=validators,
        render_kw={"autocomplete": "organization"},
    )


class RegistrationForm(FlaskForm):
    name = name_field()
    email = email_field()
    organisation = organisation_field()
    password, confirm = new_password_fields()
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree that my data is processed as described."),
        validators=[DataRequired(_l("Please agree to the privacy notice to register."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay signed in on this device"))


class EmailOnlyForm(FlaskForm):
    email = email_field()


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class InviteCoachForm(FlaskForm):
    name = name_field()
    email = email_field()
    organisation = organisation_field(required=False)


def role_field() -> SelectField:
    return SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )


class InviteForm(InviteCoachForm):
    role = role_field()


class RoleForm(FlaskForm):
    role = role_field()


class ProfileForm(FlaskForm):
    name = name_field()
    organisation = organisation_field(required=False)
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice("de", "Deutsch"), SelectChoice("en", "English")],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class DeleteAccountForm(FlaskForm):
    # Shares the account page with ChangePasswordForm: an id of its own keeps ids unique.
    current_password = PasswordField(
        _l("Password"),
        id="delete-current_password",
        validators=[DataRequired(_l("Please enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
    )
