"""Form pieces that the forms of every app share."""

from django import forms

# What a date field reads: the browser's date picker sends an ISO date; a person who types the
# date (a browser without the picker) writes it day first, as printed on French documents.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes its value as an ISO date (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
