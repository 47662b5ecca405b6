"""Command line: demo data, users, API tokens (`flask --app wsgi --help`)."""

import importlib.util

import click
from flask import Flask

from .models import Role
from .services.payments import cancellations
from .services.shared.errors import ServiceError


def register_cli(app: Flask) -> None:
    # `flask demo`: developer tools, in a checkout only (the wheel leaves marketplace.devtools out)
    if importlib.util.find_spec("marketplace.devtools") is not None:
        from .devtools.demo_cli import demo

        app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(tokens)
    app.cli.add_command(bookings)
    app.cli.add_command(calendars)
    app.cli.add_command(guests)

    from .jobs import jobs_cli
    from .ops_cli import backup_cli, storage_cli

    app.cli.add_command(jobs_cli)
    app.cli.add_command(storage_cli)
    app.cli.add_command(backup_cli)

    from .cli_rates import rates

    app.cli.add_command(rates)


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
    from .services.accounts import accounts

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
    from .services.accounts import accounts

    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    token = accounts.create_token(user, name=name)
    click.echo(f"token for {user.email} ({user.role.value}):")
    click.echo(token)


def _token_owner(email):
    from .services.accounts import accounts

    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


@tokens.command("list", help="List EMAIL's tokens: id, name, made, last used, revoked.")
@click.argument("email")
def tokens_list(email):
    from .services.accounts import api_tokens

    def when(moment):
        return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"

    rows = api_tokens.tokens_of(_token_owner(email))
    for row in rows:
        state = f"revoked {when(row.revoked_at)}" if row.revoked_at else "active"
        click.echo(
            f"{row.id:>6}  {row.name or '-':<20}  made {when(row.created_at)}  "
            f"last used {when(row.last_used_at)}  {state}"
        )
    click.echo(f"{len(rows)} token(s)")


@tokens.command("revoke", help="Revoke EMAIL's token ID; the API refuses it from now on (401).")
@click.argument("email")
@click.argument("token_id", type=int)
def tokens_revoke(email, token_id):
    from .services.accounts import api_tokens

    try:
        api_tokens.revoke_token(_token_owner(email), token_id)
    except ServiceError as exc:
        raise click.ClickException(f"{email} has no token {token_id}") from exc
    click.echo(f"revoked token {token_id} of {email}")


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
    from .services.backoffice import closures

    refunded = closures.refund_unanswered()
    click.echo(f"refunded {len(refunded)} booking(s) {' '.join(refunded)}".rstrip())


@click.group(help="Calendar sync with other channels (iCal).")
def calendars():
    pass


@calendars.command("sync", help="Pull every external iCal feed; a broken one is reported.")
def calendars_sync():
    from .services.catalogue import calendars as calendar_service

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
    from .services.backoffice import registration

    count = registration.erase_passports(days=days)
    click.echo(f"passport numbers erased: {count}")
