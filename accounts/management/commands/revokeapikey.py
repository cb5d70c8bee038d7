from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiKey
from accounts.services import PREFIX_LENGTH, api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key, named by its id (key_...) or by its visible prefix (ntl_...)."

    def add_arguments(self, parser):
        parser.add_argument("key", help="the key's id, its visible prefix, or the whole key")

    def handle(self, *args, key, **options):
        matches = list(ApiKey.objects.filter(pk=key)) or list(ApiKey.objects.filter(prefix=key[:PREFIX_LENGTH]))
        if not matches:
            raise CommandError(f"No API key '{key}'.")
        if len(matches) > 1:
            raise CommandError(f"'{key}' names {len(matches)} keys; use the key id instead.")
        api_key = api_key_revoke(api_key=matches[0])
        self.stdout.write(
            f"Revoked {api_key.prefix}… ({api_key.organization.name}) at {api_key.revoked_at:%Y-%m-%d %H:%M} UTC"
        )
