"""What other parts of the portal use to reach the insured person behind the logged-in account.

The decorator needs affiliation's InsuredPerson (the fund is joined in the same query, as the
pages show it), its message and its linking page: it belongs here rather than in cpam_portal,
and in this module rather than in a page's views, so that any app's views may import it.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from affiliation.models import InsuredPerson


def linked_person_required(view):
    """Logged in, with a linked file: the view gets that person. Others go to the linking page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = InsuredPerson.objects.for_user(request.user).select_related("fund").first()
        if person is None:
            messages.info(request, _("Reliez d'abord votre compte à votre dossier d'assuré."))
            return redirect("affiliation:link_account")
        return view(request, person, *args, **kwargs)

    return wrapper
