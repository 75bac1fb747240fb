"""Signed, expiring links for e-mail confirmation, password reset and invitations.

Reset and invitation tokens carry a fingerprint of the current password hash, so a token stops
working as soon as it has been used (or the password changed another way).
"""

import hashlib
from enum import StrEnum

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.models import User


class Purpose(StrEnum):
    CONFIRM_EMAIL = "confirm-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105 (a token purpose, not a secret)
    INVITATION = "invitation"


class TokenInvalid(Exception):
    pass


class TokenExpired(TokenInvalid):
    pass


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def _claims(user: User, purpose: Purpose) -> dict:
    if purpose is Purpose.CONFIRM_EMAIL:
        return {"uid": user.id, "email": user.email}
    return {"uid": user.id, "pw": _fingerprint(user)}


def make_token(secret_key: str, user: User, purpose: Purpose) -> str:
    return URLSafeTimedSerializer(secret_key, salt=purpose.value).dumps(_claims(user, purpose))


def read_token(secret_key: str, token: str, purpose: Purpose, *, max_age: int) -> dict:
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose.value)
    try:
        return serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired from exc
    except BadSignature as exc:
        raise TokenInvalid from exc


def token_matches(user: User | None, claims: dict, purpose: Purpose) -> bool:
    return user is not None and _claims(user, purpose) == claims
