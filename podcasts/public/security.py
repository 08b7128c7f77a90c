"""What protects every page the site serves, the admin's included: the
Content-Security-Policy header and the throttle on logins.

Here because the public site is where the project's HTTP surface lives; the policies
themselves are settings (``CONTENT_SECURITY_POLICY``, ``CONTENT_SECURITY_POLICY_ADMIN``,
``AXES_*``)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends ``CONTENT_SECURITY_POLICY`` with every response, and
    ``CONTENT_SECURITY_POLICY_ADMIN`` with the admin's pages, which carry inline
    ``<style>`` blocks. A response that set its own header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.admin = policy_header(settings.CONTENT_SECURITY_POLICY_ADMIN)

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.resolver_match is not None and request.resolver_match.namespace == "admin"
        response.headers.setdefault("Content-Security-Policy", self.admin if admin else self.public)
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check before any password is tried, for logins that come with a
    request. A call without one (a management command, a shell) has no client to throttle,
    where axes would raise."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
