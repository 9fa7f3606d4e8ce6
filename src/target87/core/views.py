from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


def _error(request, status: int, title: str, message: str):
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood. Go back and try again."))


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Not allowed"),
        _("You do not have permission to see this page. Sign in with an account that has."),
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address. Check the address, or start from the home page."),
    )


def server_error(request):
    return _error(
        request,
        500,
        _("Something went wrong"),
        _("The page could not be shown. The error has been logged; try again in a moment."),
    )
