"""One bot in one meeting, from the browser's start to the recording's last byte.

The runner (bots/runner.py) claims the bot and hands it here. Phases: join (open, ask to join, wait
in the lobby), call (a ~5 Hz loop: audio -> sinks, roster -> participants, rules, leave requests,
heartbeat), leave, post-processing (recordings). Every status change goes through bot_apply_event.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from bots import browser, lifecycle
from bots.actions import command_act
from bots.audio_feed import AudioFeed
from bots.call_actions import CallActions
from bots.camera import camera_blank_clip
from bots.capture import DRAIN_EXPRESSION, AudioCapture
from bots.chat import ChatWatcher
from bots.commands import Command, CommandInbox, bot_command_done
from bots.consent import recording_consent
from bots.endings import ending_message
from bots.in_call import on_admitted, screen_recording_start
from bots.join_gate import JoinSlot, join_slot_take
from bots.leave_rules import AutoLeave, LeaveRules
from bots.models import Bot, EndReason, RecordingState
from bots.platforms import registry
from bots.platforms.base import CallState, JoinBlocked, LoginRequired, MeetingNotFound, UiError, UnrecognizedPage
from bots.platforms.signin import SignInFailed
from bots.postprocess import call_post_process, call_salvage
from bots.roster import RosterTracker
from bots.screenshots import PeriodicScreenshots
from bots.signing_in import bot_sign_in
from bots.sinks import SinkFanout, audio_sinks_for, transcription_preload
from bots.states import bot_apply_event
from bots.zoom_auth import ZoomUnavailable, zoom_join_url
from meetings import services as meeting_services
from meetings.meeting_urls import meeting_join_url
from meetings.timeline import SpeakerTimeline

log = logging.getLogger(__name__)

TICK_S = 0.2
HEARTBEAT_S = 5.0
# Consecutive failed snapshots tolerated in the call (a page busy re-rendering) before giving up.
SNAPSHOT_RETRIES = 25

LOBBY_ENDINGS = {
    CallState.DENIED: EndReason.ADMISSION_DENIED,
    CallState.REMOVED: EndReason.REMOVED_BY_HOST,
    CallState.ENDED: EndReason.MEETING_ENDED,
    CallState.NOT_FOUND: EndReason.MEETING_NOT_FOUND,
    CallState.BLOCKED: EndReason.PLATFORM_BLOCKED,
    CallState.CAPTCHA: EndReason.PLATFORM_BLOCKED,
    CallState.LOGIN_REQUIRED: EndReason.LOGIN_REQUIRED,
}
CALL_ENDINGS = {
    CallState.REMOVED: EndReason.REMOVED_BY_HOST,
    CallState.DENIED: EndReason.REMOVED_BY_HOST,
    CallState.ENDED: EndReason.MEETING_ENDED,
    CallState.NOT_FOUND: EndReason.MEETING_ENDED,
}
JOIN_ERRORS = (
    (MeetingNotFound, EndReason.MEETING_NOT_FOUND),
    (JoinBlocked, EndReason.PLATFORM_BLOCKED),
    (LoginRequired, EndReason.LOGIN_REQUIRED),
    (UnrecognizedPage, EndReason.UNRECOGNIZED_PAGE),
    (UiError, EndReason.JOIN_STEP_FAILED),
)
# Endings of a bot that could not find its way in: failed, not ended, with the page kept as evidence.
JOIN_FAILURES = {EndReason.UNRECOGNIZED_PAGE, EndReason.JOIN_STEP_FAILED}
# Endings after which the page shows nothing worth keeping as evidence.
ORDINARY_ENDINGS = {EndReason.LEFT_BY_REQUEST}


class BotSession:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.rules = LeaveRules.from_settings(bot.settings.get("automatic_leave"))
        self.timeline = SpeakerTimeline()
        self.driver = None
        self.adapter = None
        self.capture: AudioCapture | None = None
        self.artefacts: tuple[bytes | None, str | None] = (None, None)
        self._last_heartbeat = 0.0
        self.inbox: CommandInbox | None = None
        self.join_slot = JoinSlot(None)  # this machine's turn to start a browser and join
        self.actions: CallActions | None = None  # speaking and pausing, once in the call
        self.launch_clip: Path | None = None  # the clip Chromium's fake camera plays
        self.chat: ChatWatcher | None = None  # once admitted; chat and screenshot commands need it
        self.call_over = None  # what post-processing needs, once the call loop has ended
        self.admitted_before_recording = False  # in the call, recording not yet allowed (bots/consent.py)

    # --- the whole session -------------------------------------------------------------------
    def run(self) -> None:
        bot = self.bot
        workdir = Path(settings.MEDIA_ROOT) / "bots" / bot.id
        fake_video = None
        if bot.bot_image_url:
            try:
                fake_video = browser.camera_file_from_image(bot.bot_image_url, workdir)
            except browser.CameraImageError as exc:
                lifecycle.bot_add_warning(bot=bot, code=lifecycle.BotWarning.CAMERA_OFF, message=f"Camera off: {exc}")
        camera_on = fake_video is not None
        # Without a picture, a black frame: a picture sent in the call takes its place (bots/camera.py).
        self.launch_clip = fake_video or camera_blank_clip(workdir)
        self.inbox = CommandInbox(bot.id)
        # A turn to start the browser and join; given back once the join is asked (see _join).
        self.join_slot = join_slot_take(on_wait=lambda: lifecycle.bot_heartbeat(bot=bot))
        if self.join_slot.given_up:
            # Asked to leave while waiting for its turn: no browser to start, nothing joined.
            self.inbox.close()
            lifecycle.bot_finish_unadmitted(bot=bot, end_reason=EndReason.LEFT_BY_REQUEST)
            return
        try:
            with browser.launch(fake_video=self.launch_clip) as driver:
                self.driver = driver
                try:
                    after_call = self._run_in_browser(camera_on=camera_on)
                except Exception:
                    self.artefacts = browser.debug_artefacts(driver)
                    raise
        finally:
            self.join_slot.release()
            self.inbox.close()
        # The browser is closed before the encoding starts: its memory and CPU go back at once.
        if after_call is not None:
            self._post_process(*after_call)

    def _run_in_browser(self, *, camera_on: bool):
        bot = self.bot
        adapter_class = registry.adapter_class(bot.platform)
        self.adapter = adapter_class(self.driver, bot_name=bot.bot_name, camera_on=camera_on)
        self.capture = AudioCapture(self.driver)
        transcription_preload(bot)
        auto = AutoLeave(self.rules, now=time.monotonic())
        ending = self._join(auto)
        if ending is not None:
            reason, message = ending
            self._finish_unadmitted(reason, message)
            return None
        return self._call(auto)

    # --- joining and the lobby -----------------------------------------------------------------
    def _ending(self, reason: str, detail: str = "") -> tuple[str, str]:
        return reason, ending_message(reason, detail, platform=self.bot.platform)

    def _join(self, auto: AutoLeave) -> tuple[str, str] | None:
        """Returns None once admitted, else (end_reason, end_message)."""
        try:
            self.adapter.signed_in = bot_sign_in(bot=self.bot, driver=self.driver)
            self.adapter.open(zoom_join_url(self.bot, meeting_join_url(self.bot.meeting_url)))
            self.adapter.join()
        except (SignInFailed, ZoomUnavailable) as exc:
            return EndReason.LOGIN_REQUIRED, exc.args[0]
        except UiError as exc:
            reason = next(r for kind, r in JOIN_ERRORS if isinstance(exc, kind))
            detail = f"a CAPTCHA: {exc}" if exc.state == CallState.CAPTCHA else str(exc)
            return self._ending(reason, detail)
        finally:
            self.join_slot.release()
        auto.knocked_at = time.monotonic()
        not_started = False
        while True:
            snap = self.adapter.snapshot()
            self._discard_audio()
            if snap.state == CallState.IN_CALL:
                return recording_consent(self)
            if snap.state in LOBBY_ENDINGS:
                return self._ending(LOBBY_ENDINGS[snap.state], snap.message)
            waiting = snap.state in (CallState.WAITING_ROOM, CallState.NOT_STARTED)
            if waiting and self.bot.status == "joining":
                bot_apply_event(self.bot, "entered_waiting_room")
            if waiting:
                not_started = snap.state == CallState.NOT_STARTED
            if self._leave_asked():
                return EndReason.LEFT_BY_REQUEST, ""
            reason = auto.waiting(now=time.monotonic())
            if reason:
                # Waiting for a host who never started the meeting is not waiting for admission.
                started = not (not_started and reason == EndReason.WAITING_ROOM_TIMEOUT)
                return self._ending(reason if started else EndReason.MEETING_NOT_STARTED)
            self._sleep()

    def _discard_audio(self) -> None:
        for _ in self.capture.drain():
            pass

    def _finish_unadmitted(self, reason: str, message: str) -> None:
        if reason not in ORDINARY_ENDINGS:
            self.artefacts = browser.debug_artefacts(self.driver)
            lifecycle.bot_save_debug_artefacts(bot=self.bot, screenshot=self.artefacts[0], html=self.artefacts[1])
        if reason in JOIN_FAILURES:
            bot_apply_event(self.bot, "failed", end_reason=reason, message=message)
            return
        bot_apply_event(self.bot, "leave_started", end_reason=reason, message=message)
        if reason in (EndReason.WAITING_ROOM_TIMEOUT, EndReason.LEFT_BY_REQUEST, EndReason.RECORDING_PERMISSION_DENIED):
            self._leave_page()
        lifecycle.bot_finish_unadmitted(bot=self.bot, end_reason=reason, message=message)

    def _leave_page(self) -> None:
        try:
            self.adapter.leave()
        except Exception:
            log.info("Bot %s: the leave control did not answer; closing the browser instead", self.bot.id)

    # --- in the call ------------------------------------------------------------------------------
    def _call(self, auto: AutoLeave):
        """In the call until a reason to leave; returns what post-processing needs."""
        bot = self.bot
        self._discard_audio()
        base_sample = self.capture.samples_seen
        admitted_wall = timezone.now()
        admitted = time.monotonic()
        if self.admitted_before_recording:  # in the call already, waiting for the host's permission
            bot_apply_event(bot, "recording_changed", recording_state=RecordingState.RECORDING)
        else:
            bot_apply_event(bot, "admitted", recording_state=RecordingState.RECORDING)
        meeting_services.meeting_set_times(meeting=bot.meeting, started_at=admitted_wall)
        auto.admitted(now=admitted)
        writer, sinks = audio_sinks_for(bot, self.timeline, started_at=admitted_wall)
        fanout = SinkFanout(sinks)
        roster = RosterTracker(meeting=bot.meeting, bot_id=bot.id, timeline=self.timeline)
        screen = screen_recording_start(bot, self.driver)
        capture = self.capture
        actions = self.actions = CallActions(
            bot, self.driver, self.adapter, admitted=admitted, samples=lambda: capture.samples_seen, screen=screen
        )
        on_admitted(bot, self.adapter)
        offset_ms = actions.recorded_ms  # the recorded clock: a paused stretch takes no time
        self.chat = ChatWatcher(bot, self.adapter, admitted_at=admitted)
        screenshots = PeriodicScreenshots(bot, self.driver)

        feed_audio = AudioFeed(capture=capture, actions=actions, fanout=fanout, base_sample=base_sample).feed

        reason, message, failures, leave_ms = "", "", 0, None
        try:
            while not reason:
                # The audio queue is drained in the snapshot's own script call: one call a tick.
                snap, drained = self.adapter.snapshot_with(DRAIN_EXPRESSION)
                active = feed_audio(self.capture.take(drained))
                if snap is None:
                    failures += 1
                    if failures > SNAPSHOT_RETRIES:
                        raise UiError("The page's snapshot script kept failing.")
                    self._sleep()
                    continue
                failures = 0
                if snap.state in CALL_ENDINGS:
                    reason, message = self._ending(CALL_ENDINGS[snap.state], snap.message)
                    break
                now_ms = offset_ms()
                if roster.update(snap.roster, at=timezone.now(), offset_ms=now_ms):
                    fanout.speakers_changed(roster.speakers())
                if snap.captions and not actions.paused:
                    fanout.captions(snap.captions)
                actions.tick()
                if self._leave_asked():
                    reason = EndReason.LEFT_BY_REQUEST
                    break
                self.chat.poll()
                screenshots.poll()
                reason = auto.observe(
                    now=time.monotonic(), participants=roster.count, active=active or bool(roster.speaking)
                )
                if not reason:
                    self._sleep()
            # The recording is the call up to the decision to leave, whatever the leave click costs.
            leave_ms = offset_ms()
            bot_apply_event(bot, "leave_started", end_reason=reason, message=message)
            if reason not in (EndReason.REMOVED_BY_HOST, EndReason.MEETING_ENDED):
                self._leave_page()
            feed_audio(self.capture.drain())
        finally:
            # Also on a crash: close what is open so the audio so far can still be saved.
            roster.close(at=timezone.now(), offset_ms=offset_ms())
            actions.close()
            call_ms = leave_ms if leave_ms is not None else offset_ms()
            video = screen.stop() if screen else None
            self.call_over = (writer, fanout, call_ms, video)
        return self.call_over

    def _post_process(self, writer, fanout: SinkFanout, call_ms: int, video) -> None:
        gaps = self.actions.pause.gaps if self.actions is not None else []
        call_post_process(bot=self.bot, writer=writer, fanout=fanout, call_ms=call_ms, video=video, gaps=gaps)

    def salvage(self) -> None:
        """After a crash in or after the call: keep the audio recorded so far (best effort)."""
        if self.call_over is not None:
            writer, fanout, call_ms, video = self.call_over
            call_salvage(bot=self.bot, writer=writer, fanout=fanout, call_ms=call_ms, video=video)

    # --- commands and heartbeat -------------------------------------------------------------------
    def _sleep(self) -> None:
        """Until the next tick, or until a command arrives."""
        if self.inbox is not None:
            self.inbox.wait(TICK_S)
        else:
            time.sleep(TICK_S)

    def _leave_asked(self) -> bool:
        """Act on the commands that came; whether one of them (or the heartbeat's look at the
        database, a fallback for a command lost on the way) asks the bot to leave."""
        leave = False
        for command in self.inbox.take() if self.inbox is not None else []:
            leave = leave or command.kind == "leave"
            self._acknowledge(command, command_act(self, command))
        return self._heartbeat() or leave

    def _acknowledge(self, command: Command, error: str = "") -> None:
        try:
            bot_command_done(bot=self.bot, command=command, error=error)
        except Exception:
            log.warning("Bot %s: command %s could not be recorded as done", self.bot.id, command.id, exc_info=True)

    def _heartbeat(self) -> bool:
        """Heartbeat every few seconds; returns whether a leave was requested meanwhile."""
        now = time.monotonic()
        if now - self._last_heartbeat >= HEARTBEAT_S:
            self._last_heartbeat = now
            return lifecycle.bot_heartbeat(bot=self.bot)
        return False
