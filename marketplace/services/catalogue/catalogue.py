"""Reading the catalogue: communities and their published listings."""

from sqlalchemy import func, select

from ...extensions import db
from ...models import Community, Listing, ListingStatus


def communities_with_counts() -> list[tuple[Community, int]]:
    """Every community with the number of its published listings, in one query."""
    counts = (
        select(Listing.community_id, func.count(Listing.id).label("n"))
        .where(Listing.status == ListingStatus.PUBLISHED)
        .group_by(Listing.community_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Community, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.community_id == Community.id)
        .order_by(Community.id)
    ).all()
    return [(community, count) for community, count in rows]


def community_by_slug(slug: str) -> Community | None:
    return db.session.scalar(select(Community).where(Community.slug == slug))
