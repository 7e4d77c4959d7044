from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.core import reference
from kexie.core.forms import StyledFormMixin
from kexie.workers.enums import AccessLevel, ItemType, Rating, SessionKind
from kexie.workers.models import JointMeetingMember, Need, NeedCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        return [
            super(MultipleFileField, self).clean(d, initial)
            for d in (data if isinstance(data, list | tuple) else [data])
        ]


def _district_choices():
    return [("", _("Please choose"))] + [(code, name) for code, name in reference.districts().items()]


class NeedForm(StyledFormMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=NeedCategory.objects.filter(active=True), empty_label=_("Please choose")
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    district = forms.ChoiceField(label=_("District"), required=False, choices=_district_choices)
    organization_name = forms.CharField(label=_("Work unit"), max_length=120, required=False)
    anonymous = forms.BooleanField(
        label=_("Anonymous towards the department"),
        required=False,
        help_text=_("The responsible department will not see your name; the association's staff still do."),
    )
    contact_mobile = forms.CharField(label=_("Contact mobile"), max_length=20, required=False)
    contact_email = forms.CharField(label=_("Contact e-mail"), max_length=120, required=False)
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images, Word or Excel; at most 5 files of 10 MB."),
    )


class RouteForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Organization.objects.none(), empty_label=_("Please choose")
    )
    workdays = forms.IntegerField(
        label=_("Reply within (working days)"), min_value=1, max_value=60, initial=10
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Organization.objects.none()


class MergeForm(StyledFormMixin, forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Need.objects.none(), empty_label=_("Please choose")
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates if candidates is not None else Need.objects.none()
        self.fields["into"].label_from_instance = lambda need: f"{need.receipt} {need.title}"


class ReplyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 5}))


class RateForm(StyledFormMixin, forms.Form):
    rating = forms.ChoiceField(label=_("Your rating"), choices=Rating.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    attendees = forms.ModelMultipleChoiceField(
        label=_("Units present"),
        queryset=JointMeetingMember.objects.select_related("organization"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DecisionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=JointMeetingMember.objects.select_related("organization"),
        empty_label=_("Please choose"),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class CollectionForm(StyledFormMixin, forms.Form):
    scientist_name = forms.CharField(label=_("Scientist"), max_length=60)
    born = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1880, max_value=2000)
    field = forms.CharField(label=_("Field"), max_length=120, required=False)
    biography = forms.CharField(
        label=_("Biography"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    access = forms.ChoiceField(
        label=_("Access level"), choices=AccessLevel.choices, initial=AccessLevel.INTERNAL
    )


class ArchiveItemForm(StyledFormMixin, forms.Form):
    """The catalogue record's required elements are checked by the service (one message per element)."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    creator = forms.CharField(label=_("Creator"), max_length=120, required=False)
    date = forms.CharField(
        label=_("Date"), max_length=20, required=False, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    item_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Please choose")), *ItemType.choices], required=False
    )
    extent = forms.CharField(
        label=_("Extent"), max_length=60, required=False, help_text=_("e.g. 12 pages, 45 minutes")
    )
    subject = forms.CharField(label=_("Subject keywords"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rights = forms.CharField(label=_("Rights"), max_length=200, required=False)
    provenance = forms.CharField(label=_("Provenance"), max_length=200, required=False)
    access = forms.ChoiceField(
        label=_("Access level"), choices=[("", _("Please choose")), *AccessLevel.choices], required=False
    )
    file = forms.FileField(label=_("File"), required=False)


class SpeakerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    title = forms.CharField(label=_("Title or position"), max_length=120, required=False)
    topics = forms.CharField(label=_("Talk topics"), max_length=300)


class TalkRequestForm(StyledFormMixin, forms.Form):
    requester = forms.ModelChoiceField(
        label=_("Requesting unit"), queryset=Organization.objects.none(), empty_label=_("Please choose")
    )
    topic = forms.CharField(label=_("Topic"), max_length=120)
    preferred_date = forms.DateField(
        label=_("Preferred date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expected_audience = forms.IntegerField(label=_("Expected audience"), min_value=1)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = Organization.objects.filter(pk__in=[u.pk for u in units])


class ScheduleForm(StyledFormMixin, forms.Form):
    speaker = forms.ModelChoiceField(label=_("Speaker"), queryset=None, empty_label=_("Please choose"))
    scheduled_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=120)

    def __init__(self, *args, **kwargs):
        from kexie.workers.models import SpiritSpeaker  # noqa: PLC0415

        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = SpiritSpeaker.objects.filter(active=True)


class TalkReportForm(StyledFormMixin, forms.Form):
    audience = forms.IntegerField(label=_("Audience"), min_value=1)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo"), required=False)


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BaseForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    district = forms.ChoiceField(label=_("District"), choices=_district_choices)
    host = forms.CharField(label=_("Host unit"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    designated_year = forms.IntegerField(label=_("Designated in"), min_value=2000, max_value=2100)


class BaseReportForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    activities = forms.IntegerField(label=_("Activities held"), min_value=0)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Please choose")), *SessionKind.choices])
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)
    enrol_until = forms.DateTimeField(
        label=_("Enrolment closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedbackForm(StyledFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
