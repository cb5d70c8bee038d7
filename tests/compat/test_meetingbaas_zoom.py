"""Meeting BaaS's Zoom OAuth connections against the local Zoom server (tests/zoom_server.py): connect
from an authorization code, list, read, a bot named by `zoom_obf_token_user_id`, others' 404, delete."""

import pytest

from accounts.models import ZoomConnection
from bots.models import Bot
from compat.meetingbaas.ids import bot_id_from
from tests.compat.test_meetingbaas_api import BASE, baas_client
from tests.zoom_server import ZoomServer

pytestmark = pytest.mark.django_db
REDIRECT = "https://notula.example/zoom/callback"
ZOOM = "https://zoom.us/j/85012345678?pwd=abc"


@pytest.fixture
def zoom(settings):
    server = ZoomServer().start()
    server.add_user("u_alice", "alice@acme.example")
    settings.ZOOM_OAUTH_URL = settings.ZOOM_API_URL = server.url
    settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = server.client_id, server.client_secret
    yield server
    server.stop()


@pytest.fixture
def mb(db):
    return baas_client("Meeting BaaS Zoom")


def body(zoom, **changes) -> dict:
    return {
        "authorization_code": zoom.authorize("u_alice", REDIRECT),
        "redirect_uri": REDIRECT,
        "zoom_client_id": zoom.client_id,
        "zoom_client_secret": zoom.client_secret,
        **changes,
    }


def test_connect_list_get_a_bot_by_zoom_user_and_delete(mb, zoom):
    created = mb.post(f"{BASE}/zoom_oauth_connections/", body(zoom), format="json")
    assert created.status_code == 201, created.content
    connection = created.json()
    assert (connection["zoom_user_id"], connection["state"], connection["connection_failure_data"]) == (
        "u_alice", "connected", None,
    )  # fmt: skip
    assert connection["created_at"].endswith("Z") and "acc_" not in created.content.decode()
    assert mb.get(f"{BASE}/zoom_oauth_connections/").json() == [connection]
    assert mb.get(f"{BASE}/zoom_oauth_connections/{connection['uuid']}").json() == connection
    assert baas_client("Others").get(f"{BASE}/zoom_oauth_connections/{connection['uuid']}").status_code == 404

    joined = mb.post(
        f"{BASE}/bots/", {"bot_name": "Rec", "meeting_url": ZOOM, "zoom_obf_token_user_id": "u_alice"}, format="json"
    )
    assert joined.status_code == 200, joined.content
    bot = Bot.objects.get(pk=bot_id_from(joined.json()["bot_id"]))
    assert bot.zoom_connection_id == ZoomConnection.objects.get(zoom_user_id="u_alice").id

    assert mb.delete(f"{BASE}/zoom_oauth_connections/{connection['uuid']}").status_code == 204
    assert mb.get(f"{BASE}/zoom_oauth_connections/").json() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"zoom_client_id": "another-app"}, "zoom_client_id"),
        ({"zoom_client_secret": "wrong"}, "zoom_client_secret"),
        ({"authorization_code": "code_never_issued"}, "authorization_code"),
        ({"redirect_uri": "not a url"}, "redirect_uri"),
    ],
)
def test_bad_connection_input_is_a_400_naming_the_field(mb, zoom, changes, field):
    answer = mb.post(f"{BASE}/zoom_oauth_connections/", body(zoom, **changes), format="json")
    assert answer.status_code == 400 and field in answer.json()["error"], answer.json()
