"""The command line an operator uses: users, tokens, demo data."""

from marketplace.models import Community, Departure, Listing, Role, User
from tests.factories import make_community


def test_users_create_with_community(runner):
    make_community("huu-lien")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "host@example.test",
            "--role",
            "host",
            "--password",
            "long-enough-1",
            "--community",
            "huu-lien",
        ]
    )
    assert result.exit_code == 0, result.output
    user = User.query.filter_by(email="host@example.test").one()
    assert user.role == Role.HOST and [c.slug for c in user.communities] == ["huu-lien"]


def test_users_create_reports_bad_input(runner):
    result = runner.invoke(args=["users", "create", "not-an-email", "--password", "long-enough-1"])
    assert result.exit_code != 0
    assert "email" in result.output


def test_token_is_printed_alone_on_the_last_line_and_works(runner, client):
    runner.invoke(args=["users", "create", "t@example.test", "--password", "long-enough-1"])
    result = runner.invoke(args=["tokens", "create", "t@example.test"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert " " not in token and len(token) >= 40
    from marketplace.models import ApiToken

    assert ApiToken.query.one().token_hash != token
    from marketplace.web.api import bearer_user

    with client.application.test_request_context(headers={"Authorization": f"Bearer {token}"}):
        assert bearer_user().email == "t@example.test"


def test_demo_seed_is_idempotent(runner):
    first = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert first.exit_code == 0, first.output
    counts = (
        Community.query.count(),
        User.query.count(),
        Listing.query.count(),
        Departure.query.count(),
    )
    assert {c.slug for c in Community.query} == {"huu-lien", "yen-thinh", "pac-ngoi"}
    assert counts[2] >= 9 and counts[3] > 0
    second = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert second.exit_code == 0
    assert (
        Community.query.count(),
        User.query.count(),
        Listing.query.count(),
        Departure.query.count(),
    ) == counts


def test_every_command_has_help(runner):
    for args in (["demo", "seed"], ["users", "create"], ["tokens", "create"]):
        result = runner.invoke(args=[*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
