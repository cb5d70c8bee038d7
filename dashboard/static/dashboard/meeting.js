/* Meeting page: live captions, participants, status timeline; fragments reloaded when events say so. */
(function () {
  "use strict";
  var N = window.Notula;
  var root = document.getElementById("meeting");
  if (!root) return;
  var meetingId = root.getAttribute("data-meeting-id");
  var lastSeq = parseInt(root.getAttribute("data-after"), 10) || 0;
  var captions = document.getElementById("captions");
  var captionsCard = document.getElementById("captions-card");
  var captionsState = document.getElementById("captions-state");
  var participants = document.getElementById("participants");
  var timeline = document.getElementById("timeline");

  function byId(id) { return document.getElementById(id); }
  function cssEscape(value) { return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/"/g, '\\"'); }

  // Partials and the final segment of one utterance share its id; older producers key by speaker.
  function speakerKey(data) {
    return String(data.utterance_id || data.participant_id || data.speaker || data.speaker_name || "");
  }
  function speakerName(data) { return data.speaker || data.speaker_name || data.participant_name || data.name || "Unknown"; }

  function clockMs(ms) { return ms == null ? "" : N.clock(ms / 1000); }

  function nearBottom() { return captions.scrollHeight - captions.scrollTop - captions.clientHeight < 80; }

  function utterance(data, partial) {
    var block = document.createElement("div");
    block.className = "utterance" + (partial ? " partial" : "");
    block.setAttribute("data-key", speakerKey(data));
    var who = document.createElement("div");
    who.className = "who";
    who.textContent = speakerName(data) + " ";
    var at = document.createElement("span");
    at.className = "muted";
    at.textContent = clockMs(data.start_ms);
    who.appendChild(at);
    var text = document.createElement("p");
    text.className = "text";
    block.appendChild(who);
    block.appendChild(text);
    return block;
  }

  // Lookups by id and speaker stay O(1): a page opened late replays thousands of lines.
  var shownSegments = {};
  var openPartials = {};
  var replaying = true;

  function showCaption(data, partial) {
    if (!partial && data.id && shownSegments[data.id]) return;
    var follow = !replaying && nearBottom();
    byId("captions-empty").classList.add("hidden");
    var key = speakerKey(data);
    // A speaker's running partial is replaced in place: by the next partial, then by the final segment.
    var block = openPartials[key];
    if (!block) {
      block = utterance(data, partial);
      captions.appendChild(block);
    }
    block.querySelector(".text").textContent = data.text || "";
    if (partial) {
      openPartials[key] = block;
    } else {
      delete openPartials[key];
      block.classList.remove("partial");
      if (data.id) { block.setAttribute("data-segment-id", data.id); shownSegments[data.id] = true; }
      // The final attribution may differ from the partial's guess.
      var who = block.querySelector(".who");
      who.firstChild.textContent = speakerName(data) + " ";
      who.querySelector(".muted").textContent = clockMs(data.start_ms);
    }
    if (follow) captions.scrollTop = captions.scrollHeight;
  }

  function participantItem(data) {
    var id = data.participant_id || data.id || "";
    var name = data.name || data.participant_name || "Someone";
    var item = id ? participants.querySelector('[data-participant-id="' + cssEscape(id) + '"]') : null;
    if (!item) item = participants.querySelector('[data-name="' + cssEscape(name) + '"]');
    if (!item) {
      item = document.createElement("li");
      item.innerHTML = '<span class="avatar"></span><span class="pname"></span><span class="pstate"></span>';
      item.querySelector(".avatar").textContent = name.charAt(0).toUpperCase();
      item.querySelector(".pname").textContent = name;
      participants.appendChild(item);
    }
    if (data.is_host && !item.querySelector(".tag")) {
      var tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = "host";
      item.querySelector(".pname").after(tag);
    }
    if (id) item.setAttribute("data-participant-id", id);
    item.setAttribute("data-name", name);
    return item;
  }

  function countParticipants() {
    var present = participants.querySelectorAll("li:not(.left)").length;
    var live = root.getAttribute("data-live") === "1";
    byId("participant-count").textContent = live
      ? (present ? present + " in the call" : "")
      : (participants.children.length ? participants.children.length + " joined" : "");
    byId("participants-empty").classList.toggle("hidden", participants.children.length > 0);
  }

  function addTimeline(event) {
    if (timeline.querySelector('[data-seq="' + event.sequence + '"]')) return;
    var item = document.createElement("li");
    item.setAttribute("data-seq", event.sequence);
    item.appendChild(N.badge(event.data.new_status));
    if (event.data.end_reason && N.TERMINAL.indexOf(event.data.new_status) >= 0) {
      var reason = document.createElement("span");
      reason.className = "reason";
      reason.textContent = event.data.end_reason;
      item.appendChild(reason);
    }
    item.appendChild(N.timeElement(event.created_at, "time"));
    timeline.appendChild(item);
    byId("timeline-empty").classList.add("hidden");
  }

  var pending = {};
  function reloadFragment(name) {
    // Several events in a row (insights, recordings) need one fetch, not one each.
    if (pending[name]) return;
    pending[name] = setTimeout(function () {
      pending[name] = null;
      var url = root.getAttribute("data-fragments").replace("NAME", name);
      fetch(url, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null) return;
        var target = byId("fragment-" + name);
        target.innerHTML = html;
        N.formatTimes(target);
        var finalTranscript = target.querySelector("#transcript:not(.hidden) [data-segment-id]");
        if (name === "transcript" && root.getAttribute("data-live") === "0" && finalTranscript) {
          captionsCard.classList.add("hidden");  // the final transcript takes over from the captions
        }
      });
    }, 300);
  }

  function botStatus(event) {
    var data = event.data;
    var card = document.querySelector('.bot-card[data-bot-id="' + cssEscape(event.bot_id || data.bot_id) + '"]');
    N.applyBotStatus(card, data, event.created_at);
    addTimeline(event);
    if (data.new_status === "in_call") captionsCard.classList.remove("hidden");
    if (N.TERMINAL.indexOf(data.new_status) >= 0) {
      if (card) {
        var leave = card.querySelector(".leave-form");
        if (leave) leave.remove();
      }
      if (!document.querySelector(".bot-card .leave-form")) {
        root.setAttribute("data-live", "0");
        byId("live-indicator").classList.add("hidden");
        participants.querySelectorAll("li:not(.left) .pstate").forEach(function (el) { el.textContent = ""; });
        countParticipants();
        reloadFragment("transcript");
        reloadFragment("media");
      }
    } else if (card && data.new_status === "leaving") {
      var button = card.querySelector(".leave-button");
      if (button) { button.disabled = true; button.textContent = "Leaving…"; }
    }
  }

  var handlers = {
    "caption.partial": function (e) { showCaption(e.data, true); },
    "segment.finalized": function (e) { showCaption(e.data, false); },
    "participant.joined": function (e) {
      var item = participantItem(e.data);
      item.classList.remove("left");
      item.querySelector(".pstate").textContent = "in the call";
      countParticipants();
    },
    "participant.left": function (e) {
      var item = participantItem(e.data);
      item.classList.add("left");
      item.classList.remove("speaking");
      item.querySelector(".pstate").textContent = "left";
      countParticipants();
    },
    "speaker.changed": function (e) {
      if (!(e.data.participant_id || e.data.name)) return;
      // Several people can talk at once: each indicator follows its own start and stop.
      participantItem(e.data).classList.toggle("speaking", e.data.speaking !== false);
    },
    "bot.status_changed": botStatus,
    "recording.ready": function () { reloadFragment("media"); },
    "transcript.ready": function () { reloadFragment("transcript"); },
    "coach.insight": function () { reloadFragment("transcript"); },
  };

  function apply(event) {
    if (event.sequence <= lastSeq) return;
    lastSeq = event.sequence;
    var handler = handlers[event.type];
    if (handler) handler(event);
    // Other scripts of the page (meeting_chat.js) hear the events too.
    document.dispatchEvent(new CustomEvent("notula:meeting-event", { detail: event }));
  }

  countParticipants();
  N.socket(function () { return "/ws/dashboard/meetings/" + meetingId + "?after=" + lastSeq; }, {
    open: function () { replaying = true; captionsState.textContent = "catching up…"; },
    close: function () { captionsState.textContent = "reconnecting…"; },
    message: function (event) {
      if (event.type === "replay") { event.events.forEach(apply); return; }
      if (event.type === "replay_done") {
        replaying = false;
        captions.scrollTop = captions.scrollHeight;
        captionsState.textContent = "live";
        return;
      }
      apply(event);
    },
  });
})();
