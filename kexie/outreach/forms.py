"""Forms: parse and validate, then the view calls a service."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.core.reference import district_choices
from kexie.outreach.enums import ActivityKind, Audience, BulletinAudience, BulletinTopic
from kexie.outreach.models import Campaign

BLANK = [("", "---------")]
DATETIME = {"type": "datetime-local"}
DATE = {"type": "date"}


class DistrictField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("District"))
        super().__init__(choices=BLANK + district_choices(), **kwargs)


class ActivityForm(StyledFormMixin, forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Activity type"), choices=ActivityKind.choices)
    audience = forms.ChoiceField(label=_("Target group"), choices=Audience.choices)
    district = DistrictField()
    organizer = forms.ModelChoiceField(label=_("Organizing unit"), queryset=Organization.objects.none())
    co_organizers = forms.CharField(label=_("Co-organizers"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs=DATETIME))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs=DATETIME))
    volunteers_needed = forms.IntegerField(
        label=_("Volunteers needed"), min_value=0, max_value=5000, initial=0
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, organizers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizers is not None:
            self.fields["organizer"].queryset = organizers


class ReportForm(StyledFormMixin, forms.Form):
    attendance = forms.IntegerField(label=_("Participants"), min_value=0, max_value=10_000_000)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    photos = forms.FileField(
        label=_("Photos"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
        help_text=_("One photo per report; .jpg or .png."),
    )


class ImportForm(StyledFormMixin, forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), required=False)
    file = forms.FileField(
        label=_("Workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


class VolunteerForm(StyledFormMixin, forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    mobile = forms.CharField(label=_("Mobile"), max_length=11)
    district = DistrictField()
    skills = forms.CharField(
        label=_("Skills"), max_length=300, required=False, help_text=_("Separate skills with commas or 、.")
    )

    def clean_skills(self) -> list[str]:
        text = self.cleaned_data["skills"].replace("，", ",").replace("、", ",")
        return [s.strip() for s in text.split(",") if s.strip()]


class ConfirmForm(StyledFormMixin, forms.Form):
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1, required=False)


class MemberForm(StyledFormMixin, forms.Form):
    volunteer = forms.IntegerField(label=_("Volunteer number"), min_value=1)


class BulletinForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    topic = forms.ChoiceField(label=_("Topic"), choices=BulletinTopic.choices)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("Attachment"), required=False)
    audience = forms.ChoiceField(label=_("Sent to"), choices=BulletinAudience.choices)
    chosen = forms.ModelMultipleChoiceField(
        label=_("Chosen organizations"),
        queryset=Organization.objects.filter(
            kind__in=[
                OrganizationKind.DISTRICT_ASSOCIATION,
                OrganizationKind.DEVELOPMENT_ZONE,
                OrganizationKind.AFFILIATED_UNIT,
                OrganizationKind.SOCIETY,
            ]
        ).order_by("sort_order", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only when it is sent to “chosen organizations”."),
    )
    is_drill = forms.BooleanField(label=_("Drill (平战结合 exercise)"), required=False)
    read_within_hours = forms.IntegerField(
        label=_("Read within (hours)"), min_value=1, max_value=168, initial=2
    )


class ForwardForm(StyledFormMixin, forms.Form):
    forwarded = forms.IntegerField(
        label=_("Forwarded to (people or groups)"), min_value=0, max_value=10_000_000
    )


class EnrolForm(StyledFormMixin, forms.Form):
    learner_name = forms.CharField(label=_("Learner"), max_length=40)
    mobile = forms.CharField(label=_("Mobile"), max_length=11)
    age = forms.IntegerField(label=_("Age"), required=False)


class LessonForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs=DATE))
    topic = forms.CharField(label=_("Topic"), max_length=120)
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(e.pk), e.learner_name) for e in enrolments]
        self.fields["held_on"].initial = timezone.localdate()


class VenueReportForm(StyledFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs=DATE), help_text=_("Any day of the month reported.")
    )
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, max_value=10_000_000)
    youth_visitors = forms.IntegerField(
        label=_("Of whom youth"), min_value=0, max_value=10_000_000, initial=0
    )
    activities = forms.IntegerField(label=_("Activities held"), min_value=0, max_value=100_000, initial=0)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ProgressForm(StyledFormMixin, forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    school_year = forms.CharField(label=_("School year"), max_length=20, initial="2025—2026学年")
    grade_band = forms.CharField(label=_("Grades"), max_length=40, initial="初中一至三年级")
    item_count = forms.IntegerField(label=_("Number of items"), min_value=5, max_value=60, initial=20)


class PupilForm(StyledFormMixin, forms.Form):
    school = forms.CharField(label=_("School"), max_length=120)
    grade = forms.CharField(label=_("Grade"), max_length=20)
    district = DistrictField()


class RecognitionCallForm(StyledFormMixin, forms.Form):
    KINDS = [
        ("outreach.demonstration", _("Science popularisation demonstration site")),
        ("outreach.title", _("Science communication professional title")),
    ]
    kind = forms.ChoiceField(label=_("Call"), choices=KINDS)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs=DATETIME), required=False
    )
