"""The audit trail: one row per state change, written in the caller's transaction."""

from ...database import insert_rows
from ...models import AuditEntry


def record(
    subject,
    action: str,
    *,
    actor=None,
    from_state=None,
    to_state=None,
    data: dict | None = None,
    note: str = "",
) -> None:
    """Write the entry now, by an INSERT of its own: an entry is never changed afterwards, so
    the unit of work would only add its bookkeeping to the caller's flush."""
    row = {
        "actor_id": getattr(actor, "id", None),
        "subject_type": type(subject).__name__.lower(),
        "subject_id": subject.id,
        "action": action,
        "from_state": getattr(from_state, "value", from_state),
        "to_state": getattr(to_state, "value", to_state),
        "data": data or {},
        "note": note,
    }
    insert_rows(AuditEntry, [row])
