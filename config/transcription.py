"""Settings of speech-to-text (live and whole recordings), speaker labels of imported files, file
imports, summaries and the coach's insights. `.env.example` lists them all.
"""

import os

from config.env import env, env_float, env_int

ASR_BACKEND = env("NOTULA_ASR_BACKEND", "faster-whisper")
ASR_MODEL = env("NOTULA_ASR_MODEL", "tiny.en")
ASR_DEVICE = env("NOTULA_ASR_DEVICE", "cpu")
ASR_COMPUTE_TYPE = env("NOTULA_ASR_COMPUTE_TYPE", "int8")
# inline: transcribe in the bot's process; workers: send utterances to the `asr_live` queue.
ASR_MODE = env("NOTULA_ASR_MODE", "inline")
# Threads per loaded model; 0 = as many as the machine has cores (at most 4).
ASR_CPU_THREADS = env_int("NOTULA_ASR_CPU_THREADS", 0) or min(4, os.cpu_count() or 1)
# Beam size of finished utterances (partials are always greedy): 5, as offline, or the live transcript
# has more wrong words than a transcription of the recording; 1 (greedy) costs less CPU.
ASR_BEAM_SIZE = env_int("NOTULA_ASR_BEAM_SIZE", 5)
# Beam size of whole-recording transcriptions (re-transcription, file import).
ASR_OFFLINE_BEAM_SIZE = env_int("NOTULA_ASR_OFFLINE_BEAM_SIZE", 5)
# File imports with speaker_count: the most speakers "auto" finds, the mean silhouette (cosine) a split
# into 2+ speakers needs or "auto" says one speaker, and the torch threads of the voice encoder.
DIARIZATION_MAX_SPEAKERS = env_int("NOTULA_DIARIZATION_MAX_SPEAKERS", 8)
DIARIZATION_AUTO_MIN_SILHOUETTE = env_float("NOTULA_DIARIZATION_AUTO_MIN_SILHOUETTE", 0.2)
DIARIZATION_THREADS = env_int("NOTULA_DIARIZATION_THREADS", 1)
# Live pipeline: silence that ends an utterance, first partial after speech starts, then every N ms.
ASR_VAD_SILENCE_MS = env_int("NOTULA_ASR_VAD_SILENCE_MS", 500)
# Live finals decode the utterance's own length ("utterance": 3-5x cheaper) or a padded 30 s window
# ("full": Whisper's trained input, a little more accurate).
ASR_FINAL_WINDOW = env("NOTULA_ASR_FINAL_WINDOW", "utterance")
ASR_FIRST_PARTIAL_MS = env_int("NOTULA_ASR_FIRST_PARTIAL_MS", 300)
ASR_PARTIAL_INTERVAL_MS = env_int("NOTULA_ASR_PARTIAL_INTERVAL_MS", 1000)
ASR_MAX_UTTERANCE_S = env_int("NOTULA_ASR_MAX_UTTERANCE_S", 20)
# workers mode: how long a bot waits for an ASR worker's answer.
ASR_WORKER_TIMEOUT_S = env_float("NOTULA_ASR_WORKER_TIMEOUT_S", 30.0)
# openai-compatible backend: base URL of a server with POST /v1/audio/transcriptions, and its key.
ASR_API_URL = env("NOTULA_ASR_API_URL", "")
ASR_API_KEY = env("NOTULA_ASR_API_KEY", "")
ASR_API_TIMEOUT_S = env_float("NOTULA_ASR_API_TIMEOUT_S", 60.0)
# File import (POST /api/v1/meetings with file_url or file): size and download-time limits.
IMPORT_MAX_BYTES = env_int("NOTULA_IMPORT_MAX_BYTES", 500 * 1024 * 1024)
IMPORT_DOWNLOAD_TIMEOUT_S = env_int("NOTULA_IMPORT_DOWNLOAD_TIMEOUT_S", 300)
IMPORT_MAX_DURATION_S = env_int("NOTULA_IMPORT_MAX_DURATION_S", 6 * 3600)
# Summary, notes and keywords: local (extractive) unless an OpenAI-compatible chat endpoint is set.
SUMMARY_API_URL = env("NOTULA_SUMMARY_API_URL", "")
SUMMARY_API_KEY = env("NOTULA_SUMMARY_API_KEY", "")
SUMMARY_MODEL = env("NOTULA_SUMMARY_MODEL", "gpt-4o-mini")
SUMMARY_TIMEOUT_S = env_float("NOTULA_SUMMARY_TIMEOUT_S", 60.0)
# coach.insight thresholds: talk-time report interval, monologue, silence, wait for an answer.
COACH_TALK_TIME_EVERY_S = env_int("NOTULA_COACH_TALK_TIME_EVERY_S", 60)
COACH_MONOLOGUE_S = env_int("NOTULA_COACH_MONOLOGUE_S", 90)
COACH_SILENCE_S = env_int("NOTULA_COACH_SILENCE_S", 30)
COACH_QUESTION_WAIT_S = env_int("NOTULA_COACH_QUESTION_WAIT_S", 10)
