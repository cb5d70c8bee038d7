// Injected before any page script (CDP Page.addScriptToEvaluateOnNewDocument). Captures the meeting's
// remote audio as 16 kHz mono Int16 in chunks of 100 ms, queued for the runner to drain.
// The stream runs from page load, silence included, so a chunk's sample offset is a clock; each chunk
// also carries the wall time it was completed at, so the runner can tell when that clock fell behind
// (an audio renderer starved of CPU skips time instead of catching up).
// Each remote track is also tapped on its own: its chunks are queued apart, keyed by the track's id,
// and only when they carry sound, so that a silent participant costs nothing past the page. Their
// offsets are on the mixed stream's clock (the AudioContext's frame count at the mix's first sample).
(() => {
  if (window.__notulaCapture) return;
  const RATE = 16000;
  const CHUNK = 1600;
  const MAX_QUEUE = 1200; // two minutes; older chunks are dropped (and counted) if the runner stalls
  // A track's chunk whose peak stays under this (about -54 dBFS) is silence: it is not queued.
  const TRACK_GATE = 64;
  const queue = [];
  const trackQueue = []; // [track id, base64 pcm, offset] of the tracks' own chunks that carry sound
  const localIds = new Set(); // the bot's own getUserMedia streams and tracks
  const attached = new Set();
  const state = { dropped: 0, tracks: 0, ctx: null, mixer: null, sink: null, error: null, started: false,
                  mixFrame0: null, worklet: false, taps: new Map() };

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

  function pushTrack(id, int16, frame) {
    if (state.mixFrame0 === null) return; // before the mixed stream's first sample: no clock yet
    trackQueue.push([id, toBase64(int16), frame - state.mixFrame0]);
    if (trackQueue.length > MAX_QUEUE) trackQueue.shift();
  }

  // One processor for the mix (every chunk) and for each track (gate > 0: only chunks with sound).
  // `frame`: the context's frame count at the chunk's first sample, the clock the tracks share.
  const WORKLET = `
    class NotulaChunker extends AudioWorkletProcessor {
      constructor(options) {
        super();
        this.gate = (options.processorOptions || {}).gate || 0;
        this.buf = new Int16Array(${CHUNK}); this.n = 0; this.offset = 0; this.peak = 0; this.frame = 0;
      }
      process(inputs) {
        const input = inputs[0];
        const ch = input && input.length ? input[0] : null;
        const frames = ch ? ch.length : 128;
        for (let i = 0; i < frames; i++) {
          let s = ch ? ch[i] : 0;
          s = s < -1 ? -1 : s > 1 ? 1 : s;
          if (this.n === 0) this.frame = currentFrame + i;
          const v = s < 0 ? s * 0x8000 : s * 0x7fff;
          this.buf[this.n++] = v;
          if (v > this.peak) this.peak = v; else if (-v > this.peak) this.peak = -v;
          if (this.n === ${CHUNK}) {
            if (!this.gate || this.peak >= this.gate) {
              this.port.postMessage({ pcm: this.buf, offset: this.offset, at: Date.now(), frame: this.frame },
                                    [this.buf.buffer]);
              this.buf = new Int16Array(${CHUNK});
            }
            this.offset += ${CHUNK};
            this.n = 0;
            this.peak = 0;
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
        node.port.onmessage = (e) => {
          if (state.mixFrame0 === null) state.mixFrame0 = e.data.frame - e.data.offset;
          push(e.data.pcm, e.data.offset, e.data.at);
        };
        state.mixer.connect(node);
        node.connect(state.sink);
        state.started = true;
        state.worklet = true;
        state.taps.forEach((tap, id) => tapTrack(id, tap));
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

  // The track's own chunker, once the worklet module is loaded (tracks that came earlier wait for it).
  function tapTrack(id, tap) {
    if (!state.worklet || tap.node) return;
    tap.node = new AudioWorkletNode(state.ctx, "notula-chunker", { numberOfInputs: 1, numberOfOutputs: 1,
      channelCount: 1, channelCountMode: "explicit", channelInterpretation: "speakers",
      processorOptions: { gate: TRACK_GATE } });
    tap.node.port.onmessage = (e) => pushTrack(id, e.data.pcm, e.data.frame);
    tap.source.connect(tap.node);
    tap.node.connect(state.sink);
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
    const tap = { source, node: null };
    state.taps.set(track.id, tap);
    tapTrack(track.id, tap);
    track.addEventListener("ended", () => {
      source.disconnect();
      if (tap.node) tap.node.disconnect();
      state.taps.delete(track.id);
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
      const trackChunks = trackQueue.splice(0, trackQueue.length);
      // `split`: the tracks are tapped one by one (none of their sound is missing from track_chunks).
      return { chunks, track_chunks: trackChunks, split: state.worklet && state.mixFrame0 !== null,
               dropped: state.dropped, tracks: state.tracks, started: state.started,
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
      const tap = { source: state.ownVoice, node: null }; // transcribed on its own like any track
      state.taps.set("own-voice", tap);
      tapTrack("own-voice", tap);
      return true;
    },
  };
  // Start the clock at once where the context is allowed to run (autoplay policy relaxed for bots).
  try { ensureContext(); } catch (e) { state.error = String(e); }
})();
