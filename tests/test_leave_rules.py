from bots.leave_rules import AutoLeave, LeaveRules

RULES = LeaveRules(
    waiting_room_timeout=30, noone_joined_timeout=20, everyone_left_timeout=10, silence_timeout=60, max_duration=300
)


def test_from_settings_keeps_defaults_and_turns_rules_off():
    rules = LeaveRules.from_settings({"waiting_room_timeout": 5, "silence_timeout": 0, "max_duration": None})
    assert rules.waiting_room_timeout == 5
    assert rules.silence_timeout is None and rules.max_duration is None
    assert rules.everyone_left_timeout == LeaveRules().everyone_left_timeout == 60
    assert LeaveRules.from_settings(None) == LeaveRules()


def test_waiting_room_timeout_counts_from_the_knock():
    auto = AutoLeave(RULES, now=100)
    assert auto.waiting(now=129.9) is None
    assert auto.waiting(now=130) == "waiting_room_timeout"


def test_noone_joined():
    auto = AutoLeave(RULES, now=0)
    auto.admitted(now=10)
    assert auto.observe(now=29, participants=0, active=True) is None
    assert auto.observe(now=30, participants=0, active=True) == "noone_joined"


def test_everyone_left_counts_from_the_last_leave_and_resets_on_return():
    auto = AutoLeave(RULES, now=0)
    auto.admitted(now=0)
    assert auto.observe(now=5, participants=2, active=True) is None
    assert auto.observe(now=6, participants=0, active=True) is None
    assert auto.observe(now=15, participants=0, active=True) is None
    assert auto.observe(now=15.5, participants=1, active=True) is None  # someone came back
    assert auto.observe(now=40, participants=0, active=True) is None
    assert auto.observe(now=50, participants=0, active=True) == "everyone_left"
    # once someone was there, noone_joined never fires
    assert auto.anyone_seen


def test_silence_needs_neither_audio_nor_speaker():
    auto = AutoLeave(RULES, now=0)
    auto.admitted(now=0)
    assert auto.observe(now=50, participants=3, active=True) is None
    assert auto.observe(now=109, participants=3, active=False) is None
    assert auto.observe(now=110, participants=3, active=False) == "silence"


def test_max_duration_wins_over_everything():
    auto = AutoLeave(RULES, now=0)
    auto.admitted(now=0)
    assert auto.observe(now=299, participants=3, active=True) is None
    assert auto.observe(now=300, participants=0, active=False) == "max_duration"


def test_rules_set_to_zero_never_fire():
    rules = LeaveRules.from_settings({n: 0 for n in LeaveRules.__dataclass_fields__})
    auto = AutoLeave(rules, now=0)
    auto.admitted(now=0)
    assert auto.waiting(now=10**6) is None
    assert auto.observe(now=10**6, participants=0, active=False) is None
