"""What both review queues share: running a review action from its page."""

from django.http import HttpResponse, HttpResponseRedirect

from allowances.services.common import AllowanceError


def run_action(
    model_admin, request, obj, *, title, form_class, act, change_url, label
) -> HttpResponse:
    """Show the action's form (if any), run `act(data)`, report the outcome. An action without
    a form runs on POST; a GET of it goes back to the object."""
    if form_class is None and request.method != "POST":
        return HttpResponseRedirect(change_url)
    return model_admin.run_action(
        request,
        title=title,
        form_class=form_class,
        act=act,
        change_url=change_url,
        refused=AllowanceError,
        original=obj,
        label=label,
    )
