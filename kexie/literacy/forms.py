"""Forms of the literacy module: parse and validate input, then the views call a service."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.accounts.queries import district_associations
from kexie.core.forms import StyledFormMixin
from kexie.literacy.enums import Audience, PublishState, QuestionKind, ReviewState
from kexie.literacy.models import Assessment, Dimension, Question, ScoringRule

district_choices = district_associations


def unit_choices():
    return Organization.objects.exclude(kind=OrganizationKind.DISTRICT_ASSOCIATION).order_by(
        "sort_order", "name"
    )


class QuestionForm(StyledFormMixin, forms.Form):
    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=Dimension.objects.all())
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option a line (not needed for true/false)."),
    )
    answer = forms.CharField(
        label=_("Answer key"),
        max_length=8,
        help_text=_("Letters of the correct options, e.g. A or AC; true/false: A = true, B = false."),
    )
    difficulty = forms.IntegerField(label=_("Difficulty (1–5)"), min_value=1, max_value=5, initial=3)
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=60)
    audiences = forms.MultipleChoiceField(
        label=_("Audience groups"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_answer(self):
        letters = self.cleaned_data["answer"].strip().upper().replace(",", "").replace(" ", "")
        if not letters or any(ch not in "ABCDEFGH" for ch in letters):
            raise forms.ValidationError(_("Use the letters A–H."))
        return ["ABCDEFGH".index(ch) for ch in letters]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["options"] = [line for line in data["options"].splitlines() if line.strip()]
        return data

    @staticmethod
    def initial_from(question: Question) -> dict:
        return {
            "dimension": question.dimension_id,
            "kind": question.kind,
            "text": question.text,
            "options": "\n".join(question.options) if question.kind != QuestionKind.TRUE_FALSE else "",
            "answer": "".join("ABCDEFGH"[a] for a in question.answer),
            "difficulty": question.difficulty,
            "explanation": question.explanation,
            "source": question.source,
            "topic": question.topic,
            "audiences": question.audiences,
        }


class QuestionFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=Dimension.objects.all(), required=False)
    state = forms.ChoiceField(
        label=_("Review state"), choices=[("", _("any"))] + list(ReviewState.choices), required=False
    )


class ReviewForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Review note"), required=False, max_length=300)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Question bank (.xlsx)"))


class ChapterForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(label=_("Chapter number"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=120)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions it prepares for"),
        queryset=Question.objects.filter(state=ReviewState.REVIEWED),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class AssessmentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    rule = forms.ModelChoiceField(label=_("Scoring rule"), queryset=ScoringRule.objects.all())
    item_count = forms.IntegerField(label=_("Number of items"), min_value=1, max_value=200, initial=20)
    easy = forms.IntegerField(label=_("Easy items (%)"), min_value=0, max_value=100, initial=40)
    medium = forms.IntegerField(label=_("Medium items (%)"), min_value=0, max_value=100, initial=40)
    hard = forms.IntegerField(label=_("Hard items (%)"), min_value=0, max_value=100, initial=20)
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, initial=2026, help_text=_("The same seed draws the same paper.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in Dimension.objects.all():
            field = forms.IntegerField(
                label=_("Weight: %(name)s") % {"name": dimension.name}, min_value=0, initial=dimension.weight
            )
            field.widget.attrs["class"] = "form-control"
            self.fields[f"weight_{dimension.code}"] = field

    def blueprint(self) -> dict:
        return {
            key.removeprefix("weight_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("weight_")
        }

    def difficulty_mix(self) -> dict:
        return {band: self.cleaned_data[band] for band in ("easy", "medium", "hard")}


class ContestForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    topic = forms.CharField(label=_("Theme (topic filter)"), max_length=60, required=False)
    dimension = forms.ModelChoiceField(
        label=_("Dimension filter"), queryset=Dimension.objects.all(), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    questions_per_round = forms.IntegerField(
        label=_("Questions per round"), min_value=1, max_value=50, initial=20
    )
    seconds_per_question = forms.IntegerField(
        label=_("Seconds per question"), min_value=5, max_value=300, initial=30
    )


class RegisterForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=40)
    full_name = forms.CharField(label=_("Name"), max_length=60)
    district = forms.ModelChoiceField(label=_("District or county"), queryset=Organization.objects.none())
    organization = forms.ModelChoiceField(
        label=_("Work unit (optional)"), queryset=Organization.objects.none(), required=False
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = district_choices()
        self.fields["organization"].queryset = unit_choices()

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        # Checked by the service with public=True: one neutral message for taken and reserved names.
        return name

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ProfileForm(StyledFormMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District or county"), queryset=Organization.objects.none())
    organization = forms.ModelChoiceField(
        label=_("Work unit (optional)"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = district_choices()
        self.fields["organization"].queryset = unit_choices()


class EstimateForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )


class PlannerForm(StyledFormMixin, forms.Form):
    margin = forms.DecimalField(
        label=_("Margin of error (percentage points)"), min_value=0.5, max_value=20, initial=3
    )
    proportion = forms.DecimalField(label=_("Expected rate (%)"), min_value=1, max_value=99, initial=15)
    deff = forms.DecimalField(label=_("Design effect"), min_value=1, max_value=10, initial=1.5)
    response_rate = forms.DecimalField(label=_("Response rate (%)"), min_value=10, max_value=100, initial=80)


class LiteracySurveyForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    assessment = forms.ModelChoiceField(
        label=_("Test paper"),
        queryset=Assessment.objects.none(),
        help_text=_("A published paper: its items become the survey's questions; the answer key stays here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = Assessment.objects.filter(
            state=PublishState.PUBLISHED
        ).select_related("rule")


class PublishedEstimateForm(StyledFormMixin, forms.Form):
    """A published figure. Year and scope are asked only when it is entered, not when it is edited."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Whole city"),
    )
    rate = forms.DecimalField(label=_("Rate (%)"), max_digits=6, decimal_places=2)
    ci_low = forms.DecimalField(label=_("95% CI low"), max_digits=6, decimal_places=2, required=False)
    ci_high = forms.DecimalField(label=_("95% CI high"), max_digits=6, decimal_places=2, required=False)
    n = forms.IntegerField(label=_("Respondents"), min_value=1, required=False)
    note = forms.CharField(
        label=_("Source note"),
        max_length=300,
        required=False,
        help_text=_("Who published the figure and where, e.g. 重庆市第十二次公民科学素质抽样调查."),
    )
    source_url = forms.URLField(
        label=_("Source address"), max_length=300, required=False, assume_scheme="https"
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            del self.fields["district"]
        else:
            self.fields["district"].queryset = district_choices()


class TierRuleForm(StyledFormMixin, forms.Form):
    """A graded rule's tiers, lowest first, in up to TIER_ROWS rows (empty rows are left out)."""

    TIER_ROWS = 5

    fail_label = forms.CharField(label=_("Label below every tier"), max_length=60)

    def __init__(self, *args, rule: ScoringRule, **kwargs):
        tiers = list(reversed(rule.tiers))
        initial = {"fail_label": rule.fail_label}
        for row, tier in enumerate(tiers, start=1):
            initial.update(
                {
                    f"min_{row}": tier["min"],
                    f"label_{row}": tier["label"],
                    f"literate_{row}": tier["literate"],
                }
            )
        super().__init__(*args, initial=initial, **kwargs)
        for row in range(1, self.TIER_ROWS + 1):
            self.fields[f"min_{row}"] = forms.DecimalField(
                label=_("Tier %(row)s: from (points)") % {"row": row},
                required=False,
                max_digits=5,
                decimal_places=2,
            )
            self.fields[f"label_{row}"] = forms.CharField(
                label=_("Tier %(row)s: name") % {"row": row}, required=False, max_length=60
            )
            self.fields[f"literate_{row}"] = forms.BooleanField(
                label=_("Tier %(row)s counts as literate") % {"row": row}, required=False
            )
        # The mixin styled the fields that existed before these rows; the table's headers name the
        # columns, so each input carries its own label for screen readers.
        for name, field in self.fields.items():
            if name.startswith(("min_", "label_", "literate_")):
                css = "form-check-input" if name.startswith("literate_") else "form-control"
                field.widget.attrs.update({"class": css, "aria-label": str(field.label)})

    def rows(self):
        """The rows' bound fields, for the template's table."""
        return [
            (row, self[f"min_{row}"], self[f"label_{row}"], self[f"literate_{row}"])
            for row in range(1, self.TIER_ROWS + 1)
        ]

    def tiers(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"min": data[f"min_{row}"], "label": data[f"label_{row}"], "literate": data[f"literate_{row}"]}
            for row in range(1, self.TIER_ROWS + 1)
            if data.get(f"min_{row}") is not None or data.get(f"label_{row}")
        ]


class BenchmarkRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ScoringRule
        fields = ["points_per_item", "pass_share", "pass_label", "fail_label"]


class AssessmentRuleForm(StyledFormMixin, forms.Form):
    rule = forms.ModelChoiceField(
        label=_("Scoring rule"),
        queryset=ScoringRule.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs={"aria-label": _("Scoring rule"), "class": "form-select-sm"}),
    )
