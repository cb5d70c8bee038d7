"""The dashboard's simulator pages: scenarios, host controls, tenancy, simulator off."""

from bots.models import Bot
from simulator.models import SimMeeting
from simulator.services import sim_meeting_create


def test_simulator_start_a_scenario_and_send_a_bot(signed_in, org):
    page = signed_in.get("/dashboard/simulator/").content.decode()
    assert 'data-scenario="planning"' in page and "No simulated meeting yet" in page
    response = signed_in.post(
        "/dashboard/simulator/start", {"scenario": "one_on_one", "send_bot": "1", "bot_name": "Sim"}
    )
    sim = SimMeeting.objects.get(organization=org)
    assert response["Location"] == f"/dashboard/simulator/{sim.pk}/"
    bot = Bot.objects.get(organization=org)
    assert bot.meeting_url == f"http://testserver/simulator/google_meet/{sim.pk}" and bot.bot_name == "Sim"
    detail = signed_in.get(response["Location"]).content.decode()
    assert "One-on-one" in detail and f"/dashboard/meetings/{bot.meeting_id}/" in detail
    assert "Alice Smith" in detail and "Bob Jones" in detail


def test_simulator_host_controls(signed_in, org):
    signed_in.post("/dashboard/simulator/start", {"scenario": "lobby"})
    sim = SimMeeting.objects.get(organization=org)
    assert not Bot.objects.filter(organization=org).exists()
    base = f"/dashboard/simulator/{sim.pk}"
    signed_in.post(f"{base}/admit")
    sim.refresh_from_db()
    assert sim.scenario["lobby"]["policy"] == "admit"  # the bot is let in as soon as it asks
    signed_in.post(f"{base}/join", {"name": "Dana Lee"})
    signed_in.post(f"{base}/say", {"participant": "Dana Lee", "text": "Hello from Dana."})
    signed_in.post(f"{base}/leave", {"name": "Bob Jones"})
    sim.refresh_from_db()
    assert any(p["name"] == "Dana Lee" for p in sim.people)
    assert sim.lines[-1]["speaker"] == "Dana Lee" and sim.lines[-1]["text"] == "Hello from Dana."
    refused = signed_in.post(f"{base}/say", {"participant": "Nobody", "text": "Hi"}, follow=True)
    assert "No participant named &#x27;Nobody&#x27; is in the meeting." in refused.content.decode()
    signed_in.post(f"{base}/end")
    sim.refresh_from_db()
    assert sim.status == "ended"
    state = signed_in.get(f"{base}/state").content.decode()
    assert 'id="sim-status">ended' in state


def test_another_organizations_simulated_meeting_is_404(signed_in, other_org):
    sim = sim_meeting_create(organization=other_org, platform="google_meet", scenario=None)
    assert signed_in.get(f"/dashboard/simulator/{sim.pk}/").status_code == 404
    assert signed_in.post(f"/dashboard/simulator/{sim.pk}/end").status_code == 404
    sim.refresh_from_db()
    assert sim.status != "ended"


def test_simulator_off(signed_in, settings):
    settings.SIMULATOR_ENABLED = False
    assert b"simulator is off" in signed_in.get("/dashboard/simulator/").content
    assert signed_in.post("/dashboard/simulator/start", {"scenario": "planning"}).status_code == 404
