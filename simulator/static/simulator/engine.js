// The simulated meeting client: one engine for every platform page.
//
// Each platform template marks its elements with data-sim hooks (data-sim="join", data-sim-screen="lobby",
// <template data-sim-tpl="tile">) and carries the platform's own attributes and texts next to them; this
// file only drives the flow: pre-join -> lobby -> call -> end screens, the roster, captions, chat and the
// participants' audio. The server is the source of truth: the page polls it four times a second.
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
    return el;
  }

  function show(screen) {
    if (st.screen === screen) return;
    st.screen = screen;
    $$("[data-sim-screen]").forEach((el) => (el.hidden = el.dataset.simScreen !== screen));
    if (cfg.titles && cfg.titles[screen]) document.title = cfg.titles[screen];
  }

  // --- microphone and camera --------------------------------------------------------------------------
  function renderToggles() {
    hooks("mic").forEach((el) => setAttrs(el, cfg.toggles.mic[st.mic ? "on" : "off"]));
    hooks("camera").forEach((el) => setAttrs(el, cfg.toggles.camera[st.camera ? "on" : "off"]));
    hooks("captions-toggle").forEach((el) => setAttrs(el, cfg.toggles.captions[st.captionsOn ? "on" : "off"]));
    hooks("captions").forEach((el) => (el.hidden = !(st.captionsOn && st.server && st.server.captions)));
    hooks("camera-off-avatar").forEach((el) => (el.hidden = st.camera));
  }

  async function setCamera(on) {
    st.camera = on;
    if (on && !st.camStream) {
      try {
        st.camStream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
      } catch (err) {
        st.camera = false; // no camera, like a client whose permission was refused
      }
      if (st.camStream && !st.camera) stopCamera();
    } else if (!on) {
      stopCamera();
    }
    hooks("self-video").forEach((v) => {
      v.srcObject = st.camStream;
      v.hidden = !st.camStream;
    });
    renderToggles();
  }

  function stopCamera() {
    if (st.camStream) st.camStream.getTracks().forEach((t) => t.stop());
    st.camStream = null;
  }

  // The runner shows the bot's picture by feeding it to Chromium as the fake camera. A picture is
  // told from Chromium's own test pattern (a flat, slowly changing colour with a small moving
  // shape) by its spread of colours over the frame.
  function sampleCamera() {
    if (!st.camStream || !["lobby", "call"].includes(st.screen)) return;
    if (!st.camVideo) {
      st.camVideo = document.createElement("video");
      st.camVideo.muted = true;
      st.camVideo.playsInline = true;
    }
    if (st.camVideo.srcObject !== st.camStream) {
      st.camVideo.srcObject = st.camStream;
      st.camVideo.play().catch(() => {});
    }
    if (st.camVideo.readyState < 2) return;
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 36;
    const g = canvas.getContext("2d", { willReadFrequently: true });
    g.drawImage(st.camVideo, 0, 0, 64, 36);
    const px = g.getImageData(0, 0, 64, 36).data;
    const n = px.length / 4;
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    for (let i = 0; i < px.length; i += 4) {
      for (let c = 0; c < 3; c++) {
        sum[c] += px[i + c];
        sq[c] += px[i + c] * px[i + c];
      }
    }
    const mean = sum.map((s) => s / n);
    const sd = Math.sqrt(sq.reduce((acc, s, c) => acc + s / n - mean[c] * mean[c], 0) / 3);
    const hasImage = sd > cfg.camera_image_min_stddev && !isFakePattern(mean, sd);
    const now = performance.now();
    if (hasImage !== st.camLastSeen || now - st.camLastPost > 10000) {
      st.camLastSeen = hasImage;
      st.camLastPost = now;
      post("camera", { has_image: hasImage, mean_rgb: mean, stddev: sd });
    }
  }

  function isFakePattern(mean, sd) {
    const [r, g, b] = mean;
    // Chromium's pattern is grey-green with low spread; a photo or logo is neither.
    return sd < cfg.camera_pattern_max_stddev && Math.abs(r - b) < 12 && g >= r;
  }

  // --- participants' audio: one WebRTC track per participant ---------------------------------------------
  function audioCtx() {
    if (!st.ac) st.ac = new AudioContext();
    if (st.ac.state === "suspended") st.ac.resume();
    return st.ac;
  }

  async function addPeer(person) {
    const ac = audioCtx();
    const dest = ac.createMediaStreamDestination();
    // Looked up at call time, not cached at load: code injected before the page's scripts may wrap
    // RTCPeerConnection, and the tracks it must see are the receiver's.
    const PC = window.RTCPeerConnection;
    const tx = new PC();
    const rx = new PC();
    const audio = document.createElement("audio");
    audio.autoplay = true;
    audio.dataset.participantId = person.id;
    hook("audio-sink").appendChild(audio);
    const peer = { tx, rx, dest, audio, speaking: 0 };
    st.peers.set(person.id, peer);
    tx.onicecandidate = (e) => e.candidate && rx.addIceCandidate(e.candidate).catch(() => {});
    rx.onicecandidate = (e) => e.candidate && tx.addIceCandidate(e.candidate).catch(() => {});
    rx.addEventListener("track", (e) => {
      audio.srcObject = e.streams[0] || new MediaStream([e.track]);
      audio.play().catch(() => {});
    });
    tx.addTransceiver(dest.stream.getAudioTracks()[0], { direction: "sendonly", streams: [dest.stream] });
    const offer = await tx.createOffer();
    await tx.setLocalDescription(offer);
    await rx.setRemoteDescription(offer);
    const answer = await rx.createAnswer();
    await rx.setLocalDescription(answer);
    await tx.setRemoteDescription(answer);
  }

  function dropPeer(id) {
    const peer = st.peers.get(id);
    if (!peer) return;
    peer.tx.close();
    peer.rx.close();
    peer.audio.srcObject = null;
    peer.audio.remove();
    st.peers.delete(id);
  }

  function setSpeaking(id, delta) {
    const peer = st.peers.get(id);
    if (peer) peer.speaking = Math.max(0, peer.speaking + delta);
    const on = !!(peer && peer.speaking);
    $$(`[data-sim-id="${id}"]`).forEach((el) => {
      $$("[data-sim-speaking]", el).concat(el.matches("[data-sim-speaking]") ? [el] : []).forEach((node) => {
        setAttrs(node, JSON.parse(node.dataset.simSpeaking)[on ? "on" : "off"]);
      });
    });
  }

  function loadLine(entry) {
    entry.state = "loading";
    fetch(`${cfg.base}/audio/${entry.line.id}.wav`)
      .then((r) => r.arrayBuffer())
      .then((data) => audioCtx().decodeAudioData(data))
      .then((buffer) => {
        entry.buffer = buffer;
        entry.state = "ready";
      })
      .catch(() => (entry.state = "failed"));
  }

  function playLine(entry) {
    entry.state = "played";
    const { line } = entry;
    const peer = st.peers.get(line.speaker_id);
    if (!peer || !entry.buffer) return;
    const src = audioCtx().createBufferSource();
    src.buffer = entry.buffer;
    src.connect(peer.dest);
    setSpeaking(line.speaker_id, +1);
    const caption = showCaption(line);
    src.onended = () => {
      setSpeaking(line.speaker_id, -1);
      if (caption) setTimeout(() => caption.remove(), cfg.caption_linger_ms);
    };
    src.start();
  }

  function showCaption(line) {
    const box = hook("captions-list") || hook("captions");
    if (!box || !st.server.captions || !st.captionsOn) return null;
    const el = fromTemplate("caption", { speaker: line.speaker, text: line.text });
    box.appendChild(el);
    while (box.children.length > 4) box.firstElementChild.remove();
    return el;
  }

  // --- the call ---------------------------------------------------------------------------------------
  function clock() {
    const s = st.server;
    return s.clock_s === null ? null : s.clock_s + (performance.now() - st.fetchedAt) / 1000;
  }

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
      st.tiles.set(person.id, { tile, row });
      addPeer(person);
    }
    for (const [id, entry] of st.tiles) {
      if (id === "self" || present.has(id)) continue;
      entry.tile.remove();
      entry.row.remove();
      st.tiles.delete(id);
      dropPeer(id);
    }
    hooks("people-count").forEach((el) => (el.textContent = String(present.size + 1)));
  }

  function syncLines(s) {
    const t = clock();
    for (const line of s.lines) {
      if (!st.lines.has(line.id)) st.lines.set(line.id, { line, state: "new" });
    }
    for (const entry of st.lines.values()) {
      const due = entry.line.at_s - t;
      if (entry.state === "new" && due < 5) loadLine(entry);
      if (due <= 0 && entry.state !== "played") {
        if (entry.state === "ready" && due > -5) playLine(entry);
        else if (due <= -5 || entry.state === "failed") entry.state = "played"; // too late: skip, like a missed word
      }
    }
  }

  function syncChat(s) {
    const list = hook("chat-list");
    const messages = s.chat;
    for (let i = st.chatShown; i < messages.length; i++) {
      list.appendChild(fromTemplate("chat-message", { sender: messages[i].sender, text: messages[i].text }));
    }
    st.chatShown = messages.length;
  }

  function teardown() {
    for (const id of Array.from(st.peers.keys())) dropPeer(id);
    stopCamera();
  }

  function finish(screen) {
    teardown();
    show(screen);
    if (st.timer) clearInterval(st.timer);
    st.timer = null;
  }

  function apply(s) {
    if (s.access === "blocked") return finish("blocked");
    if (s.access === "login_required") return finish("login");
    const bot = s.bot.state;
    if (bot === "denied" || bot === "removed" || bot === "left") return finish(bot);
    if (s.status === "ended") return finish("ended");
    if (bot === "lobby") return show("lobby");
    if (bot === "in_call") {
      show("call");
      syncRoster(s);
      syncLines(s);
      syncChat(s);
      return undefined;
    }
    if (!st.screen) show("prejoin");
    return undefined;
  }

  function poll() {
    fetch(`${cfg.base}/state`, { cache: "no-store" })
      .then((r) => r.json())
      .then(received)
      .catch(() => {});
  }

  function received(s) {
    st.server = s;
    st.fetchedAt = performance.now();
    apply(s);
    renderToggles();
    sampleCamera();
  }

  // --- controls ---------------------------------------------------------------------------------------
  function join() {
    const name = (hook("name").value || "").trim();
    if (!name || st.screen !== "prejoin" || st.knocking) return;
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
    post("leave").then(() => finish("left"));
  }

  function sendChat() {
    const input = hook("chat-input");
    const text = ("value" in input ? input.value : input.textContent).trim();
    if (!text) return;
    if ("value" in input) input.value = "";
    else input.textContent = "";
    post("chat", { text }).then(poll);
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
    } else if (action === "chat-toggle") toggle("chat-panel");
    else if (action === "people-toggle") toggle("people-panel");
    else if (action === "chat-send") sendChat();
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
  st.timer = setInterval(poll, cfg.poll_ms);
  window.__notulaSim = st; // for debugging in DevTools
})();
