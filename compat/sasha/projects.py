"""Sasha's Projects API: the projects transcripts are saved into, and each one's meetings. Seed 000
names it without its shapes; these are Notula's (docs/compat.md)."""

from rest_framework.response import Response

from accounts.selectors import project_list
from bots import selectors
from common.errors import NotFound
from compat.sasha import outputs
from compat.sasha.views import SashaView


class ProjectListView(SashaView):
    def get(self, request):
        projects = project_list(organization=request.user.organization)
        return Response({"projects": [{"name": p.name, "meetingCount": p.meeting_count} for p in projects]})


class ProjectMeetingsView(SashaView):
    def get(self, request, project: str):
        organization = request.user.organization
        if not project_list(organization=organization).filter(name=project).exists():
            raise NotFound(f"No project '{project}'.", code="no_project")
        bots = selectors.bot_list(organization=organization).filter(project__name=project)
        rows = [outputs.project_meeting(bot) for bot in bots.select_related("meeting").order_by("-created_at")]
        return Response({"project": project, "meetings": rows})
