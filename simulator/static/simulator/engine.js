// The simulated meeting client: one engine for every platform page.
//
// Each platform template marks its elements with data-sim hooks (data-sim="join", data-sim-screen="lobby",
// <template data-sim-tpl="tile">) and carries the platform's own attributes and texts next to them; this
// file only drives the flow: pre-join -> lobby -> call -> end screens, the roster, captions, chat and the
// participants' audio. The server is the source of truth: the page polls it four times a second,
// and once a second in the call, sooner when the server says a scheduled change is due.
(function () {
  "use strict";

  const cfg = JSON.parse(document.getElementById("sim-config").textContent);
  const $$ = (sel, el) => Array.from((el || document).querySelectorAll(sel));
  const hooks = (name) => $$(`[data-sim="${name}"]`);
  const hook = (name) => hooks(name)[0] || null;

  const st = {
    screen: null,
    mic: cfg.initial.mic,
    camera: cfg.initial.camera,
    captionsOn: cfg.captions_default,
    server: null,
    fetchedAt: 0,
    timer: null,
    lines: new Map(), // line id -> {line, buffer, state: loading|ready|played}
    peers: new Map(), // participant id -> {tx, rx, dest, audio, speaking}
    tiles: new Map(),
    chatShown: 0,
    chatUnread: 0,
    camStream: null,
    camVideo: null,
    camLastPost: 0,
    camLastSeen: null,
  };

  // --- plumbing ---------------------------------------------------------------------------------------
  function post(path, body) {
    return fetch(`${cfg.base}/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    }).then((r) => r.json().catch(() => ({})));
  }

  function setAttrs(el, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") {
        (el.querySelector("[data-sim-label]") || el).textContent = value;
      } else if (key === "class") {
        const [off, on] = value;
        if (off) el.classList.remove(...off.split(" "));
        if (on) el.classList.add(...on.split(" "));
      } else {
        el.setAttribute(key, value);
      }
    }
  }

  function fromTemplate(name, fields, id) {
    // data-sim-field="x": text of field x; data-sim-id-attrs / data-sim-name-attrs: attributes set to
    // the participant's id / name (platforms carry one or the other on their tiles).
    const tpl = document.querySelector(`template[data-sim-tpl="${name}"]`);
    const el = tpl.content.firstElementChild.cloneNode(true);
    for (const [field, value] of Object.entries(fields)) {
      $$(`[data-sim-field="${field}"]`, el).forEach((node) => (node.textContent = value));
    }
    if (id !== undefined) {
      const targets = [el, ...$$("[data-sim-id-attrs]", el)];
      targets.forEach((node) => {
        (node.dataset.simIdAttrs || "").split(" ").filter(Boolean).forEach((a) => node.setAttribute(a, id));
      });
      el.dataset.simId = id;
    }
    [el, ...$$("[data-sim-name-attrs]", el)].forEach((node) => {
      (node.dataset.simNameAttrs || "").split(" ").filter(Boolean).forEach((a) => node.setAttribute(a, fields.name));
    });
    return el;
  }

  function show(screen) {
    if (st.screen === screen) return;
    st.screen = screen;
    $$("[data-sim-screen]").forEach((el) => (el.hidden = el.dataset.simScreen !== screen));
    if (cfg.titles && cfg.titles[screen]) document.title = cfg.titles[screen];
  }

  // --- microphone and camera toggles -----------------------------------------------------------------
  function renderToggles() {
    hooks("mic").forEach((el) => setAttrs(el, cfg.toggles.mic[st.mic ? "on" : "off"]));
    hooks("camera").forEach((el) => setAttrs(el, cfg.toggles.camera[st.camera ? "on" : "off"]));
    hooks("captions-toggle").forEach((el) => setAttrs(el, cfg.toggles.captions[st.captionsOn ? "on" : "off"]));
    hooks("captions").forEach((el) => (el.hidden = !(st.captionsOn && st.server && st.server.captions)));
    hooks("camera-off-avatar").forEach((el) => (el.hidden = st.camera));
  }

  // Camera, participants' audio and captions live in media.js.
  const media = window.NotulaSimMedia({ cfg, st, post, hook, hooks, $$, setAttrs, fromTemplate, renderToggles });
  const { setCamera, stopCamera, sampleCamera, audioCtx, addPeer, dropPeer, syncLines, clock } = media;

  // --- the call ---------------------------------------------------------------------------------------
  function syncRoster(s) {
    if (!st.tiles.has("self")) {
      const tile = fromTemplate("self-tile", { name: s.bot.name }, "self");
      hook("tiles").appendChild(tile);
      st.tiles.set("self", { tile, row: null });
      hooks("self-video").forEach((v) => ((v.srcObject = st.camStream), (v.hidden = !st.camStream)));
      renderToggles();
    }
    const present = new Set(s.participants.map((p) => p.id));
    for (const person of s.participants) {
      if (st.tiles.has(person.id)) continue;
      const tile = fromTemplate("tile", { name: person.name }, person.id);
      const row = fromTemplate("person", { name: person.name, role: person.is_host ? cfg.host_label : "" }, person.id);
      hook("tiles").appendChild(tile);
      hook("people-list").appendChild(row);
      // The chat's recipient chooser (Zoom, Webex) offers each participant in the call.
      const option = hook("chat-to") && new Option(person.name, person.id);
      if (option) hook("chat-to").appendChild(option);
      st.tiles.set(person.id, { tile, row, option });
      addPeer(person);
    }
    for (const [id, entry] of st.tiles) {
      if (id === "self" || present.has(id)) continue;
      entry.tile.remove();
      entry.row.remove();
      if (entry.option) entry.option.remove();
      st.tiles.delete(id);
      dropPeer(id);
    }
    hooks("people-count").forEach((el) => (el.textContent = String(present.size + 1)));
  }

  // The host's permission to record, where the meeting asks for one: one line per state of the request.
  function syncRecording(s) {
    const box = hook("recording");
    const asked = s.recording || {};
    if (!box) return;
    box.hidden = !asked.required;
    const state = asked.state || "ask";
    $$("[data-sim-recording]", box).forEach((el) => (el.hidden = el.dataset.simRecording !== state));
  }

  function syncChat(s) {
    const list = hook("chat-list");
    const messages = s.chat;
    const panel = hook("chat-panel");
    for (let i = st.chatShown; i < messages.length; i++) {
      const m = messages[i];
      const item = fromTemplate("chat-message", { sender: m.sender, text: m.text, to: m.to_name || "" });
      $$("[data-sim-private]", item).forEach((el) => (el.hidden = !m.to_name));
      list.appendChild(item);
      // As in the real clients, a message that arrives while the panel is closed is still added to the
      // list, and the chat button counts it as unread until the panel opens.
      if (panel && panel.hidden && m.sender !== s.bot.name) st.chatUnread += 1;
    }
    st.chatShown = messages.length;
    renderUnread();
  }

  function renderUnread() {
    hooks("chat-toggle").forEach((el) => {
      if (st.chatUnread) el.setAttribute("data-unread", String(st.chatUnread));
      else el.removeAttribute("data-unread");
    });
  }

  function teardown() {
    for (const id of Array.from(st.peers.keys())) dropPeer(id);
    stopCamera();
  }

  function finish(screen) {
    st.done = true; // a poll still in flight must not bring the call back
    teardown();
    show(screen);
    if (st.timer) clearTimeout(st.timer);
    st.timer = null;
  }

  function apply(s) {
    if (s.access === "blocked" || s.access === "captcha") return finish(s.access);
    if (s.access === "login_required") return finish("login");
    const bot = s.bot.state;
    if (bot === "denied" || bot === "removed" || bot === "left") return finish(bot);
    if (s.status === "ended") return finish("ended");
    if (bot === "lobby") return show(s.waiting);
    if (bot === "in_call") {
      show("call");
      syncRecording(s);
      syncRoster(s);
      syncLines(s);
      syncChat(s);
      return undefined;
    }
    if (!st.screen) show("prejoin");
    return undefined;
  }

  // One poll in flight at a time: when the server is slow, polls that pile up make it slower still.
  function poll() {
    if (st.polling) return;
    st.polling = true;
    fetch(`${cfg.base}/state`, { cache: "no-store" })
      .then((r) => r.json())
      .then(received)
      .catch(() => {})
      .finally(() => (st.polling = false));
  }

  // The next poll: soon outside the call (the lobby answer, the prejoin), seldom in it, but just after
  // a change the scenario schedules (someone joins or leaves, the meeting ends).
  function pollLater() {
    if (st.done) return;
    let delay = st.screen === "call" ? cfg.call_poll_ms : cfg.poll_ms;
    const next = st.server && st.server.next_change_s;
    const t = st.server ? clock() : null;
    if (next != null && t != null) delay = Math.min(delay, Math.max(cfg.poll_ms / 5, (next - t) * 1000 + 20));
    st.timer = setTimeout(() => {
      poll();
      pollLater();
    }, delay);
  }

  function received(s) {
    if (st.done) return;
    st.server = s;
    st.fetchedAt = performance.now();
    apply(s);
    renderToggles();
    sampleCamera();
  }

  // --- controls ---------------------------------------------------------------------------------------
  // A modal dialog on the pre-join screen ("Got it") keeps the join button from answering until dismissed.
  const dialogOpen = () => $$("[data-sim-dialog]").some((d) => !d.hidden && d.closest("[hidden]") === null);

  function join() {
    const name = (hook("name").value || "").trim();
    if (!name || st.screen !== "prejoin" || st.knocking || dialogOpen()) return;
    st.knocking = true;
    audioCtx();
    // The lobby shows once the server has the request, as a real client waits for its signalling.
    post("knock", { name, mic_on: st.mic, camera_on: st.camera }).then((s) => {
      st.knocking = false;
      if (s && s.bot) received(s);
    });
  }

  function leave() {
    if (cfg.confirm_leave && st.screen === "call" && hook("leave-confirm").hidden) {
      hook("leave-confirm").hidden = false;
      return;
    }
    // Hanging up is local and immediate, as in the real clients; the server hears of it after.
    finish("left");
    post("leave");
  }

  function sendChat() {
    const input = hook("chat-input");
    const text = ("value" in input ? input.value : input.textContent).trim();
    if (!text) return;
    if ("value" in input) input.value = "";
    else input.textContent = "";
    const chooser = hook("chat-to");
    post("chat", { text, to: chooser ? chooser.value || null : null }).then(poll);
  }

  function toggle(panel) {
    const el = hook(panel);
    el.hidden = !el.hidden;
  }

  document.addEventListener("click", (e) => {
    const el = e.target.closest("[data-sim]");
    if (!el || el.disabled || el.getAttribute("aria-disabled") === "true") return;
    const action = el.dataset.sim;
    if (action === "mic") {
      st.mic = !st.mic;
      renderToggles();
      if (st.screen !== "prejoin") post("media", { mic_on: st.mic });
    } else if (action === "camera") {
      setCamera(!st.camera).then(() => st.screen !== "prejoin" && post("media", { camera_on: st.camera }));
    } else if (action === "join") join();
    else if (action === "leave" || action === "leave-confirmed") leave();
    else if (action === "captions-toggle") {
      st.captionsOn = !st.captionsOn;
      renderToggles();
    } else if (action === "chat-toggle") {
      toggle("chat-panel");
      if (!hook("chat-panel").hidden) st.chatUnread = 0;
      renderUnread();
    }
    else if (action === "people-toggle") toggle("people-panel");
    else if (action === "chat-send") sendChat();
    else if (action === "dismiss") el.closest("[data-sim-dialog]").hidden = true;
    else if (action === "ask-recording") post("record").then(poll);
  });

  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && e.target.closest('[data-sim="chat-input"]')) {
      e.preventDefault();
      sendChat();
    } else if (e.key === "Enter" && e.target.closest('[data-sim="name"]')) join();
  });

  document.addEventListener("input", (e) => {
    if (e.target.closest('[data-sim="name"]')) {
      const empty = !e.target.value.trim();
      hooks("join").forEach((b) => (b.disabled = empty));
    }
  });

  hooks("join").forEach((b) => (b.disabled = !(hook("name") && hook("name").value.trim())));
  renderToggles();
  setCamera(st.camera);
  poll();
  pollLater();
  window.__notulaSim = st; // for debugging in DevTools
})();
