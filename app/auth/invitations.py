"""Inviting someone from a form: the admins' "new account" page and the organisers' "invite a
coach" page differ only in the role and the words of the success message."""

from flask import current_app
from flask_login import current_user

from app.auth import services
from app.auth.forms import InviteCoachForm
from app.auth.models import Role
from app.outcome import carry_out


def invite_from_form(form: InviteCoachForm, role: Role, success: str) -> bool:
    """Create the account `form` describes with `role` and mail the invitation. True when done
    (committed, `success` flashed); False when refused, with the reason at the e-mail field."""
    return carry_out(
        lambda: services.invite(
            email=form.email.data,
            name=form.name.data,
            organisation=form.organisation.data or "",
            role=role,
            inviter=current_user,
            config=current_app.config,
        ),
        success,
        refusals=services.AccountError,
        form=form,
        field="email",
    ).done
