from rest_framework import serializers

from accounts.models import BotAccount, TranscriptionKey, ZoomConnection
from common.api import StrictFieldsMixin


class BotAccountInput(StrictFieldsMixin, serializers.Serializer):
    provider = serializers.ChoiceField(
        choices=BotAccount.Provider.choices, help_text="google (for Google Meet) or microsoft (for Teams)"
    )
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=500, write_only=True, trim_whitespace=False)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)


class BotAccountSerializer(serializers.ModelSerializer):
    """An account as the API shows it: never its password nor its session."""

    provider = serializers.ChoiceField(choices=BotAccount.Provider.choices, read_only=True)
    status = serializers.ChoiceField(choices=BotAccount.Status.choices, read_only=True)
    has_session = serializers.SerializerMethodField(help_text="a signed-in session is kept for the next bot")

    class Meta:
        model = BotAccount
        fields = [
            "id",
            "provider",
            "email",
            "label",
            "status",
            "status_message",
            "has_session",
            "last_used_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_session(self, account) -> bool:
        return bool(account.session_encrypted)


class ZoomConnectionInput(StrictFieldsMixin, serializers.Serializer):
    authorization_code = serializers.CharField(
        max_length=2000, required=False, write_only=True, help_text="from the Zoom user's OAuth consent"
    )
    redirect_uri = serializers.URLField(max_length=2000, required=False, help_text="the one the code was issued for")
    refresh_token = serializers.CharField(
        max_length=4000, required=False, write_only=True, help_text="instead of a code, where you ran OAuth yourself"
    )


class ZoomConnectionSerializer(serializers.ModelSerializer):
    """A connection as the API shows it: never a token."""

    state = serializers.ChoiceField(choices=ZoomConnection.State.choices, read_only=True)

    class Meta:
        model = ZoomConnection
        fields = [
            "id",
            "zoom_user_id",
            "zoom_account_id",
            "email",
            "scopes",
            "state",
            "failure_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TranscriptionKeyInput(StrictFieldsMixin, serializers.Serializer):
    provider = serializers.ChoiceField(choices=TranscriptionKey.Provider.choices, help_text="deepgram or assemblyai")
    api_key = serializers.CharField(
        max_length=500, write_only=True, help_text="the provider's API key; stored encrypted, never shown again"
    )


class TranscriptionKeySerializer(serializers.ModelSerializer):
    """A stored key as the API shows it: which provider, and when; never the key."""

    provider = serializers.ChoiceField(choices=TranscriptionKey.Provider.choices, read_only=True)

    class Meta:
        model = TranscriptionKey
        fields = ["provider", "updated_at"]
