"""Tell one person something by e-mail, in their language, once the transaction commits."""

from app.notifications.mail import queue_after_commit, render_message


def notify(user, *, subject, template: str, **context) -> None:
    message = render_message(
        to=user.email, subject=subject, template=template, locale=user.locale, user=user, **context
    )
    queue_after_commit(message)
