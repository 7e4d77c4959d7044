"""Forms: parse and validate input, then the views call a service."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.core.reference import district_choices
from kexie.experts.models import Expert
from kexie.societies.countries import country_choices
from kexie.societies.enums import (
    AllianceKind,
    CooperationKind,
    CooperationState,
    EventKind,
    ExchangeKind,
    InspectionRating,
    PositionLevel,
    SocietyGrade,
    SocietyKind,
    SupportKind,
)
from kexie.societies.models import Event, IndexingDatabase, IntlOrganization, Journal, Society

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _units():
    return Organization.objects.filter(
        kind__in=[OrganizationKind.DEPARTMENT, OrganizationKind.AFFILIATED_UNIT]
    )


def parse_lines(text: str, keys: tuple[str, ...]) -> list[dict]:
    """Rows typed one per line, fields separated by "|" (council members, alliance members)."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        rows.append({key: parts[i] if i < len(parts) else "" for i, key in enumerate(keys)})
    return rows


class SocietyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SocietyKind.choices)
    supervising_unit = forms.ModelChoiceField(
        label=_("Supervising unit"), queryset=Organization.objects.none()
    )
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    registered_on = forms.DateField(label=_("Registration date"), required=False, widget=DATE)
    discipline = forms.CharField(label=_("Discipline"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_unit"].queryset = _units()


class SocietyEditForm(StyledFormMixin, forms.Form):
    discipline = forms.CharField(label=_("Discipline"), max_length=60, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    president = forms.CharField(label=_("President"), max_length=60, required=False)
    secretary_general = forms.CharField(label=_("Secretary general"), max_length=60, required=False)
    council = forms.CharField(
        label=_("Council"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One member a line: name | post."),
    )
    secretariat_staff = forms.IntegerField(label=_("Secretariat staff"), min_value=0)
    individual_members = forms.IntegerField(label=_("Individual members"), min_value=0)
    unit_members = forms.IntegerField(label=_("Unit members"), min_value=0)
    student_members = forms.IntegerField(label=_("Student members"), min_value=0)

    def clean_council(self):
        return parse_lines(self.cleaned_data["council"], ("name", "post"))


class InspectionForm(StyledFormMixin, forms.Form):
    """The yearly report. Fields may stay empty in a draft; submission checks completeness."""

    individual_members = forms.IntegerField(label=_("Individual members"), min_value=0, required=False)
    unit_members = forms.IntegerField(label=_("Unit members"), min_value=0, required=False)
    council_meetings = forms.IntegerField(label=_("Council meetings held"), min_value=0, required=False)
    academic_events = forms.IntegerField(label=_("Academic events held"), min_value=0, required=False)
    income = forms.DecimalField(
        label=_("Income (10,000 yuan)"), min_value=0, decimal_places=2, required=False
    )
    expense = forms.DecimalField(
        label=_("Expense (10,000 yuan)"), min_value=0, decimal_places=2, required=False
    )
    party_activities = forms.CharField(
        label=_("Party-building work"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.CharField(
        label=_("Work summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    problems = forms.CharField(
        label=_("Problems and plans"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InspectionReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for revision"))],
    )
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", "—"), *InspectionRating.choices], required=False
    )
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, decimal_places=1, required=False)
    grade = forms.ChoiceField(
        label=_("Evaluation grade"), choices=[("", _("unchanged")), *SocietyGrade.choices], required=False
    )
    comment = forms.CharField(
        label=_("Review comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FoundingForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Proposed name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=SocietyKind.choices)
    discipline = forms.CharField(label=_("Discipline or industry"), max_length=60)
    supervising_unit = forms.ModelChoiceField(
        label=_("Supervising unit"), queryset=Organization.objects.none()
    )
    initiators = forms.CharField(
        label=_("Initiating units and persons"), widget=forms.Textarea(attrs={"rows": 3})
    )
    founding_members = forms.IntegerField(label=_("Founding members"), min_value=0)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_unit"].queryset = _units()


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[])
    comment = forms.CharField(
        label=_("Review comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices


class EventForm(StyledFormMixin, forms.Form):
    society = forms.ModelChoiceField(label=_("Host society"), queryset=Society.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    parent = forms.ModelChoiceField(label=_("Annual meeting"), queryset=Event.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    ends_on = forms.DateField(label=_("End date"), widget=DATE)
    venue = forms.CharField(label=_("Venue"), max_length=150)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    expected_attendance = forms.IntegerField(label=_("Expected attendance"), min_value=0, initial=0)
    capacity = forms.IntegerField(
        label=_("Registration capacity"), min_value=0, initial=0, help_text=_("0: no limit.")
    )
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline"), required=False, widget=DATETIME
    )
    countries = forms.MultipleChoiceField(
        label=_("Participating countries"),
        choices=country_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, societies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["society"].queryset = societies if societies is not None else Society.objects.none()
        self.fields["parent"].queryset = Event.objects.filter(kind=EventKind.ANNUAL_MEETING)


class ProgrammeForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    title = forms.CharField(label=_("Session"), max_length=200)
    speaker = forms.CharField(label=_("Speaker"), max_length=120, required=False)


class RegistrationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    organization = forms.CharField(label=_("Organization"), max_length=120)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11)


class CheckInForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=16)


class EventReportForm(StyledFormMixin, forms.Form):
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, required=False)
    papers = forms.IntegerField(label=_("Papers"), min_value=0, required=False)
    international_attendees = forms.IntegerField(
        label=_("Attendees from abroad"), min_value=0, required=False
    )
    outcomes = forms.CharField(label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class JournalForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    cn = forms.CharField(label=_("CN number"), max_length=20, help_text=_("e.g. CN 50-1044/N"))
    issn = forms.CharField(label=_("ISSN"), max_length=14, required=False, help_text=_("e.g. 1000-582X"))
    publisher = forms.CharField(label=_("Publisher"), max_length=150)
    society = forms.ModelChoiceField(
        label=_("Sponsoring society"), queryset=Society.objects.none(), required=False
    )
    discipline = forms.CharField(label=_("Discipline"), max_length=40)
    frequency = forms.CharField(label=_("Frequency"), max_length=20, required=False)
    founded_year = forms.IntegerField(label=_("Founded"), min_value=1800, max_value=2100, required=False)
    indexing = forms.ModelMultipleChoiceField(
        label=_("Indexed in"),
        queryset=IndexingDatabase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["society"].queryset = Society.objects.select_related("organization")
        self.fields["indexing"].queryset = IndexingDatabase.objects.all()


class ImpactForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    impact_factor = forms.DecimalField(label=_("Impact factor"), min_value=0, decimal_places=3)
    citations = forms.IntegerField(label=_("Citations"), min_value=0, initial=0)


class DirectoryForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    tiers = forms.CharField(label=_("Tiers"), help_text=_("In rank order, separated by 、 e.g. T1、T2、T3."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DirectoryEntryForm(StyledFormMixin, forms.Form):
    journal = forms.ModelChoiceField(label=_("Journal"), queryset=Journal.objects.all())
    tier = forms.ChoiceField(label=_("Tier"), choices=[])
    discipline = forms.CharField(
        label=_("Discipline"), max_length=40, required=False, help_text=_("Empty: the journal's own.")
    )

    def __init__(self, *args, tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [(t, t) for t in tiers]


class AllianceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=AllianceKind.choices)
    lead_society = forms.ModelChoiceField(
        label=_("Lead society"), queryset=Society.objects.none(), required=False
    )
    established_on = forms.DateField(label=_("Established on"), widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    members = forms.CharField(
        label=_("Member organizations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line: name | country code (CN, DE …) | role."),
    )

    def __init__(self, *args, societies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_society"].queryset = societies if societies is not None else Society.objects.none()

    def clean_members(self):
        return parse_lines(self.cleaned_data["members"], ("name", "country", "role"))


class ProjectForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CooperationKind.choices)
    society = forms.ModelChoiceField(label=_("Society"), queryset=Society.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    district = forms.ChoiceField(label=_("District"), required=False, choices=())
    partner = forms.CharField(label=_("Partner enterprise or unit"), max_length=150, required=False)
    signed_on = forms.DateField(label=_("Signing date"), widget=DATE)

    def __init__(self, *args, societies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["society"].queryset = societies if societies is not None else Society.objects.none()
        self.fields["district"].choices = [("", "—"), *district_choices()]


class OutcomeForm(StyledFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=CooperationState.choices)
    outcomes = forms.IntegerField(label=_("Outcomes (achievements transferred, services)"), min_value=0)
    value = forms.DecimalField(label=_("Value (10,000 yuan)"), min_value=0, decimal_places=2)
    outcome_note = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IntlOrganizationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    acronym = forms.CharField(label=_("Acronym"), max_length=20, required=False)
    country = forms.ChoiceField(label=_("Headquarters country"), choices=(), required=False)
    founded_by_chongqing = forms.BooleanField(label=_("Initiated by Chongqing scientists"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]


class PositionForm(StyledFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("International organization"), queryset=IntlOrganization.objects.all()
    )
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.all())
    title = forms.CharField(label=_("Post"), max_length=120)
    level = forms.ChoiceField(label=_("Level"), choices=PositionLevel.choices)
    term_start = forms.DateField(label=_("Term from"), widget=DATE)
    term_end = forms.DateField(label=_("Term until"), widget=DATE, required=False)


class DutySupportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Amount (10,000 yuan)"), min_value=0, decimal_places=2, initial=0)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class ExchangeForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExchangeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    society = forms.ModelChoiceField(label=_("Society"), queryset=Society.objects.none(), required=False)
    starts_on = forms.DateField(label=_("Date"), widget=DATE)
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=country_choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        required=False,
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["society"].queryset = Society.objects.select_related("organization")


class OverseasExpertForm(StyledFormMixin, forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.all())
    country = forms.ChoiceField(label=_("Country or region"), choices=country_choices)
    haizhi_expert = forms.BooleanField(label=_("Haizhi expert"), required=False)
    haizhi_plan = forms.BooleanField(label=_("In the Haizhi plan"), required=False)
    last_engaged_on = forms.DateField(label=_("Last engaged"), widget=DATE, required=False)
    engagement = forms.CharField(
        label=_("Engagement"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
