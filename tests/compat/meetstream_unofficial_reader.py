"""Run by the unofficial `meetstream` 0.1.0 client's own Python (tests/compat/vendor_venv.py), not by
pytest: a second reader of a bot another client created. Prints what it read as JSON.

argv: base URL (…/compat/meetstream, the client adds /api/v1), API key, bot id, transcript id."""

import json
import sys

from meetstream.api import MeetstreamAPI

base_url, api_key, bot_id, transcript_id = sys.argv[1:5]
client = MeetstreamAPI(base_url=base_url, api_key=api_key)
print(
    json.dumps(
        {
            "status": client.get_bot_status(bot_id),
            "details": client.get_bot_details(bot_id),
            "participants": client.get_participants(bot_id),
            "chats": client.get_chats(bot_id),
            "timeline": client.get_speaker_timeline(bot_id),
            "screenshots": client.get_screenshots(bot_id),
            "transcript": client.get_transcript(transcript_id),
            "raw_transcript": client.get_transcript(transcript_id, raw=True),
            "audio_status": client.get_bot_audio(bot_id).status_code,
        }
    )
)
