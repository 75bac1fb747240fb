"""The organisers' report of a programme's impact: a page and the same tables as a workbook."""

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.db_types import utcnow
from app.programs.access import get_programme_or_404
from app.reports.programme import programme_report
from app.reports.workbook import report_workbook

bp = Blueprint("reports", __name__, url_prefix="/manage/programmes")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(programme_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    return programme_report(programme, now=utcnow(), total_label=_("All cohorts"))


@bp.route("/<int:programme_id>/report")
@role_required(Role.ORGANISER)
def programme(programme_id: int):
    return render_template("reports/programme.html", report=_report(programme_id))


@bp.route("/<int:programme_id>/report.xlsx")
@role_required(Role.ORGANISER)
def programme_xlsx(programme_id: int):
    report = _report(programme_id)
    name = _("impact-report")
    filename = f"{report.programme.slug}-{name}.xlsx"
    return Response(
        report_workbook(report),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
