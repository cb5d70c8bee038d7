import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.services import organization_get_or_create


class Command(BaseCommand):
    help = "Prepare the demo: an admin user in the Demo organization (password printed)."

    def add_arguments(self, parser):
        parser.add_argument("--api-key", required=True)
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--org", default="Demo")

    def handle(self, *args, api_key, base_url, org, **options):
        organization = organization_get_or_create(name=org)
        User = get_user_model()
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.com"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        organization.members.add(user)
        self.stdout.write(f"\n  Dashboard:  {base_url}/dashboard/  (sign in as admin / {password})")
        self.stdout.write(f"  Support:    {base_url}/admin/ (same account)")
