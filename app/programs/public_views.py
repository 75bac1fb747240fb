"""Public pages: published programmes, their cohorts' timelines and calendar feeds.

Anyone may open these pages; a draft cohort is shown only to the programme's organisers and to
admins, and to everyone else it does not exist (404). Meeting links are never shown here.
"""

from flask import Blueprint, render_template
from flask_login import current_user

from app.db_types import utcnow
from app.programs import published
from app.programs.models import CohortStatus
from app.sessions import calendar

bp = Blueprint("public", __name__, url_prefix="/programmes")


@bp.route("/")
def index():
    now = utcnow()
    programmes = [
        (
            programme,
            [(c, published.signup_window(c, now)) for c in programme.cohorts if c.is_public],
        )
        for programme in published.published_programmes()
    ]
    return render_template("programs/public_index.html", programmes=programmes)


@bp.route("/<slug>")
def programme(slug: str):
    programme = published.programme_or_404(slug)
    cohorts = published.visible_cohorts_or_404(programme, current_user)
    now = utcnow()
    return render_template(
        "programs/public_programme.html",
        programme=programme,
        description=published.paragraphs(programme.description),
        overviews=[
            published.overview(c, now) for c in cohorts if c.status != CohortStatus.ARCHIVED
        ],
        archived=[c for c in cohorts if c.status == CohortStatus.ARCHIVED],
    )


@bp.route("/<slug>/<cohort_slug>")
def cohort(slug: str, cohort_slug: str):
    programme = published.programme_or_404(slug)
    cohort = published.cohort_or_404(programme, cohort_slug, current_user)
    return render_template(
        "programs/public_cohort.html",
        programme=programme,
        overview=published.overview(cohort, utcnow()),
    )


@bp.route("/<slug>/<cohort_slug>/calendar.ics")
def cohort_calendar(slug: str, cohort_slug: str):
    programme = published.programme_or_404(slug)
    cohort = published.cohort_or_404(programme, cohort_slug, current_user)
    body = calendar.cohort_calendar(cohort, now=utcnow(), page_url=calendar.public_page_url)
    return calendar.ics_response(body, f"{programme.slug}-{cohort.slug}.ics")
