"""Filters of "Mes remboursements": period, person on the file, kind of care."""

from django import forms
from django.db.models import QuerySet
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cpam_portal.forms import DATE_INPUT_FORMATS, DateInput
from reimbursements.models import Profession


class PaymentFilterForm(forms.Form):
    """Read from the query string; an invalid value is reported and that filter left out."""

    start = forms.DateField(
        label=_("Du"),
        required=False,
        help_text=_("Date du décompte, format JJ/MM/AAAA."),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    end = forms.DateField(
        label=_("Au"),
        required=False,
        help_text=_("Inclus, format JJ/MM/AAAA."),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    beneficiary = forms.TypedChoiceField(label=_("Personne soignée"), required=False, coerce=int)
    kind = forms.ChoiceField(label=_("Type de soins"), required=False)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [("", _("Toutes les personnes"))] + [
            (entry.rank, f"{entry.person.first_names} {entry.person.last_name}")
            for entry in entries
        ]
        self.fields["kind"].choices = [("", _("Tous les soins"))] + [
            (value, capfirst(label)) for value, label in Profession.choices
        ]
        self.person_by_rank = {entry.rank: entry.person_id for entry in entries}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période doit suivre son début."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters, as keyword arguments on Statement's fields."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }
        filters = {}
        if data.get("start"):
            filters["issued_on__gte"] = data["start"]
        if data.get("end"):
            filters["issued_on__lte"] = data["end"]
        if data.get("beneficiary"):
            filters["beneficiary_id"] = self.person_by_rank[data["beneficiary"]]
        if data.get("kind"):
            filters["profession"] = data["kind"]
        return filters

    def apply(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        return queryset.filter(**{prefix + key: value for key, value in self.filters().items()})

    def query_string(self) -> str:
        """The filters as they were asked, to carry to the next page and to the CSV export."""
        if not self.is_bound:
            return ""
        keep = {name: self.data.get(name, "") for name in self.fields if self.data.get(name)}
        return urlencode(keep)
