"""What every extra admin page of an episode shares: finding the episode, checking the
permission the page needs, and rendering under ``templates/admin/podcasts/episode/``."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse


class AdminPages:
    """Mixed into a ``ModelAdmin``; its pages are methods mounted in ``get_urls``
    through ``self.admin_site.admin_view`` (as Django's own ``UserAdmin`` does)."""

    def require(self, request, permission: str, obj=None) -> None:
        """PermissionDenied unless ``has_<permission>_permission`` allows it."""
        check = getattr(self, f"has_{permission}_permission")
        if not (check(request) if obj is None else check(request, obj)):
            raise PermissionDenied

    def get_page_object(self, request, object_id, permission: str = "change", *, parts: tuple[str, ...] = ()):
        """The object through the admin's own queryset (404 if unknown), with ``parts`` prefetched."""
        obj = self.get_object(request, unquote(str(object_id)))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id {object_id}.")
        self.require(request, permission, obj)
        prefetch_related_objects([obj], *parts)
        return obj

    def log_changes(self, request, queryset, message: str, action_flag=CHANGE) -> None:
        """Django's admin history (``LogEntry``) for an editorial change of many objects at once."""
        LogEntry.objects.log_actions(request.user.pk, queryset, action_flag, change_message=message)

    def render_page(self, request, template: str, context: dict, title: str):
        return TemplateResponse(
            request,
            f"admin/podcasts/episode/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )
