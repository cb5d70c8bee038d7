"""The base of every API view: its query string is read by a declared serializer (an unknown, empty or
repeated parameter is a 400 naming it), and a POST with an Idempotency-Key replays its first answer."""

from rest_framework.views import APIView

from accounts import idempotency
from common.errors import NotFound
from common.inputs import QueryParams


class NoQuery(QueryParams):
    """An operation that takes no query parameters: any parameter is a typo or a misunderstanding."""


class ApiView(APIView):
    # Per HTTP method (lower case), the QueryParams class that reads its query string.
    query_params: dict[str, type[QueryParams]] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if any("\x00" in str(value) for value in kwargs.values()):
            # No id holds a NUL, and PostgreSQL would refuse to even look one up.
            raise NotFound("No such object in your organization.")
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return  # the handler answers 405 (with Allow); the query of a method we lack means nothing
        reader = self.query_params.get(method, NoQuery)
        self.query = reader.read(request)
        idempotency.request_begin(self, request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return idempotency.request_end(self, request, response)

    def dispatch(self, request, *args, **kwargs):
        with idempotency.scope(request):
            return super().dispatch(request, *args, **kwargs)
