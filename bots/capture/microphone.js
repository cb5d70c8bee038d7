// Injected before any page script, before capture.js. The bot's microphone: every getUserMedia that
// asks for audio gets, instead of Chromium's fake device (a beep), the track of a WebAudio
// MediaStreamDestination that plays what the runner pushes (Int16 mono PCM, base64, any sample rate).
// Pushed clips are scheduled back to back, so a clip pushed ahead of time plays without a gap.
(() => {
  if (window.__notulaMic) return;
  const state = { ctx: null, dest: null, gain: null, sources: [], until: 0, pushed: 0 };

  function ensure() {
    if (state.ctx) return state.ctx;
    const ctx = new AudioContext({ sampleRate: 48000 });
    state.ctx = ctx;
    state.gain = ctx.createGain();
    state.dest = ctx.createMediaStreamDestination();
    state.gain.connect(state.dest);
    const resume = () => ctx.state !== "running" && ctx.resume().catch(() => {});
    ctx.onstatechange = resume;
    setInterval(resume, 1000);
    return ctx;
  }

  function fromBase64(b64) {
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Int16Array(bytes.buffer, 0, bytes.length >> 1);
  }

  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints) => {
      const wantsAudio = constraints && constraints.audio;
      const rest = wantsAudio ? Object.assign({}, constraints, { audio: false }) : constraints;
      const stream = rest && rest.video ? await original(rest) : new MediaStream();
      if (wantsAudio) {
        ensure();
        stream.addTrack(state.dest.stream.getAudioTracks()[0].clone());
      }
      return stream;
    };
  }

  window.__notulaMic = {
    // Schedules a clip after what is already queued; returns how many ms are queued from now.
    // `maxQueuedMs` (live audio): when the queue already runs that far ahead (the runner stalled, then
    // caught up), the new clip's start is dropped, so the delay comes back down instead of staying.
    push(b64, rate, maxQueuedMs) {
      const ctx = ensure();
      let pcm = fromBase64(b64);
      const queuedMs = Math.max(0, (state.until - ctx.currentTime) * 1000);
      if (maxQueuedMs && queuedMs > maxQueuedMs) {
        const skip = Math.min(pcm.length, Math.round(((queuedMs - maxQueuedMs / 2) / 1000) * rate));
        state.dropped = (state.dropped || 0) + skip;
        pcm = pcm.subarray(skip);
      }
      if (pcm.length) {
        const buffer = ctx.createBuffer(1, pcm.length, rate);
        const ch = buffer.getChannelData(0);
        for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
        const src = ctx.createBufferSource();
        src.buffer = buffer;
        src.connect(state.gain);
        const at = Math.max(state.until, ctx.currentTime + 0.05);
        src.start(at);
        state.until = at + buffer.duration;
        state.sources.push(src);
        src.onended = () => (state.sources = state.sources.filter((s) => s !== src));
        state.pushed += pcm.length;
      }
      return Math.max(0, (state.until - ctx.currentTime) * 1000);
    },
    // Silence at once: what was scheduled is dropped.
    stop() {
      state.sources.forEach((s) => {
        try { s.stop(); } catch (e) { /* not started yet */ }
      });
      state.sources = [];
      state.until = 0;
      return true;
    },
    stream() {
      ensure();
      return state.dest.stream;
    },
    queuedMs() {
      return state.ctx ? Math.max(0, (state.until - state.ctx.currentTime) * 1000) : 0;
    },
  };
})();
