"""Forms of the talent pages: parse and validate, then a service writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.core.forms import StyledFormMixin
from kexie.talent.enums import EngagementKind, PairActivityKind, ServiceKind


class ReportForm(StyledFormMixin, forms.Form):
    progress = forms.CharField(
        label=_("Progress of the year"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,  # the service names the missing progress, in one message with the rest
    )
    outputs = forms.CharField(
        label=_("Outputs (papers, patents, awards)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )


class ReviewForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class PairActivityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairActivityKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CandidateEventForm(StyledFormMixin, forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))


class EngagementForm(StyledFormMixin, forms.Form):
    organization_name = forms.CharField(label=_("Chongqing organization"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=EngagementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgrammeCallForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of selection"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    closes_at = forms.DateTimeField(
        label=_("Applications close at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    support_years = forms.IntegerField(label=_("Support period (years)"), initial=3)
    annual_amount = forms.DecimalField(
        label=_("Support per person and year (10k yuan)"), initial=0, max_digits=8, decimal_places=2
    )
    starts_on = forms.DateField(
        label=_("Support starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
