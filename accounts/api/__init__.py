"""The API of accounts: the base of every API view (base.py) and the bot accounts endpoints."""

from accounts.api.base import ApiView, NoQuery

__all__ = ["ApiView", "NoQuery"]
