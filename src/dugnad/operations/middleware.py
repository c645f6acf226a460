"""Request checks that apply to every view: form and query values may not hold NUL characters (no database stores
them; PostgreSQL refuses them with an error), so such a request is a 400 naming the field."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dugnad.web.params import InvalidParameter


class RejectNulMiddleware:
    """A 400 (never a 500 deep in a view) for a query or form value holding a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Pass the request on unless a value holds a NUL character."""
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Check the query and, for form posts, the form fields (after CSRF, before the view)."""
        sources = [request.GET]
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sources.append(request.POST)
        for data in sources:
            for name, values in data.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    raise InvalidParameter(_("«%(name)s» inneholder et ugyldig tegn (NUL).") % {"name": name.strip("\x00")})
        return None
