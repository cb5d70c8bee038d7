"""Ready-made simulator scenarios the dashboard offers: each shows one behaviour of a bot."""

import copy

from simulator.scenario import demo_scenario

PEOPLE = [
    {"name": "Alice Smith", "voice": "en-us", "joins_at_s": 0, "leaves_at_s": None},
    {"name": "Bob Jones", "voice": "en-gb", "joins_at_s": 0, "leaves_at_s": None},
]


def _one_on_one() -> dict:
    return {
        "title": "One-on-one",
        "lobby": {"policy": "admit", "after_s": 2},
        "captions": True,
        "participants": copy.deepcopy(PEOPLE),
        "script": [
            {"at_s": 2, "speaker": "Alice Smith", "text": "Hi Bob, how was your week?"},
            {"at_s": 6, "speaker": "Bob Jones", "text": "Busy but good. The migration is finished."},
            {"at_s": 11, "speaker": "Alice Smith", "text": "Great news. Let's talk about next quarter."},
        ],
        "ends_at_s": 25,
    }


def _lobby(policy: str, title: str) -> dict:
    scenario = _one_on_one()
    scenario.update(title=title, lobby={"policy": policy, "after_s": 3})
    return scenario


def _everyone_leaves() -> dict:
    scenario = _one_on_one()
    scenario["title"] = "Everyone leaves"
    for person in scenario["participants"]:
        person["leaves_at_s"] = 15
    scenario["ends_at_s"] = None
    return scenario


SCENARIOS = {
    "planning": ("Weekly planning", "Three people plan the week for about 40 s; the bot is let in after 3 s.",
                 demo_scenario),
    "one_on_one": ("One-on-one", "Two people, three lines; the host ends the meeting after 25 s.", _one_on_one),
    "denied": ("Host denies the bot", "The host refuses the bot at the door: it ends with admission_denied.",
               lambda: _lobby("deny", "Host denies the bot")),
    "lobby": ("Nobody answers the lobby", "The bot waits until you admit or deny it from here.",
              lambda: _lobby("never", "Nobody answers the lobby")),
    "everyone_leaves": ("Everyone leaves",
                        "Both people leave after 15 s; the bot follows when its everyone-left timeout passes.",
                        _everyone_leaves),
}  # fmt: skip


def scenario_build(key: str) -> dict:
    return SCENARIOS[key][2]()
