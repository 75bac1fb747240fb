"""Public pages: published programmes and their cohorts' timelines."""

from flask import Blueprint, render_template

bp = Blueprint("public", __name__, url_prefix="/programmes")


@bp.route("/")
def index():
    return render_template("programs/public_index.html")
