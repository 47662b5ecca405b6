"""The catalogue: communities, listings, photos, calendars, prices, availability, search, reviews.

The modules named in `__all__` are the package's public surface, the ones other packages may
import (tests/test_layers.py holds every import to it); the others are its own.
"""

__all__ = [
    "availability",
    "booking_rules",
    "calendar_conflicts",
    "calendar_grid",
    "calendar_sync_now",
    "calendars",
    "catalogue",
    "exchange_rates",
    "listing_review",
    "listing_sections",
    "listings",
    "photos",
    "pricing",
    "review_stats",
    "reviews",
    "rooms_and_departures",
    "search",
    "search_query",
    "uploads",
]
