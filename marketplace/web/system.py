"""Health check for load balancers and monitors."""

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..database import ping
from ..extensions import csrf, db

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
