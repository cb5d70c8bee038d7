"""Live transcription of a bot's meeting: `LiveTranscriber` (transcriber.py) wires the segmenter (the
runner's side), the ASR lanes (two threads) and the decoder (audio to results) to a result sink."""

from meetings.transcription.live.transcriber import LiveTranscriber

__all__ = ["LiveTranscriber"]
