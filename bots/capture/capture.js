// Injected before any page script (CDP Page.addScriptToEvaluateOnNewDocument). Captures the meeting's
// remote audio as 16 kHz mono Int16 in chunks of 100 ms, queued for the runner to drain.
// The stream runs from page load, silence included, so a chunk's sample offset is a clock; each chunk
// also carries the wall time it was completed at, so the runner can tell when that clock fell behind
// (an audio renderer starved of CPU skips time instead of catching up).
(() => {
  if (window.__notulaCapture) return;
  const RATE = 16000;
  const CHUNK = 1600;
  const MAX_QUEUE = 1200; // two minutes; older chunks are dropped (and counted) if the runner stalls
  const queue = [];
  const localIds = new Set(); // the bot's own getUserMedia streams and tracks
  const attached = new Set();
  const state = { dropped: 0, tracks: 0, ctx: null, mixer: null, sink: null, error: null, started: false };

  function toBase64(int16) {
    const bytes = new Uint8Array(int16.buffer, int16.byteOffset, int16.byteLength);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  function push(int16, offset, at) {
    queue.push([toBase64(int16), offset, at]);
    if (queue.length > MAX_QUEUE) {
      queue.shift();
      state.dropped += 1;
    }
  }

  const WORKLET = `
    class NotulaChunker extends AudioWorkletProcessor {
      constructor() { super(); this.buf = new Int16Array(${CHUNK}); this.n = 0; this.offset = 0; }
      process(inputs) {
        const input = inputs[0];
        const ch = input && input.length ? input[0] : null;
        const frames = ch ? ch.length : 128;
        for (let i = 0; i < frames; i++) {
          let s = ch ? ch[i] : 0;
          s = s < -1 ? -1 : s > 1 ? 1 : s;
          this.buf[this.n++] = s < 0 ? s * 0x8000 : s * 0x7fff;
          if (this.n === ${CHUNK}) {
            this.port.postMessage({ pcm: this.buf, offset: this.offset, at: Date.now() }, [this.buf.buffer]);
            this.offset += ${CHUNK};
            this.buf = new Int16Array(${CHUNK});
            this.n = 0;
          }
        }
        return true;
      }
    }
    registerProcessor("notula-chunker", NotulaChunker);
  `;

  function startWithScriptProcessor(ctx, mixer) {
    // Fallback where AudioWorklet cannot load (a page CSP refusing blob: modules).
    const node = ctx.createScriptProcessor(4096, 1, 1);
    let buf = new Int16Array(CHUNK), n = 0, offset = 0;
    node.onaudioprocess = (e) => {
      const ch = e.inputBuffer.getChannelData(0);
      for (let i = 0; i < ch.length; i++) {
        const s = Math.max(-1, Math.min(1, ch[i]));
        buf[n++] = s < 0 ? s * 0x8000 : s * 0x7fff;
        if (n === CHUNK) { push(buf, offset, Date.now()); offset += CHUNK; buf = new Int16Array(CHUNK); n = 0; }
      }
    };
    mixer.connect(node);
    node.connect(state.sink);
    state.started = true;
  }

  function ensureContext() {
    if (state.ctx) return state.ctx;
    const ctx = new AudioContext({ sampleRate: RATE });
    state.ctx = ctx;
    state.mixer = ctx.createGain();
    // The processing node must reach the destination to be pulled; a zero gain keeps the bot mute.
    state.sink = ctx.createGain();
    state.sink.gain.value = 0;
    state.sink.connect(ctx.destination);
    const url = URL.createObjectURL(new Blob([WORKLET], { type: "application/javascript" }));
    ctx.audioWorklet
      .addModule(url)
      .then(() => {
        const node = new AudioWorkletNode(ctx, "notula-chunker", { numberOfInputs: 1, numberOfOutputs: 1,
          channelCount: 1, channelCountMode: "explicit", channelInterpretation: "speakers" });
        node.port.onmessage = (e) => push(e.data.pcm, e.data.offset, e.data.at);
        state.mixer.connect(node);
        node.connect(state.sink);
        state.started = true;
      })
      .catch((err) => {
        state.error = String(err);
        startWithScriptProcessor(ctx, state.mixer);
      });
    const resume = () => ctx.state !== "running" && ctx.resume().catch(() => {});
    ctx.onstatechange = resume;
    setInterval(resume, 1000);
    return ctx;
  }

  function attach(track, streams) {
    if (track.kind !== "audio" || attached.has(track.id) || localIds.has(track.id)) return;
    if (streams && streams.some((s) => localIds.has(s.id))) return; // our own microphone, echoed back
    attached.add(track.id);
    state.tracks += 1;
    const ctx = ensureContext();
    const stream = streams && streams[0] && streams[0].getAudioTracks().length === 1
      ? streams[0] : new MediaStream([track]);
    // Without a media element playing the stream, Chromium hands WebAudio silence.
    const el = new Audio();
    el.muted = true;
    el.srcObject = stream;
    el.play().catch(() => {});
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    source.connect(state.mixer);
    track.addEventListener("ended", () => {
      source.disconnect();
      el.srcObject = null;
      attached.delete(track.id);
    });
  }

  const Native = window.RTCPeerConnection;
  if (Native) {
    class NotulaPeerConnection extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener("track", (e) => attach(e.track, e.streams));
      }
    }
    window.RTCPeerConnection = NotulaPeerConnection;
    if (window.webkitRTCPeerConnection) window.webkitRTCPeerConnection = NotulaPeerConnection;
  }

  // The bot's own microphone must stay out of the mix, even if a page echoes it back.
  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      localIds.add(stream.id);
      stream.getTracks().forEach((t) => localIds.add(t.id));
      return stream;
    };
  }

  window.__notulaCapture = {
    drain() {
      ensureContext();
      const chunks = queue.splice(0, queue.length);
      return { chunks, dropped: state.dropped, tracks: state.tracks, started: state.started,
               state: state.ctx ? state.ctx.state : "none", error: state.error };
    },
    start() { ensureContext(); return true; },
    // The bot's own microphone (microphone.js) into the mix: its voice recorded and transcribed, on request.
    includeOwnVoice() {
      const own = window.__notulaMic && window.__notulaMic.stream();
      if (!own || state.ownVoice) return !!state.ownVoice;
      const ctx = ensureContext();
      state.ownVoice = ctx.createMediaStreamSource(own);
      state.ownVoice.connect(state.mixer);
      return true;
    },
  };
  // Start the clock at once where the context is allowed to run (autoplay policy relaxed for bots).
  try { ensureContext(); } catch (e) { state.error = String(e); }
})();
