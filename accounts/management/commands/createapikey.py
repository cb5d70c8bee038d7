import json

from django.core.management.base import BaseCommand

from accounts.services import api_key_create, organization_get_or_create


class Command(BaseCommand):
    help = "Create an API key (and the organization, if new). The key is shown only once."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization name")
        parser.add_argument("--name", default="", help="a label for the key")
        parser.add_argument("--json", action="store_true", help='print {"key": ..., "signing_secret": ...}')

    def handle(self, *args, org, name, json: bool = False, **options):
        organization = organization_get_or_create(name=org)
        issued = api_key_create(organization=organization, name=name)
        if json:
            self.stdout.write(_dumps({"key": issued.key, "signing_secret": issued.signing_secret}))
            return
        self.stdout.write(f"Organization:   {organization.name} ({organization.id})")
        self.stdout.write(f"API key:        {issued.key}")
        self.stdout.write(f"Signing secret: {issued.signing_secret}")
        self.stdout.write("Store both now: they are not shown again.")


def _dumps(value) -> str:
    return json.dumps(value)
