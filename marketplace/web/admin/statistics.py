"""Visitor statistics for the cooperative and the province, with charts and CSV."""

from flask import abort, render_template, request
from flask_login import current_user

from ...clock import business_today
from ...services.backoffice import cooperative, statistics
from ..backoffice import csv_response, locale, or_404
from ..exports import charts, csv_files
from . import bp


def _scope():
    year = request.args.get("year", type=int) or business_today().year
    if not 2000 <= year <= 2100:
        abort(404)
    community_id = request.args.get("community", type=int)
    if community_id:
        communities = [or_404(cooperative.get_community, current_user, community_id)]
    else:
        communities = cooperative.communities_of(current_user)
    return year, communities


@bp.get("/statistics")
def statistics_page():
    year, communities = _scope()
    report = statistics.build([c.id for c in communities], year, locale())
    return render_template(
        "admin/statistics.html",
        report=report,
        charts=charts.charts(report),
        year=year,
        communities=cooperative.communities_of(current_user),
        community_id=request.args.get("community", type=int),
    )


@bp.get("/statistics/<key>.csv")
def statistics_csv(key: str):
    year, communities = _scope()
    report = statistics.build([c.id for c in communities], year, locale())
    table = report.tables.get(key) or abort(404)
    return csv_response(csv_files.statistics_csv(table), f"{key}-{year}.csv")
