from rest_framework import serializers

from accounts.models import BotAccount
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
