"""Forms: parse and validate, then the view calls a service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import EMPTY_LABEL, StyledFormMixin
from kexie.core.reference import district_choices
from kexie.core.validators import is_valid_mobile
from kexie.transfer.enums import (
    AchievementKind,
    BudgetRange,
    DemandState,
    Grade,
    Maturity,
    Outcome,
    RecordKind,
    TargetKind,
    WorkstationKind,
)
from kexie.transfer.models import Industry

BLANK = [("", EMPTY_LABEL)]


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Industry) -> str:
        indent = "\u3000" * (obj.level - 2) if obj.level > 2 else ""
        return f"{indent}{obj.code} {obj.name}"


def industry_field(**kwargs) -> IndustryChoiceField:
    # Divisions and groups: specific enough to match on, short enough for a select on a phone.
    return IndustryChoiceField(
        queryset=Industry.objects.filter(level__in=(2, 3)).order_by("code"), label=_("Industry"), **kwargs
    )


class DemandForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The technical problem, what you have tried, and what a solution must achieve."),
    )
    industry = industry_field()
    district = forms.ChoiceField(label=_("District"), choices=BLANK + [])
    budget = forms.ChoiceField(label=_("Budget range"), choices=BudgetRange.choices)
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_mobile = forms.CharField(label=_("Contact mobile"), max_length=11)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = BLANK + district_choices()

    def clean_contact_mobile(self) -> str:
        value = self.cleaned_data["contact_mobile"].strip()
        if not is_valid_mobile(value):
            raise forms.ValidationError(_("Contact mobile: enter an 11-digit mobile number."))
        return value


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}))


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All districts")), *district_choices()]


class DemandFilterForm(SearchForm):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *DemandState.choices]
    )


TITLE_CHOICES = [
    ("", _("Any title")),
    ("senior", _("Senior (professor level)")),
    ("associate", _("Associate senior")),
    ("intermediate", _("Intermediate")),
]


class MatchFilterForm(StyledFormMixin, forms.Form):
    district = forms.ChoiceField(label=_("District"), required=False)
    title = forms.ChoiceField(label=_("Professional title"), required=False, choices=TITLE_CHOICES)
    overseas = forms.BooleanField(label=_("Overseas (Haizhi) only"), required=False)
    available = forms.BooleanField(label=_("Available only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All districts")), *district_choices()]


class DockingCreateForm(forms.Form):
    target_kind = forms.ChoiceField(choices=TargetKind.choices)
    target_id = forms.CharField(max_length=20)
    target_name = forms.CharField(max_length=200, required=False)


class DockingRecordForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Outcome.SIGNED, Outcome.SIGNED.label), (Outcome.NO_DEAL, Outcome.NO_DEAL.label)],
    )
    amount = forms.DecimalField(
        label=_("Contract amount (10,000 yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    signed_on = forms.DateField(
        label=_("Signing date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=5, decimal_places=1)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AchievementForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 5}))
    keywords = forms.CharField(
        label=_("Keywords"), help_text=_("Separate keywords with commas."), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AchievementKind.choices)
    maturity = forms.ChoiceField(label=_("Maturity"), choices=Maturity.choices)
    owner_name = forms.CharField(label=_("Owner"), max_length=100)
    industry = industry_field()
    district = forms.ChoiceField(label=_("District"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    is_published = forms.BooleanField(label=_("Publish on the public pages"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = BLANK + district_choices()

    def clean_keywords(self) -> list[str]:
        raw = self.cleaned_data["keywords"].replace("，", ",").replace("；", ",").replace(";", ",")
        return [word.strip() for word in raw.split(",") if word.strip()]


class EnterpriseRegistrationForm(StyledFormMixin, forms.Form):
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=200)
    district = forms.ChoiceField(label=_("District"))
    full_name = forms.CharField(label=_("Your name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile"), max_length=11)
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = BLANK + district_choices()

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"].strip()
        if not is_valid_mobile(value):
            raise forms.ValidationError(_("Mobile: enter an 11-digit mobile number."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


WORKSTATION_KINDS = [("", _("All kinds")), *WorkstationKind.choices]


def _codes(text: str) -> list[str]:
    for separator in "，,；;、\n":
        text = text.replace(separator, " ")
    return [code.strip().upper() for code in text.split() if code.strip()]


class CodesField(forms.CharField):
    """Classification codes typed as "F02、C34" (any of 、,; or spaces between them)."""

    def to_python(self, value):
        return _codes(super().to_python(value) or "")


def organization_field(label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Organization.objects.exclude(kind=OrganizationKind.DEPARTMENT).order_by("kind", "name"),
    )


class ServiceTeamForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    lead_organization = organization_field(_("Lead society or organization"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    districts = forms.MultipleChoiceField(
        label=_("Districts served"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    disciplines = CodesField(
        label=_("Discipline focus"),
        required=False,
        help_text=_("NSFC application codes separated by 、, for example F02、E05."),
    )
    industries = CodesField(
        label=_("Industry focus"),
        required=False,
        help_text=_("GB/T 4754 industry codes separated by 、, for example 34、C."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].choices = district_choices()


class WorkstationForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkstationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    host_organization = organization_field(_("Host organization"))
    district = forms.ChoiceField(label=_("District"))
    established_year = forms.IntegerField(label=_("Established year"), min_value=1950, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = BLANK + district_choices()


class MemberForm(StyledFormMixin, forms.Form):
    """One member row: a name, or the id of an expert of the library (then the name is theirs)."""

    name = forms.CharField(label=_("Full name"), max_length=60, required=False)
    expert_id = forms.IntegerField(label=_("Expert id"), min_value=1, required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    expertise = forms.CharField(label=_("Expertise"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = _("Full name")
        self.fields["expert_id"].widget.attrs["placeholder"] = _("Expert id")
        self.fields["role"].widget.attrs["placeholder"] = _("e.g. team leader")
        self.fields["expertise"].widget.attrs["placeholder"] = _("Expertise")


class BaseMemberFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Added after the form styled its own fields.
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def members(self) -> list[dict]:
        """Filled rows in order; blank rows and rows marked for deletion are left out."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if any(data.get(key) for key in ("name", "expert_id", "role", "expertise")):
                rows.append({key: data.get(key) for key in ("name", "expert_id", "role", "expertise")})
        return rows


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=3, can_delete=True)


def member_initial(members: list[dict]) -> list[dict]:
    return [
        {
            "name": member.get("name", ""),
            "expert_id": member.get("expert_id"),
            "role": member.get("role", ""),
            "expertise": member.get("expertise", ""),
        }
        for member in members
    ]
