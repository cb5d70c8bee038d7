// Media for the simulated meeting client (engine.js): the bot's camera and the check that it shows a
// picture, and the participants' voices, each sent over its own WebRTC connection inside the page.
window.NotulaSimMedia = function (sim) {
  "use strict";

  const { cfg, st, post, hook, hooks, $$, setAttrs, fromTemplate, renderToggles } = sim;

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
    // A new picture (the bot changed it in the call) is reported at once too.
    const moved = st.camLastMean && mean.some((c, i) => Math.abs(c - st.camLastMean[i]) > 20);
    if (hasImage !== st.camLastSeen || moved || now - st.camLastPost > 10000) {
      st.camLastSeen = hasImage;
      st.camLastMean = mean;
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
    // A recorded line given without its text has nothing to caption.
    if (!box || !st.server.captions || !st.captionsOn || !line.text) return null;
    const el = fromTemplate("caption", { speaker: line.speaker, text: line.text });
    box.appendChild(el);
    while (box.children.length > 4) box.firstElementChild.remove();
    return el;
  }

  function clock() {
    const s = st.server;
    return s.clock_s === null ? null : s.clock_s + (performance.now() - st.fetchedAt) / 1000;
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

  return { setCamera, stopCamera, sampleCamera, audioCtx, addPeer, dropPeer, syncLines, clock };
};
