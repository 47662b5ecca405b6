"""Health check for load balancers and monitors, and metrics for Prometheus."""

from flask import Blueprint, abort, jsonify
from sqlalchemy.exc import SQLAlchemyError

from .. import metrics
from ..database import ping
from ..extensions import csrf, db, limiter

bp = Blueprint("system", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        ping()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/metrics")
@limiter.exempt
def prometheus_metrics():
    """Prometheus text format; 404 unless the bearer token matches METRICS_TOKEN or, with no
    token set, the client is on this machine (a 404 tells a stranger nothing is there)."""
    if not metrics.allowed():
        abort(404)
    return metrics.metrics_response()
