from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from directory.models import Office
from directory.rules import normalise_department_code


class DepartmentCodeField(forms.CharField):
    """ "1" -> "01", "2a" -> "2A"; anything that is no département code is a 400, not []."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        code = normalise_department_code(value)
        if code is None:
            raise forms.ValidationError(
                _("« %(value)s » n'est pas un code de département."),
                code="invalid",
                params={"value": value},
            )
        return code


class DepartmentCodeFilter(filters.CharFilter):
    field_class = DepartmentCodeField


class OfficeFilter(filters.FilterSet):
    department = DepartmentCodeFilter(
        field_name="fund__department_code",
        help_text=_("Code du département : 01…95, 2A, 2B, 971…974 (« 1 » et « 2a » sont admis)."),
    )
    postcode = filters.CharFilter(
        field_name="postcode", help_text=_("Code postal exact de l'accueil, 5 chiffres.")
    )

    class Meta:
        model = Office
        fields = ["department", "postcode"]
