"""Which organizations a signed-in person belongs to (the dashboard's tenancy)."""

from django.db.models import QuerySet

from accounts.models import Organization


def organization_list_for_user(*, user) -> QuerySet[Organization]:
    """The organizations `user` is a member of, by name; none for an anonymous user."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(members=user).order_by("name")


def organization_get_for_user(*, user, organization_id: str) -> Organization | None:
    """The organization `organization_id` if `user` is a member of it, else None."""
    if not organization_id:
        return None
    return organization_list_for_user(user=user).filter(pk=organization_id).first()
