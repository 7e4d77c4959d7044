from __future__ import annotations

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.core.validators import is_valid_id_number, is_valid_mobile
from kexie.experts.documents import split_terms
from kexie.experts.enums import (
    Availability,
    Honour,
    ProfessionalTitle,
    Sex,
    VerificationState,
    WorkKind,
    WorkRole,
)
from kexie.experts.models import Discipline
from kexie.experts.queries import district_choices


def _blank(choices, label="—"):
    return [("", label), *choices]


class DisciplineCodesField(forms.CharField):
    """NSFC codes typed as "F0201、F0305" (any of 、,; or spaces between them)."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [code.upper() for code in split_terms(text.replace(" ", "、"))]

    def validate(self, value):
        super().validate(value)
        known = set(Discipline.objects.filter(code__in=value).values_list("code", flat=True))
        unknown = [code for code in value if code not in known]
        if unknown:
            raise forms.ValidationError(
                _("Unknown discipline codes: %(codes)s."), params={"codes": "、".join(unknown)}
            )


class TermsField(forms.CharField):
    def to_python(self, value):
        return split_terms(super().to_python(value) or "")


class ProfileForm(StyledFormMixin, forms.Form):
    """What an expert edits on their own profile; staff get a few more fields (StaffExpertForm)."""

    name = forms.CharField(label=_("Full name"), max_length=60)
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900)
    organization_name = forms.CharField(label=_("Organization"), max_length=120)
    organization_kind = forms.ChoiceField(
        label=_("Organization kind"), choices=_blank(OrganizationKind.choices), required=False
    )
    title = forms.ChoiceField(label=_("Professional title"), choices=ProfessionalTitle.choices)
    honours = forms.MultipleChoiceField(
        label=_("Honours"), choices=Honour.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    disciplines = DisciplineCodesField(
        label=_("Discipline codes"),
        required=False,
        help_text=_("NSFC application codes separated by 、, for example F0201、F0305."),
    )
    keywords = TermsField(label=_("Keywords"), required=False, help_text=_("Separated by 、 or commas."))
    research_areas = forms.CharField(
        label=_("Research areas"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    biography = forms.CharField(
        label=_("Biography"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    overseas = forms.BooleanField(label=_("Overseas expert (Haizhi)"), required=False)
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)
    mobile = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _blank(district_choices())
        # Honours recorded by other services (an award's winners, by its name) are not in the fixed
        # list; offered as checked choices they survive an edit of the profile.
        known = {value for value, _label in Honour.choices}
        recorded = [h for h in self.initial.get("honours") or [] if h not in known]
        if recorded:
            self.fields["honours"].choices = [*Honour.choices, *((h, h) for h in recorded)]

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The birth year is in the future."))
        return year

    def clean_mobile(self):
        value = self.cleaned_data.get("mobile", "").strip()
        if value and not is_valid_mobile(value):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        return value

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip().upper()
        if value and not is_valid_id_number(value):
            raise forms.ValidationError(_("The ID number is not valid (length, birth date or check digit)."))
        return value

    def service_data(self) -> tuple[dict, list[str]]:
        data = dict(self.cleaned_data)
        codes = data.pop("disciplines")
        return data, codes


class StaffExpertForm(ProfileForm):
    organization = forms.ModelChoiceField(
        label=_("Organization in the platform"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Optional: the registered organization, used for conflict-of-interest checks."),
    )
    channel = forms.CharField(
        label=_("Nominating channel"),
        required=False,
        max_length=120,
        help_text=_("The society, district or unit that put the expert forward."),
    )
    state = forms.ChoiceField(
        label=_("Verification"),
        choices=[
            (VerificationState.UNVERIFIED, VerificationState.UNVERIFIED.label),
            (VerificationState.VERIFIED, VerificationState.VERIFIED.label),
        ],
        initial=VerificationState.VERIFIED,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        linked = self.initial.get("organization")
        self.fields["organization"].queryset = platform_organizations(current=linked)
        # Next to the organization's name rather than at the end of the form.
        order = list(self.fields)
        order.remove("organization")
        order.insert(order.index("organization_name") + 1, "organization")
        self.order_fields(order)


def initial_of(expert) -> dict:
    return {
        "name": expert.name,
        "sex": expert.sex,
        "birth_year": expert.birth_year,
        "organization_name": expert.organization_display,
        "organization": expert.organization_id,
        "organization_kind": expert.organization_kind,
        "title": expert.title,
        "honours": expert.honours,
        "disciplines": "、".join(d.code for d in expert.disciplines.all()),
        "keywords": "、".join(expert.keywords),
        "research_areas": expert.research_areas,
        "biography": expert.biography,
        "district": expert.district,
        "overseas": expert.overseas,
        "availability": expert.availability,
        "channel": expert.channel,
        "mobile": expert.mobile,
        "id_number": expert.id_number,
        "email": expert.email,
    }


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class WorkForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    role = forms.ChoiceField(label=_("Role"), choices=_blank(WorkRole.choices), required=False)
    coauthors = TermsField(
        label=_("Co-authors / co-investigators"),
        required=False,
        help_text=_("Names separated by 、 or commas."),
    )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file (the import template)."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class FilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    district = forms.ChoiceField(label=_("District"), required=False)
    discipline = forms.CharField(label=_("Discipline code"), required=False, max_length=10)
    title = forms.ChoiceField(
        label=_("Professional title"),
        required=False,
        choices=_blank(ProfessionalTitle.choices, _("Any title")),
    )
    overseas = forms.BooleanField(label=_("Overseas only"), required=False)
    availability = forms.ChoiceField(
        label=_("Availability"), required=False, choices=_blank(Availability.choices, _("Any availability"))
    )
    state = forms.ChoiceField(
        label=_("Verification"), required=False, choices=_blank(VerificationState.choices, _("Any state"))
    )

    def __init__(self, *args, districts: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = district_choices() if districts is None else districts
        self.fields["district"].choices = _blank(choices, _("All districts"))
        self.fields["q"].widget.attrs["placeholder"] = _("Name, keyword, research area…")
        self.fields["discipline"].widget.attrs["placeholder"] = _("Discipline code, e.g. F02")

    def clean_discipline(self):
        return self.cleaned_data.get("discipline", "").strip().upper()


class ConflictCheckForm(StyledFormMixin, forms.Form):
    organizations = TermsField(
        label=_("Organizations of the item"), required=False, help_text=_("Separated by 、 or commas.")
    )
    persons = TermsField(
        label=_("People of the item"), required=False, help_text=_("Separated by 、 or commas.")
    )
    channel = forms.CharField(label=_("Nominating channel"), required=False, max_length=120)


# Where an expert works, in the order the choice list shows them: universities and institutes
# first. Enterprises are left out: the demo alone registers hundreds, which buried the universities;
# an enterprise expert's employer is typed in the organization name (conflict checks match names too).
EMPLOYER_KINDS = [
    OrganizationKind.UNIVERSITY,
    OrganizationKind.INSTITUTE,
    OrganizationKind.AFFILIATED_UNIT,
    OrganizationKind.SOCIETY,
    OrganizationKind.ASSOCIATION,
    OrganizationKind.DISTRICT_ASSOCIATION,
    OrganizationKind.DEVELOPMENT_ZONE,
    OrganizationKind.OTHER,
    # Last: many registered enterprises, and experts work at some of them (企业专家).
    OrganizationKind.ENTERPRISE,
]


def platform_organizations(current: int | str | None = None):
    """The "Organization in the platform" choices: employer kinds, plus the organization already
    linked (``current``), whatever its kind, so that editing a profile keeps it."""
    rank = Case(
        *(When(kind=kind, then=Value(order)) for order, kind in enumerate(EMPLOYER_KINDS)),
        default=Value(len(EMPLOYER_KINDS)),
    )
    scope = Q(kind__in=EMPLOYER_KINDS)
    if current:
        scope |= Q(pk=current)
    return Organization.objects.filter(scope).order_by(rank, "sort_order", "name")


class AffiliationForm(StyledFormMixin, forms.Form):
    organization_name = forms.CharField(label=_("Organization"), max_length=120, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization in the platform"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Optional: link the organization when it is registered in the platform."),
    )
    start_year = forms.IntegerField(label=_("From (year)"), required=False, min_value=1900, max_value=2100)
    end_year = forms.IntegerField(
        label=_("Until (year)"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Leave empty while the expert still works there."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = platform_organizations()

    def clean(self):
        data = super().clean()
        if not (data.get("organization_name") or "").strip() and not data.get("organization"):
            self.add_error("organization_name", _("Enter the organization, or choose it in the platform."))
        return data


class MentorshipForm(StyledFormMixin, forms.Form):
    """A link from the expert whose page this is: they are the advisor or the student of the other."""

    ADVISOR = "advisor"
    STUDENT = "student"

    side = forms.ChoiceField(
        label=_("This expert is"),
        choices=[(ADVISOR, _("the advisor of")), (STUDENT, _("a student of"))],
    )
    other_name = forms.CharField(label=_("Name of the other person"), max_length=60, required=False)
    other_expert = forms.IntegerField(
        label=_("Or the other person's expert id"),
        required=False,
        min_value=1,
        help_text=_("The number in the address of their profile in the expert library."),
    )

    def __init__(self, *args, allow_expert_id: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_expert_id:
            self.fields.pop("other_expert")

    def clean(self):
        data = super().clean()
        if not (data.get("other_name") or "").strip() and not data.get("other_expert"):
            self.add_error("other_name", _("Enter the name of the other person."))
        return data
