"""`flask demo seed`: the demo catalogue, registered by marketplace/cli.py in a checkout only."""

import click
from flask import current_app


@click.group(help="Demo data.")
def demo():
    pass


@demo.command(
    "seed", help="Load the demo villages, accounts, listings and departures (idempotent)."
)
@click.option("--no-photos", is_flag=True, help="Skip generating listing pictures.")
def demo_seed(no_photos: bool):
    from . import demo as demo_service

    if current_app.config.get("ENV_NAME") == "production":
        # demo accounts share one published password: never on a real site
        raise click.ClickException("demo seed refuses to run in production (MARKETPLACE_ENV)")

    counts = demo_service.seed(with_photos=not no_photos)
    click.echo(", ".join(f"{name}: +{n}" for name, n in counts.items()))
    click.echo(f"Demo password for every account: {demo_service.DEMO_PASSWORD}")
