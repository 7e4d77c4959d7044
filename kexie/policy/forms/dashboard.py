"""Forms of the dashboard and the measure pages: the dashboard's filters, and a manual indicator value."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.policy.dashboard_queries import DashboardFilters, section_label
from kexie.policy.enums import Light
from kexie.policy.models import IndicatorValue, Notice, Section


class DashboardFilterForm(StyledFormMixin, forms.Form):
    """GET filters. A value that is not a valid choice is dropped, never an error page: links with
    stale filters (a department that no longer leads a task) still open the dashboard."""

    notice = forms.TypedChoiceField(label=_("Notice"), coerce=int, empty_value=None, required=False)
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, empty_value=None, required=False)
    lead = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    light = forms.ChoiceField(
        label=_("Status light"), required=False, choices=[("", _("All lights")), *Light.choices]
    )

    def __init__(self, data=None, *, notices: list[Notice], notice: Notice, sections: list[Section], leads):
        super().__init__(data, initial={"notice": notice.pk})
        self.fields["notice"].choices = [(n.pk, f"{n.doc_number} {n.title}".strip()) for n in notices]
        self.fields["section"].choices = [
            ("", _("All sections")),
            *[(s.number, section_label(s.number, s.title)) for s in sections],
        ]
        self.fields["lead"].queryset = leads
        self.fields["lead"].label_from_instance = lambda org: org.display_name

    def filters(self) -> DashboardFilters:
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name)
            for name in ("section", "lead", "light")
            if name not in self.errors
        }
        lead = data.get("lead")
        return DashboardFilters(
            section=data.get("section"), lead_id=lead.pk if lead else None, light=data.get("light") or None
        )


def selected_notice(notices: list[Notice], raw: str | None) -> Notice | None:
    """The notice named by the `notice` GET parameter, else the most recently confirmed one."""
    if raw and raw.isdigit():
        for notice in notices:
            if notice.pk == int(raw):
                return notice
    return notices[0] if notices else None


class IndicatorValueForm(StyledFormMixin, forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
    as_of = forms.DateField(
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the value describes, e.g. a survey's reference date."),
    )
    note = forms.CharField(
        label=_("Source or note"),
        required=False,
        max_length=IndicatorValue._meta.get_field("note").max_length,
        help_text=_("Where the value comes from, e.g. the survey release."),
    )

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit.strip()
        if self.unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": self.unit}

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if self.unit in {"%", "％"} and not Decimal(0) <= value <= Decimal(100):
            raise forms.ValidationError(_("A percentage lies between 0 and 100."))
        return value

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return as_of
