"""What both review queues share: the action page and traced downloads."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from allowances.services.common import AllowanceError


def run_action(model_admin, request, obj, *, title, form_class, act, change_url, label):
    """Show the action's form (if any), run `act(data)`, report the outcome."""
    if form_class is None:
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        try:
            act({})
        except AllowanceError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
        else:
            model_admin.message_user(request, _("C'est fait."), messages.SUCCESS)
        return HttpResponseRedirect(change_url)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except AllowanceError as error:
            form.add_error(None, error.message)
        else:
            model_admin.message_user(request, _("C'est fait."), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": obj,
        "label": label,
        "title": title,
        "form": form,
        "change_url": change_url,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/allowances/action_form.html", context)
