"""Line ids on the reconciliation page that look like digits but are not (superscripts, other
scripts' digits) are a 404 or are ignored, never a server error."""

from marketplace.models import Role
from tests.factories import login, make_community, make_user


def test_odd_digits_in_a_line_id_are_not_a_server_error(client):
    community = make_community()
    coop = make_user(Role.COOP, community=community)
    login(client, coop)
    for raw in ("²", "1²", "٣"):
        response = client.post("/admin/reconciliation/resolve", data={"transfer_id": raw})
        assert response.status_code == 404, (raw, response.status_code)
        page = client.get("/admin/reconciliation", query_string={"line": raw, "q": "HL-ABC"})
        assert page.status_code == 200, (raw, page.status_code)
