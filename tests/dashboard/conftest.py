import pytest
from django.contrib.auth import get_user_model

from accounts.services import organization_get_or_create

PASSWORD = "correct horse battery"


def make_user(username: str, *organizations):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    for organization in organizations:
        organization.members.add(user)
    return user


@pytest.fixture
def org(db):
    return organization_get_or_create(name="Acme")


@pytest.fixture
def other_org(db):
    return organization_get_or_create(name="Globex")


@pytest.fixture
def user(org):
    return make_user("alice", org)


@pytest.fixture
def signed_in(client, user):
    """A browser-like Django client signed in as alice, a member of Acme only."""
    client.force_login(user)
    return client
