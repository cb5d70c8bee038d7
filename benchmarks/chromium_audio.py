"""What a bot's Chromium spends on audio, piece by piece: one bot's browser (`bots.browser.launch`, the
capture and microphone scripts installed) opens small local pages, each holding one part of what a
meeting page runs, and the CPU of all its processes is read over --seconds per page:

- `blank`: nothing but the capture script's own graph (a 16 kHz AudioContext and its AudioWorklet);
- `context`: one more AudioContext at 48 kHz, running and silent;
- `contexts-3`: three more (48, 48 and 16 kHz), as a page with a microphone, a listener and voices;
- `loopback-N-silent` / `-tone`: N WebRTC sender/receiver pairs inside the page, as the simulator
  gives each participant, sending silence or a tone (speech's cost: every pair talking at once), the
  receiver's track played by an <audio> element as a meeting page does;
- `-pcmu`: the same with G.711 instead of Opus (what encoding costs); `-unplayed`: no element plays
  the received tracks (what decoding and playing cost).

    .venv/bin/python benchmarks/chromium_audio.py [--seconds 20] [--pages blank,context,...]
"""

import argparse
import collections
import functools
import http.server
import threading
import time
from pathlib import Path

from _cpu import threads_cpu
from _setup import django_setup, machine

RESUME = "setInterval(() => window.acs.forEach((c) => c.state !== 'running' && c.resume()), 1000);"
LOOPBACK = (
    "window.acs = [new AudioContext()];"
    + RESUME
    + """
async function pair(i) {
  const ac = window.acs[0], dest = ac.createMediaStreamDestination();
  if (q.tone) { const o = ac.createOscillator(); o.frequency.value = 200 + 100 * i; o.connect(dest); o.start(); }
  const tx = new RTCPeerConnection(), rx = new RTCPeerConnection();
  tx.onicecandidate = (e) => e.candidate && rx.addIceCandidate(e.candidate);
  rx.onicecandidate = (e) => e.candidate && tx.addIceCandidate(e.candidate);
  rx.ontrack = (e) => {
    if (!q.play) return;
    const el = document.createElement("audio");
    el.srcObject = e.streams[0];
    document.body.appendChild(el);
    el.play().catch(() => {});
  };
  const tr = tx.addTransceiver(dest.stream.getAudioTracks()[0], { direction: "sendonly", streams: [dest.stream] });
  if (q.codec) {
    const caps = RTCRtpSender.getCapabilities("audio").codecs;
    const first = (c) => (c.mimeType.toLowerCase() === "audio/" + q.codec ? 0 : 1);
    tr.setCodecPreferences(caps.slice().sort((a, b) => first(a) - first(b)));
  }
  const offer = await tx.createOffer(); await tx.setLocalDescription(offer); await rx.setRemoteDescription(offer);
  const answer = await rx.createAnswer(); await rx.setLocalDescription(answer); await tx.setRemoteDescription(answer);
}
for (let i = 0; i < q.n; i++) pair(i);
"""
)


def contexts(rates: str) -> str:
    return f"window.acs = [{rates}].map((rate) => new AudioContext({{ sampleRate: rate }}));" + RESUME


def loopback(n: int, *, tone: bool, play: bool = True, codec: str = "") -> str:
    options = {"n": n, "tone": tone, "play": play, "codec": codec}
    return f"const q = {str(options).replace('True', 'true').replace('False', 'false')};" + LOOPBACK


PAGES = {
    "blank": "",
    "context": contexts("48000"),
    "contexts-3": contexts("48000, 48000, 16000"),
    "loopback-3-silent": loopback(3, tone=False),
    "loopback-3-tone": loopback(3, tone=True),
    "loopback-3-tone-unplayed": loopback(3, tone=True, play=False),
    "loopback-3-tone-pcmu": loopback(3, tone=True, codec="pcmu"),
    "loopback-1-tone": loopback(1, tone=True),
}


class Pages(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server name)
        script = PAGES.get(self.path.strip("/"))
        if script is None:
            self.send_error(404)
            return
        body = f"<!doctype html><html><body><script>{script}</script></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def chromium_threads() -> dict[tuple[str, str], tuple[str, float]]:
    """(pid, tid) -> ("process kind | thread name", CPU seconds) of every Chromium process."""
    seen = {}
    for proc in Path("/proc").iterdir():
        try:
            # Chromium rewrites its children's command lines as one string: split on spaces too.
            argv = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        if argv and argv[0].endswith(("chromium", "chrome")):
            kind = next((a[7:] for a in argv if a.startswith("--type=")), "browser")
            seen.update(threads_cpu(proc, kind))
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args()
    print(machine())
    django_setup()
    from bots import browser

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(Pages))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("| page | Chromium cores | biggest threads |\n| --- | --- | --- |")
    with browser.launch() as driver:
        for page in args.pages.split(","):
            driver.get(f"http://127.0.0.1:{args.port}/{page}")
            time.sleep(6)  # the page's graphs and connections up and running
            before, began = chromium_threads(), time.monotonic()
            time.sleep(args.seconds)
            after, wall = chromium_threads(), time.monotonic() - began
            by_thread: collections.Counter = collections.Counter()
            for key, (label, cpu) in after.items():
                by_thread[label] += cpu - before.get(key, (label, 0.0))[1]
            top = ", ".join(f"{label} {cpu / wall:.3f}" for label, cpu in by_thread.most_common(4))
            print(f"| {page} | {sum(by_thread.values()) / wall:.3f} | {top} |")
    server.shutdown()


if __name__ == "__main__":
    main()
