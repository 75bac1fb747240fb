"""Public verification: anyone with a code sees whether the certificate is valid, revoked or
superseded, as a page or as an Open Badges 3.0 credential. Rate-limited per client address;
unknown codes get a plain 404."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from app.certificates import badges
from app.certificates.codes import normalise
from app.certificates.forms import VerifyForm
from app.certificates.models import Certificate
from app.extensions import db, limiter

bp = Blueprint("verify", __name__, url_prefix="/verify")


def _limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_RATE_LIMIT"]


# One budget for the page, the JSON and the code form together.
verify_limit = limiter.shared_limit(_limit, scope="certificate-verify")


def _find(code: str) -> Certificate | None:
    canonical = normalise(code)
    if canonical is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == canonical))


def _private(response: Response) -> Response:
    """The status may change (revocation), and holders' names are not for search engines."""
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/")
@verify_limit
def search():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        canonical = normalise(form.code.data)
        if canonical is not None:
            return redirect(url_for("verify.certificate", code=canonical))
        form.code.errors.append(_("This is not a valid verification code."))
    status = 422 if form.errors else 200
    return render_template("certificates/verify_search.html", form=form), status


@bp.route("/<code>.json")
@verify_limit
def credential(code: str):
    certificate = _find(code)
    if certificate is None:
        return _private(jsonify({"error": "not found"})), 404
    document = badges.open_badge_credential(certificate)
    response = current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/ld+json"
    )
    return _private(response)


@bp.route("/<code>")
@verify_limit
def certificate(code: str):
    found = _find(code)
    if found is None:
        abort(404)
    response = current_app.make_response(
        render_template("certificates/verify.html", certificate=found)
    )
    return _private(response)
