"""Reads on accounts, always scoped to one organization."""

from django.db.models import Count, QuerySet

from accounts.models import Organization, Project


def project_list(*, organization: Organization) -> QuerySet[Project]:
    """The organization's projects by name, each with `meeting_count`."""
    return Project.objects.filter(organization=organization).annotate(meeting_count=Count("meetings")).order_by("name")
