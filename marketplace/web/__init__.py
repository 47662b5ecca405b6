"""HTTP layer: one blueprint per audience; views validate, call a service, render or redirect.

Every blueprint is imported and registered here by name (the view modules of `admin`, `api` and
`host` are listed at the end of their package), so a missing or misspelt module fails at start-up
and the imports are visible to linters and to the layer test.
"""

from flask import Flask

from . import (
    account,
    admin,
    api,
    booking,
    checkin,
    currency,
    host,
    media,
    messages,
    payments,
    public,
    refunds,
    reviews,
    system,
    tickets,
    tokens,
    trips,
    two_factor,
    webhooks,
)

#: registration order (the system routes first)
BLUEPRINTS = (
    system.bp,
    public.bp,
    currency.bp,
    account.bp,
    tokens.bp,
    two_factor.bp,
    booking.bp,
    trips.bp,
    refunds.bp,
    tickets.bp,
    reviews.bp,
    messages.bp,
    checkin.bp,
    payments.bp,
    webhooks.bp,
    media.bp,
    api.bp,
    host.bp,
    admin.bp,
)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
