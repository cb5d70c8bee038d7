// The other participants hearing the bot: the client takes its microphone, as a real one does, and
// while the microphone is unmuted in the call sends what it carries to the server (16 kHz mono PCM,
// every half second), which keeps it (simulator/heard.py). The bot's tile lights up while it is audible.
// The listening audio graph runs only while the microphone is on: a muted bot sends nothing to hear, and
// a running graph costs the bot's browser CPU the whole call (docs/benchmarks.md).
(function () {
  "use strict";

  const cfg = JSON.parse(document.getElementById("sim-config").textContent);
  const RATE = 16000;
  const FLUSH = RATE / 2;
  const AUDIBLE = 0.01; // peak of a block (about -40 dBFS) above which the bot is heard speaking
  const WORKLET = `
    class SimHearing extends AudioWorkletProcessor {
      constructor() { super(); this.buf = new Float32Array(1600); this.n = 0; }
      process(inputs) {
        const ch = inputs[0] && inputs[0][0];
        for (let i = 0; i < 128; i++) {
          this.buf[this.n++] = ch ? ch[i] : 0;
          if (this.n === 1600) { this.port.postMessage(this.buf); this.buf = new Float32Array(1600); this.n = 0; }
        }
        return true;
      }
    }
    registerProcessor("sim-hearing", SimHearing);
  `;
  const h = { stream: null, asking: false, chunks: [], length: 0, lastLoud: 0, ctx: null };

  function toBase64(int16) {
    const bytes = new Uint8Array(int16.buffer, int16.byteOffset, int16.byteLength);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function live() {
    const st = window.__notulaSim;
    return st && st.screen === "call" && st.mic && !st.done;
  }

  function flush() {
    if (!h.length) return;
    const all = new Int16Array(h.length);
    let at = 0;
    h.chunks.forEach((c) => { all.set(c, at); at += c.length; });
    h.chunks = [];
    h.length = 0;
    fetch(`${cfg.base}/heard`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ pcm: toBase64(all), at: h.lastAt }),
    }).catch(() => {});
  }

  function take(samples) {
    if (!live()) return flush();
    const block = new Int16Array(samples.length);
    let peak = 0;
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]));
      peak = Math.max(peak, Math.abs(s));
      block[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
    }
    if (peak > AUDIBLE) h.lastLoud = performance.now();
    h.lastAt = Date.now(); // when the block's last sample was heard: dates the onsets server-side
    h.chunks.push(block);
    h.length += block.length;
    if (h.length >= FLUSH) flush();
  }

  function showSpeaking() {
    const on = live() && performance.now() - h.lastLoud < 400;
    document.querySelectorAll('[data-sim-id="self"]').forEach((el) => {
      el.classList.toggle("sim-bot-speaking", on);
      el.dataset.botSpeaking = on ? "true" : "false";
    });
  }

  function start() {
    const st = window.__notulaSim;
    if (h.stream || h.asking || !st || st.screen !== "call" || !navigator.mediaDevices) return;
    h.asking = true;
    navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then((stream) => {
        h.stream = stream;
        const ctx = new AudioContext({ sampleRate: RATE });
        h.ctx = ctx;
        const el = new Audio(); // a media element keeps the track flowing into WebAudio
        el.muted = true;
        el.srcObject = stream;
        el.play().catch(() => {});
        const source = ctx.createMediaStreamSource(stream);
        const sink = ctx.createGain();
        sink.gain.value = 0;
        sink.connect(ctx.destination);
        // On the audio thread: a page busy with its own scripts must not drop what the bot says.
        const url = URL.createObjectURL(new Blob([WORKLET], { type: "application/javascript" }));
        ctx.audioWorklet
          .addModule(url)
          .then(() => {
            const node = new AudioWorkletNode(ctx, "sim-hearing");
            node.port.onmessage = (e) => take(e.data);
            source.connect(node);
            node.connect(sink);
          })
          .catch(() => {
            const node = ctx.createScriptProcessor(2048, 1, 1);
            node.onaudioprocess = (e) => take(e.inputBuffer.getChannelData(0));
            source.connect(node);
            node.connect(sink);
          });
        listenWhileLive();
      })
      .catch(() => (h.asking = false)); // no microphone: nothing to hear
  }

  function listenWhileLive() {
    const ctx = h.ctx;
    if (!ctx || ctx.state === "closed") return;
    if (live() && ctx.state !== "running") ctx.resume().catch(() => {});
    else if (!live() && ctx.state === "running") ctx.suspend().then(flush, () => {});
  }

  setInterval(() => {
    start();
    listenWhileLive();
    showSpeaking();
  }, 200);
  // Turning the microphone on starts listening at once (after the page's own handler has flipped it).
  document.addEventListener("click", (e) => {
    if (e.target.closest('[data-sim="mic"]')) setTimeout(listenWhileLive, 0);
  });
})();
