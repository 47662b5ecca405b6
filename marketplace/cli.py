"""Command line: demo data, users, API tokens (`flask --app wsgi --help`)."""

import click
from flask import Flask

from .models import Role
from .services import cancellations
from .services.errors import ServiceError


def register_cli(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(tokens)
    app.cli.add_command(bookings)
    app.cli.add_command(calendars)
    app.cli.add_command(guests)

    from .jobs import jobs_cli

    app.cli.add_command(jobs_cli)


@click.group(help="Demo data.")
def demo():
    pass


@demo.command(
    "seed", help="Load the demo villages, accounts, listings and departures (idempotent)."
)
@click.option("--no-photos", is_flag=True, help="Skip generating listing pictures.")
def demo_seed(no_photos: bool):
    from .services import demo as demo_service

    counts = demo_service.seed(with_photos=not no_photos)
    click.echo(", ".join(f"{name}: +{n}" for name, n in counts.items()))
    click.echo(f"Demo password for every account: {demo_service.DEMO_PASSWORD}")


@click.group(help="User accounts.")
def users():
    pass


@users.command("create", help="Create an account (hosts and guides: give --community).")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TOURIST.value)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@click.option("--community", "communities", multiple=True, help="Community slug (repeatable).")
def users_create(email, role, password, name, communities):
    from .services import accounts

    try:
        user = accounts.create_user(
            email, password, name=name, role=Role(role), communities=list(communities)
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created {user.email} ({user.role.value})")


@click.group(help="API bearer tokens.")
def tokens():
    pass


@tokens.command(
    "create", help="Print a new bearer token for EMAIL on the last line; only its hash is stored."
)
@click.argument("email")
@click.option("--name", default="cli")
def tokens_create(email, name):
    from .services import accounts

    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    token = accounts.create_token(user, name=name)
    click.echo(f"token for {user.email} ({user.role.value}):")
    click.echo(token)


@click.group(help="Bookings.")
def bookings():
    pass


@bookings.command(
    "expire", help="Mark lapsed holds as expired (their rooms and seats are free already)."
)
def bookings_expire():

    count = cancellations.expire_holds()
    click.echo(f"expired {count} hold(s)")


@bookings.command(
    "refund-unanswered",
    help="Refund in full the tourists of a cancelled departure who chose no other one by its day.",
)
def bookings_refund_unanswered():
    from .services import closures

    refunded = closures.refund_unanswered()
    click.echo(f"refunded {len(refunded)} booking(s) {' '.join(refunded)}".rstrip())


@click.group(help="Calendar sync with other channels (iCal).")
def calendars():
    pass


@calendars.command("sync", help="Pull every external iCal feed; a broken one is reported.")
def calendars_sync():
    from .services import calendars as calendar_service

    results = calendar_service.sync_all()
    for result in results:
        if result.ok:
            click.echo(f"ok     #{result.calendar_id} {result.url}: {result.nights} nights blocked")
        else:
            click.echo(f"FAILED #{result.calendar_id} {result.url}: {result.error}")
    failed = sum(1 for r in results if not r.ok)
    click.echo(f"{len(results) - failed} synced, {failed} failed")


@click.group(help="Guests' personal data.")
def guests():
    pass


@guests.command(
    "erase-passports",
    help="Erase passport numbers of guests who left more than --days ago (default: setting).",
)
@click.option("--days", type=int, default=None)
def guests_erase_passports(days):
    from .services import registration

    count = registration.erase_passports(days=days)
    click.echo(f"passport numbers erased: {count}")
