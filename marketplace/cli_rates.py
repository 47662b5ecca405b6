"""`flask rates`: the exchange rates behind indicative prices."""

import click

from .services.shared.errors import ServiceError


@click.group(help="Exchange rates for indicative prices (every charge stays in VND).")
def rates():
    pass


@rates.command("set", help="Set how many dong one unit of CURRENCY is worth: rates set USD 25450.")
@click.argument("currency")
@click.argument("rate")
def rates_set(currency, rate):
    from .services.catalogue import exchange_rates

    try:
        row = exchange_rates.set_rate(currency, rate)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"1 {row.currency} = {row.vnd_per_unit} VND")


@rates.command("list", help="List the rates and when each was set.")
def rates_list():
    from .services.catalogue import exchange_rates

    for code, row in exchange_rates.rate_table():
        if row is None:
            click.echo(f"{code}  not set")
        else:
            when = row.set_at.strftime("%Y-%m-%d %H:%M UTC")
            who = row.set_by.email if row.set_by else "command line"
            click.echo(f"{code}  {row.vnd_per_unit:>12} VND  set {when} by {who}")
