"""Forms of the surveys app: they parse input; services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.surveys.enums import ConditionOperator, QuestionKind
from kexie.surveys.models import Question, Section, Survey, WeightingScheme


class SurveyForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Owner organization"), queryset=Organization.objects.none()
    )
    requires_sign_in = forms.BooleanField(
        label=gettext_lazy("Respondents must sign in"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise anyone with the link or an invitation code may answer, anonymously."
        ),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closing date"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class SectionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Section title"), max_length=200)


class QuestionForm(StyledFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=gettext_lazy("Section"), queryset=Section.objects.none())
    text = forms.CharField(label=gettext_lazy("Question"), max_length=500)
    code = forms.CharField(
        label=gettext_lazy("Variable name"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Used in exports and to map population margins, e.g. district or sex. Left empty: Q1, Q2, …"
        ),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=gettext_lazy("Answer required"), required=False, initial=True)
    help_text = forms.CharField(label=gettext_lazy("Hint"), max_length=300, required=False)
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One per line; “value=label” to choose the stored value (e.g. 500103=渝中区)."
        ),
    )
    rows = forms.CharField(
        label=gettext_lazy("Matrix rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line; each row is answered with one of the options."),
    )
    scale_min = forms.IntegerField(label=gettext_lazy("Scale from"), initial=1)
    scale_max = forms.IntegerField(label=gettext_lazy("Scale to"), initial=5)
    condition_question = forms.ModelChoiceField(
        label=gettext_lazy("Show only if question"), queryset=Question.objects.none(), required=False
    )
    condition_operator = forms.ChoiceField(label=gettext_lazy("Condition"), choices=ConditionOperator.choices)
    condition_value = forms.CharField(
        label=gettext_lazy("Answer value"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The value of the earlier question's option, e.g. 1."),
    )

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        earlier = survey.questions.all()
        if question is not None:
            earlier = earlier.exclude(pk=question.pk)
        self.fields["condition_question"].queryset = earlier.order_by("section__position", "position")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if code and not code.replace("_", "").isalnum():
            raise ValidationError(_("Use letters, digits and _ only."))
        return code

    def option_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for n, raw in enumerate((self.cleaned_data.get("options") or "").splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            value, sep, label = line.partition("=")
            pairs.append((value.strip(), label.strip()) if sep else (str(n), line))
        return pairs

    def row_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("rows") or "").splitlines() if line.strip()]


def options_text(question: Question) -> str:
    return "\n".join(f"{o.value}={o.label}" for o in question.options.all())


class BatchForm(StyledFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("Station"), queryset=Organization.objects.none())
    quota = forms.IntegerField(label=gettext_lazy("Quota"), min_value=1, max_value=5000)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.filter(is_active=True)
            .exclude(kind__in=[OrganizationKind.ENTERPRISE, OrganizationKind.DECISION_DEPARTMENT])
            .order_by("kind", "sort_order", "name")
        )


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Invitation code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class MarginsForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Population margins (.xlsx)"),
        help_text=gettext_lazy(
            "Columns variable, category, population; the variable is a question's variable name."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)


class WeightingForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=gettext_lazy("Margins"), queryset=WeightingScheme.objects.none())
    lower = forms.FloatField(
        label=gettext_lazy("Trim below (× mean weight)"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Optional, e.g. 0.3"),
    )
    upper = forms.FloatField(
        label=gettext_lazy("Trim above (× mean weight)"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Optional, e.g. 3.5"),
    )
    strata = forms.ChoiceField(label=gettext_lazy("Strata (question)"), required=False)
    clusters = forms.ChoiceField(label=gettext_lazy("Clusters (question)"), required=False)

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = survey.schemes.all()
        choices = [("", "—")] + [
            (q.code, f"{q.code} {q.text}")
            for q in survey.questions.filter(kind=QuestionKind.SINGLE).order_by(
                "section__position", "position"
            )
        ]
        self.fields["strata"].choices = choices
        self.fields["clusters"].choices = choices


class CrosstabForm(forms.Form):
    row = forms.ChoiceField(label=gettext_lazy("Rows"))
    column = forms.ChoiceField(label=gettext_lazy("Columns"))

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(q.code, f"{q.code} {q.text}") for q in questions]
        self.fields["row"].choices = choices
        self.fields["column"].choices = choices
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
