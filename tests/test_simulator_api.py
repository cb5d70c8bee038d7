"""The simulator's control API and scenario engine, driven without a browser (the page's own
endpoints stand in for the meeting page)."""

import time
import wave

import pytest
from rest_framework.test import APIClient

from meetings.meeting_urls import InvalidMeetingUrl, parse_meeting_url

SCENARIO = {
    "title": "Weekly planning",
    "lobby": {"policy": "never"},
    "captions": True,
    "participants": [
        {"name": "Alice Smith", "voice": "en-us", "joins_at_s": 0, "leaves_at_s": None},
        {"name": "Bob Jones", "voice": "en-gb+f3", "joins_at_s": 0},
    ],
    "script": [{"at_s": 0, "speaker": "Alice Smith", "text": "Good morning everyone."}],
    "ends_at_s": None,
}


def create(api, platform="google_meet", scenario=None):
    response = api.post(
        "/simulator/api/meetings", {"platform": platform, "scenario": scenario or SCENARIO}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def page(meeting) -> str:
    return f"/simulator/{meeting['platform']}/{meeting['id']}"


def test_create_returns_an_absolute_link_the_url_validator_accepts(api):
    meeting = create(api, platform="teams")
    assert meeting["url"] == f"http://testserver/simulator/teams/{meeting['id']}"
    parsed = parse_meeting_url(meeting["url"])
    assert (parsed.platform, parsed.code, parsed.simulated) == ("teams", meeting["id"], True)
    assert meeting["status"] == "waiting" and meeting["bot"]["state"] == "absent"
    assert [p["name"] for p in meeting["participants"]] == ["Alice Smith", "Bob Jones"]
    assert meeting["participants"][0]["is_host"] is True and meeting["participants"][1]["is_host"] is False


def test_defaults_fill_a_minimal_scenario(api):
    meeting = create(api, scenario={"participants": [{"name": "Ann"}]})
    scenario = meeting["scenario"]
    assert scenario["lobby"] == {"policy": "admit", "after_s": 0.0}
    assert scenario["access"] == "open" and scenario["ends_at_s"] is None
    assert scenario["participants"][0]["voice"] == "en-us"


def test_requires_an_api_key(db, anon):
    response = anon.post("/simulator/api/meetings", {"platform": "zoom"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token ntl_not-a-key")
    assert bad.get("/simulator/api/meetings/sim_x").status_code == 401


def test_other_organizations_meetings_are_404(api, other_api):
    meeting = create(api)
    assert other_api.get(f"/simulator/api/meetings/{meeting['id']}").status_code == 404
    assert other_api.post(f"/simulator/api/meetings/{meeting['id']}/end").status_code == 404
    assert api.get(f"/simulator/api/meetings/{meeting['id']}").status_code == 200


@pytest.mark.parametrize(
    "scenario, field",
    [
        ({"lobby": {"policy": "sometimes"}}, "scenario.lobby.policy"),
        ({"lobby": {"after_s": -1}}, "scenario.lobby.after_s"),
        ({"access": "vip"}, "scenario.access"),
        ({"participants": [{"voice": "en-us"}]}, "scenario.participants[0].name"),
        ({"participants": [{"name": "A", "voice": "klingon"}]}, "scenario.participants[0].voice"),
        ({"participants": [{"name": "A"}, {"name": "A"}]}, "scenario.participants[1].name"),
        ({"participants": [{"name": "A", "joins_at_s": 5, "leaves_at_s": 2}]}, "scenario.participants[0].leaves_at_s"),
        (
            {"participants": [{"name": "A"}], "script": [{"at_s": 1, "speaker": "Z", "text": "hi"}]},
            "scenario.script[0].speaker",
        ),
        (
            {"participants": [{"name": "A"}], "script": [{"at_s": "soon", "speaker": "A", "text": "hi"}]},
            "scenario.script[0].at_s",
        ),
        ({"ends_at_s": "never"}, "scenario.ends_at_s"),
        ({"page_changes": {}}, "scenario.page_changes"),
        ({"page_changes": None}, "scenario.page_changes"),
        ({"agenda": []}, "scenario.agenda"),
    ],
)
def test_bad_scenarios_are_400_naming_the_field(api, scenario, field):
    response = api.post("/simulator/api/meetings", {"platform": "zoom", "scenario": scenario}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_unknown_platform_is_400(api):
    response = api.post("/simulator/api/meetings", {"platform": "skype"}, format="json")
    assert response.status_code == 400 and "platform" in response.json()["error"]["fields"]


def test_lobby_admit_deny_remove_and_end_through_the_api(api):
    meeting = create(api)
    client = APIClient()
    assert client.get(page(meeting)).status_code == 200  # opening the page: pre-join
    assert api.get(f"/simulator/api/meetings/{meeting['id']}").json()["bot"]["state"] == "prejoin"
    knock = client.post(
        f"{page(meeting)}/knock", {"name": "Notula", "mic_on": False, "camera_on": False}, format="json"
    )
    assert knock.status_code == 200 and knock.json()["bot"]["state"] == "lobby"
    # Nobody talks to the lobby.
    assert client.get(f"{page(meeting)}/state").json()["lines"] == []
    admitted = api.post(f"/simulator/api/meetings/{meeting['id']}/admit").json()
    assert admitted["bot"]["state"] == "in_call" and admitted["status"] == "live"
    state = client.get(f"{page(meeting)}/state").json()
    assert [line["text"] for line in state["lines"]] == ["Good morning everyone."]
    assert {p["name"] for p in state["participants"]} == {"Alice Smith", "Bob Jones"}
    chat = client.post(f"{page(meeting)}/chat", {"text": "Hello from Notula"}, format="json")
    assert chat.status_code == 201
    removed = api.post(f"/simulator/api/meetings/{meeting['id']}/remove_bot").json()
    assert removed["bot"]["state"] == "removed" and removed["bot"]["left_at"]
    assert removed["chat"][0]["text"] == "Hello from Notula" and removed["chat"][0]["sender"] == "Notula"
    again = api.post(f"/simulator/api/meetings/{meeting['id']}/remove_bot")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    ended = api.post(f"/simulator/api/meetings/{meeting['id']}/end").json()
    assert ended["status"] == "ended" and ended["ended_at"]
    assert api.post(f"/simulator/api/meetings/{meeting['id']}/admit").status_code == 409


def test_deny_before_the_bot_asks_denies_it_when_it_does(api):
    meeting = create(api)
    assert api.post(f"/simulator/api/meetings/{meeting['id']}/deny").status_code == 200
    knock = APIClient().post(f"{page(meeting)}/knock", {"name": "Notula"}, format="json")
    assert knock.json()["bot"]["state"] == "denied"


def test_blocked_meetings_refuse_the_knock(api):
    meeting = create(api, scenario={"access": "blocked"})
    knock = APIClient().post(f"{page(meeting)}/knock", {"name": "Notula"}, format="json")
    assert knock.status_code == 409 and knock.json()["error"]["code"] == "join_refused"


def test_say_add_and_leave_participants(api):
    meeting = create(api, scenario={**SCENARIO, "lobby": {"policy": "admit"}})
    base = f"/simulator/api/meetings/{meeting['id']}"
    APIClient().post(f"{page(meeting)}/knock", {"name": "Notula"}, format="json")
    added = api.post(f"{base}/participants", {"name": "Carol White", "voice": "en-us+f3"}, format="json")
    assert added.status_code == 201 and added.json()["id"] == "p3"
    assert api.post(f"{base}/participants", {"name": "Carol White"}, format="json").status_code == 409
    assert api.post(f"{base}/participants", {"name": "Dan", "voice": "nope"}, format="json").status_code == 400
    said = api.post(f"{base}/say", {"participant": "Carol White", "text": "Can everyone hear me?"}, format="json")
    assert said.status_code == 201 and said.json()["speaker"] == "Carol White"
    nobody = api.post(f"{base}/say", {"participant": "Zed", "text": "Hi"}, format="json")
    assert nobody.status_code == 409 and "participant" in nobody.json()["error"]["fields"]
    left = api.post(f"{base}/participants/Bob%20Jones/leave")
    assert left.status_code == 200 and left.json()["leaves_at_s"] is not None
    assert api.post(f"{base}/participants/Bob%20Jones/leave").status_code == 404
    seen = api.get(base).json()
    assert {p["name"]: p["present"] for p in seen["participants"]} == {
        "Alice Smith": True,
        "Bob Jones": False,
        "Carol White": True,
    }
    assert seen["lines"][-1]["text"] == "Can everyone hear me?"


def test_a_line_is_voiced_by_espeak(api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = create(api, scenario={**SCENARIO, "lobby": {"policy": "admit"}})
    response = APIClient().get(f"{page(meeting)}/audio/l1.wav")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    cached = list((tmp_path / "simulator").glob("*.wav"))
    assert len(cached) == 1
    with wave.open(str(cached[0])) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 0.5 < seconds < 5  # "Good morning everyone." spoken, not an empty file


def test_lobby_waits_after_s_and_the_meeting_ends_at_ends_at_s(api):
    waiting = create(api, scenario={"lobby": {"policy": "admit", "after_s": 30}})
    state = APIClient().post(f"{page(waiting)}/knock", {"name": "Notula"}, format="json").json()
    assert state["bot"]["state"] == "lobby"  # admitted only after 30 s
    short = create(api, scenario={"lobby": {"policy": "admit"}, "ends_at_s": 0.2})
    state = APIClient().post(f"{page(short)}/knock", {"name": "Notula"}, format="json").json()
    assert state["bot"]["state"] == "in_call" and state["status"] == "live"
    time.sleep(0.3)
    seen = api.get(f"/simulator/api/meetings/{short['id']}").json()
    assert seen["status"] == "ended" and seen["clock_s"] == pytest.approx(0.2, abs=0.01)


def test_unknown_meeting_shows_the_platform_not_found_page(db):
    response = APIClient().get("/simulator/google_meet/sim_doesnotexist")
    assert response.status_code == 404 and b"Check your meeting code" in response.content


def test_everything_is_404_while_the_simulator_is_off(api, settings):
    meeting = create(api)
    settings.SIMULATOR_ENABLED = False
    assert api.post("/simulator/api/meetings", {"platform": "zoom"}, format="json").status_code == 404
    assert api.get(f"/simulator/api/meetings/{meeting['id']}").status_code == 404
    assert APIClient().get(page(meeting)).status_code == 404
    assert APIClient().get(f"{page(meeting)}/state").status_code == 404
    with pytest.raises(InvalidMeetingUrl):
        parse_meeting_url(meeting["url"])


def test_demo_scenario_is_valid_with_three_people_talking(db):
    from accounts.services import organization_get_or_create
    from simulator.scenario import demo_scenario
    from simulator.services import sim_meeting_create

    meeting = sim_meeting_create(
        organization=organization_get_or_create(name="Demo"), platform="google_meet", scenario=demo_scenario()
    )
    assert len(meeting.people) == 3 and {line["speaker"] for line in meeting.lines} == {
        p["name"] for p in meeting.people
    }


def test_list_shows_only_the_organizations_meetings(api, other_api):
    mine = create(api)
    create(other_api, platform="zoom")
    listed = api.get("/simulator/api/meetings").json()["data"]
    assert [m["id"] for m in listed] == [mine["id"]]


def test_the_page_endpoints_validate_their_input(api):
    meeting = create(api)
    client = APIClient()
    nameless = client.post(f"{page(meeting)}/knock", {"name": ""}, format="json")
    assert nameless.status_code == 400 and "name" in nameless.json()["error"]["fields"]
    assert client.post(f"{page(meeting)}/chat", {"text": "hi"}, format="json").status_code == 409  # not in the call
    bad_frame = client.post(f"{page(meeting)}/camera", {"has_image": True, "mean_rgb": [1, 2]}, format="json")
    assert bad_frame.status_code == 400 and "mean_rgb" in bad_frame.json()["error"]["fields"]
    assert client.get(f"{page(meeting)}/audio/l99.wav").status_code == 404


@pytest.mark.parametrize(
    "scenario,field",
    [
        ({"lobby": False}, "scenario.lobby"),
        ({"participants": None}, "scenario.participants"),
        ({"script": None}, "scenario.script"),
        ({"participants": [{"name": "Ann", "voice": None}]}, "scenario.participants[0].voice"),
        ({"participants": [{"name": "Ann", "age": 3}]}, "scenario.participants[0].age"),
        ({"lobby": {"policy": "admit", "after": 2}}, "scenario.lobby.after"),
    ],
)
def test_a_scenario_value_of_the_wrong_kind_is_refused_not_defaulted(api, scenario, field):
    response = api.post("/simulator/api/meetings", {"platform": "zoom", "scenario": scenario}, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.content


def test_the_page_state_says_when_the_next_scheduled_change_is_due(api):
    scenario = {
        "lobby": {"policy": "never"},
        "participants": [
            {"name": "Alice Smith", "joins_at_s": 0, "leaves_at_s": 40},
            {"name": "Bob Jones", "joins_at_s": 25},
        ],
        "ends_at_s": 60,
    }
    meeting = create(api, scenario=scenario)
    client = APIClient()
    client.get(page(meeting))
    client.post(f"{page(meeting)}/knock", {"name": "Notula"}, format="json")
    # Before the call there is no clock: the page polls at its lobby pace.
    assert client.get(f"{page(meeting)}/state").json()["next_change_s"] is None
    api.post(f"/simulator/api/meetings/{meeting['id']}/admit")
    assert client.get(f"{page(meeting)}/state").json()["next_change_s"] == 25  # Bob joins
    api.post(f"/simulator/api/meetings/{meeting['id']}/participants", {"name": "Carol White"}, format="json")
    api.post(f"/simulator/api/meetings/{meeting['id']}/participants/Alice Smith/leave")
    state = client.get(f"{page(meeting)}/state").json()
    assert state["next_change_s"] == 25 and "Alice Smith" not in {p["name"] for p in state["participants"]}
    api.post(f"/simulator/api/meetings/{meeting['id']}/end")
    assert client.get(f"{page(meeting)}/state").json()["next_change_s"] is None
