"""Forms of the publishing pages; the services do the checking, the forms only collect."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.experts.models import Expert
from kexie.news import people, rules
from kexie.news.enums import Column, Decision
from kexie.news.models import NewsItem

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ItemForm(StyledFormMixin, forms.Form):
    column = forms.ChoiceField(label=_("Column"), choices=Column.choices)
    organization = forms.ModelChoiceField(label=_("Writing department"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 10}))
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DT,
        help_text=_("Leave empty to publish on final approval."),
    )
    valid_until = forms.DateField(
        label=_("Valid until (notices)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    topic = forms.ModelChoiceField(label=_("Special topic"), queryset=NewsItem.objects.none(), required=False)
    expert = forms.ModelChoiceField(
        label=_("Expert (typical people)"), queryset=Expert.objects.order_by("name"), required=False
    )
    volunteer = forms.ModelChoiceField(
        label=_("Or a science volunteer (typical people)"),
        queryset=people.volunteer_model().objects.none(),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rules.is_leader(user) or rules.is_editor(user):
            units = Organization.objects.filter(kind=OrganizationKind.DEPARTMENT).order_by("sort_order", "pk")
        else:
            units = Organization.objects.filter(pk__in=[o.pk for o in rules.writing_units(user)])
        self.fields["organization"].queryset = units
        if units.count() == 1:
            self.fields["organization"].initial = units.first()
        self.fields["topic"].queryset = NewsItem.objects.filter(column=Column.TOPIC)
        self.fields["volunteer"].queryset = people.volunteers_visible_to(user).order_by("real_name", "pk")

    def clean(self):
        data = super().clean()
        if data.get("column") == Column.PERSON:
            if data.get("expert") and data.get("volunteer"):
                self.add_error(
                    "volunteer",
                    _("A typical person is either an expert or a volunteer: choose only one of them."),
                )
            elif not data.get("expert") and not data.get("volunteer") and "expert" not in self.errors:
                self.add_error(
                    "expert", _("A typical person is linked to an expert or a volunteer; choose one of them.")
                )
        return data


class DraftForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 10}))
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=DT)


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Review decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Review comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    acknowledge_hits = forms.BooleanField(
        label=_("I have read the screened words in context and they may stay"), required=False
    )
    publish_at = forms.DateTimeField(label=_("Publish at (final review only)"), required=False, widget=DT)


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Attachment"))


class ConsentForm(StyledFormMixin, forms.Form):
    consent_note = forms.CharField(label=_("How consent was given"), max_length=200)


class WordForm(StyledFormMixin, forms.Form):
    word = forms.CharField(label=_("Word"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=120, required=False)
