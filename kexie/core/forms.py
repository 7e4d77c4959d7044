"""Form helpers shared by every module."""

from __future__ import annotations

from django import forms
from django.db.models import fields as model_fields
from django.utils.translation import pgettext_lazy

DASHES = "---------"
# The label of a select's empty choice, everywhere (Django's default is "---------").
EMPTY_LABEL = pgettext_lazy("empty choice", "Please choose")


def use_readable_empty_choices() -> None:
    """Replace Django's "---------" empty choice project-wide: model field choices (BLANK_CHOICE_DASH,
    the list every field's formfield() copies) and ModelChoiceField's default empty_label. Called once
    from CoreConfig.ready()."""
    model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_LABEL)]
    # Whatever a form built its choices from (a copied BLANK_CHOICE_DASH, a literal), a select never
    # shows the dashes.
    create_option = forms.widgets.ChoiceWidget.create_option
    if not getattr(create_option, "_kexie_readable", False):

        def readable_option(self, name, value, label, *args, **kwargs):
            return create_option(
                self, name, value, EMPTY_LABEL if label == DASHES else label, *args, **kwargs
            )

        readable_option._kexie_readable = True
        forms.widgets.ChoiceWidget.create_option = readable_option
    original = forms.ModelChoiceField.__init__
    if getattr(original, "_kexie_readable", False):
        return

    def __init__(self, queryset, *, empty_label=DASHES, **kwargs):
        original(self, queryset, empty_label=EMPTY_LABEL if empty_label == DASHES else empty_label, **kwargs)

    __init__._kexie_readable = True
    forms.ModelChoiceField.__init__ = __init__


def _readable_choices(field) -> None:
    choices = getattr(field, "choices", None)
    if isinstance(field, forms.ModelChoiceField) or not isinstance(choices, list | tuple):
        return
    if any(label == DASHES for _value, label in choices if isinstance(label, str)):
        field.choices = [(value, EMPTY_LABEL if label == DASHES else label) for value, label in choices]


class StyledFormMixin:
    """Gives widgets Bootstrap's classes, and marks fields with errors, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _readable_choices(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def add_service_errors(form: forms.Form, exc) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
