"""Organiser pages: design programmes, cohorts and their sessions."""

from flask import Blueprint, render_template

from app.auth.access import role_required
from app.auth.models import Role

bp = Blueprint("programs", __name__, url_prefix="/manage")


@bp.route("/")
@role_required(Role.ORGANISER)
def index():
    return render_template("programs/manage_index.html")
