"""Aitronos ids: a session is a bot (`mbsess_<rand>`), a transcript a segment (`mbtrans_<rand>`); each
carries the random part of the Notula id, so the mapping is stable both ways."""

from compat.ids import notula_id, random_part

SESSION = "mbsess_"
TRANSCRIPT = "mbtrans_"


def session_id(bot_id: str) -> str:
    return SESSION + random_part(bot_id)


def transcript_id(segment_id: str) -> str:
    return TRANSCRIPT + random_part(segment_id)


def bot_id_from(session: str) -> str:
    random = session[len(SESSION) :] if session.startswith(SESSION) else ""
    return notula_id("bot", random, shown_as=session)
