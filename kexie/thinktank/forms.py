"""Forms of the think tank: parse and validate, then the view calls a service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.core.reference import district_choices
from kexie.experts.models import Expert
from kexie.surveys.models import Survey
from kexie.thinktank.enums import (
    Access,
    BaseKind,
    EventKind,
    FeedbackKind,
    FeedbackLevel,
    Field,
    ProjectKind,
    ResultKind,
    ReviewConclusion,
    ReviewStage,
)

BLANK = [("", "---------")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExpertChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Expert) -> str:
        return f"{obj.name}（{obj.organization_display}）" if obj.organization_display else obj.name


class BaseForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=BaseKind.choices)
    district = forms.ChoiceField(label=_("District"), choices=BLANK, required=False)
    areas = forms.MultipleChoiceField(
        label=_("Fields"), choices=Field.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    agreement = forms.CharField(label=_("Agreement"), max_length=200, required=False)
    agreement_until = forms.DateField(label=_("Agreement valid until"), required=False, widget=DATE)
    members = ExpertChoiceField(
        label=_("Members (expert library)"),
        queryset=Expert.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = BLANK + district_choices()


class QuestionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Question"), max_length=200)
    background = forms.CharField(
        label=_("Background"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why it matters for Chongqing, what is known, what decision it would inform."),
    )
    field = forms.ChoiceField(label=_("Field"), choices=BLANK + list(Field.choices), required=False)


class CurateForm(StyledFormMixin, forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    importance = forms.TypedChoiceField(
        label=_("Importance"), choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept into the bank")), ("decline", _("Decline"))]
    )


class GuideForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TopicForm(StyledFormMixin, forms.Form):
    question = forms.ModelChoiceField(label=_("From the question bank"), queryset=None, required=False)
    title = forms.CharField(label=_("Topic title (when not from a question)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Research content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


class ProjectForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    client = forms.CharField(label=_("Commissioned by"), max_length=120, required=False)
    lead_organization = forms.CharField(label=_("Lead organization"), max_length=120)
    principal = forms.CharField(label=_("Principal investigator"), max_length=60)
    contract_number = forms.CharField(label=_("Contract number"), max_length=40, required=False)
    amount = forms.DecimalField(
        label=_("Funding (10k yuan)"), max_digits=10, decimal_places=2, required=False
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)


class ContractForm(StyledFormMixin, forms.Form):
    contract_number = forms.CharField(label=_("Contract number"), max_length=40)
    amount = forms.DecimalField(label=_("Funding (10k yuan)"), max_digits=10, decimal_places=2)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)


class MilestoneForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class ReviewForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ReviewStage.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=ReviewConclusion.choices)
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ResultForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResultKind.choices)
    authors = forms.CharField(label=_("Authors"), max_length=200)
    year = forms.IntegerField(label=_("Year"))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    keywords = forms.CharField(label=_("Keywords"), required=False, help_text=_("Separated by commas."))
    field = forms.ChoiceField(label=_("Field"), choices=BLANK + list(Field.choices), required=False)
    access = forms.ChoiceField(label=_("Access level"), choices=Access.choices)
    file = forms.FileField(label=_("File (.docx or .pdf)"), required=False)

    def clean_keywords(self) -> list[str]:
        raw = self.cleaned_data["keywords"].replace("，", ",").replace("、", ",")
        return [part.strip() for part in raw.split(",") if part.strip()]


class BriefForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    authors = forms.CharField(label=_("Authors"), max_length=200)
    summary = forms.CharField(
        label=_("Editor's note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    distribution = forms.CharField(label=_("Distribution"), max_length=300, initial="市委、市政府领导")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FeedbackForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    given_by = forms.CharField(label=_("Given by"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=FeedbackLevel.choices)
    given_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(
        label=_("Text of the instruction"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.CharField(label=_("Policy document"), max_length=200, required=False)
    reference = forms.CharField(label=_("Document reference"), max_length=100, required=False)
    department = forms.CharField(label=_("Transferred to"), max_length=120, required=False)
    task_departments = forms.ModelMultipleChoiceField(
        label=_("Create supervised tasks for"),
        queryset=Organization.objects.filter(kind=OrganizationKind.DEPARTMENT).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    task_due = forms.DateField(label=_("Tasks due"), required=False, widget=DATE)


class EventForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    theme = forms.CharField(label=_("Theme"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ViewpointForm(StyledFormMixin, forms.Form):
    speaker = forms.CharField(label=_("Speaker"), max_length=60)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=120, required=False)
    title = forms.CharField(label=_("Viewpoint"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class WorkerSurveyForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    survey = forms.ModelChoiceField(
        label=_("Survey in the surveys app"), queryset=Survey.objects.all(), required=False
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    figures = forms.CharField(
        label=_("Headline figures"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line: label, value, unit — e.g. 对科研环境满意的比例, 72.5, %"),
    )

    def clean_figures(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["figures"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) < 2:
                raise forms.ValidationError(_("Line %(n)s: write label, value, unit.") % {"n": number})
            try:
                value = Decimal(parts[1])
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(v)s” is not a number.") % {"n": number, "v": parts[1]}
                ) from None
            rows.append((parts[0], value, parts[2] if len(parts) > 2 else ""))
        return rows
