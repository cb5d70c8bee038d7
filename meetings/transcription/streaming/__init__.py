"""Live transcription by a provider's streaming socket (Deepgram live, AssemblyAI Universal-Streaming)."""

from meetings.transcription.streaming.transcriber import STREAMING_BACKENDS, StreamingTranscriber

__all__ = ["STREAMING_BACKENDS", "StreamingTranscriber"]
