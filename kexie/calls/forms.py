"""Forms of the calls pages. The dossier and score forms are built from the call's data (form
schema, rubric); JSON settings are edited as JSON with the service's validation messages."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.calls import kinds
from kexie.calls.enums import Aggregation, ObjectionState, RoundKind, Vote
from kexie.core.forms import StyledFormMixin

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class JSONTextField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"rows": 8, "class": "font-monospace", "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(col)s).") % {"line": exc.lineno, "col": exc.colno}
            ) from None


class CallForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME, required=False)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME, required=False)
    check_until = forms.DateField(label=_("Formal check until"), widget=DATE, required=False)
    needs_code = forms.BooleanField(label=_("Nominations only with a nomination code"), required=False)
    endorsement_chain = forms.CharField(
        label=_("Endorsement chain"),
        required=False,
        help_text=_("Steps separated by commas: unit, channel, organiser"),
    )
    publicity_days = forms.IntegerField(
        label=_("Publicity (working days)"), min_value=1, max_value=30, initial=5
    )
    form_schema = JSONTextField(label=_("Application form (JSON)"))
    eligibility = JSONTextField(label=_("Eligibility rules (JSON)"))
    decision_rule = JSONTextField(
        label=_("Decision rule (JSON)"), help_text='{"top_n": 10} / {"min_score": 80}'
    )

    def __init__(self, *args, organisers=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds.choices()
        self.fields["organiser"].queryset = (
            organisers if organisers is not None else Organization.objects.none()
        )
        if editing:
            for name in ("kind", "organiser", "year"):
                del self.fields[name]

    def clean_endorsement_chain(self):
        text = self.cleaned_data.get("endorsement_chain") or ""
        return [s.strip() for s in text.replace("，", ",").split(",") if s.strip()]


class ChannelForm(StyledFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.all())
    quota = forms.IntegerField(label=_("Quota"), min_value=1, initial=3)
    admins = forms.CharField(label=_("Administrators (user names, comma separated)"), required=False)


class CodesForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=500, initial=5)


class StartForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Nomination code"), max_length=20, required=False)
    title = forms.CharField(label=_("Title of the dossier"), max_length=200)
    organization_name = forms.CharField(label=_("Your organization"), max_length=120, required=False)


class RoundForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    blind = forms.BooleanField(label=_("Blind review (hide names and units)"), required=False, initial=True)
    reviewers_per_submission = forms.IntegerField(
        label=_("Reviewers per submission (k)"), min_value=1, initial=3
    )
    max_load = forms.IntegerField(label=_("Most submissions per reviewer (L)"), min_value=1, initial=10)
    comment_below = forms.FloatField(label=_("Comment required below this total"), required=False)
    aggregation = forms.ChoiceField(label=_("Aggregation"), choices=Aggregation.choices)
    disciplines = forms.CharField(
        label=_("Disciplines of the pool (NSFC codes, comma separated)"), required=False
    )
    rubric = JSONTextField(
        label=_("Rubric (JSON)"),
        help_text='[{"key": "merit", "label": "主要事迹", "weight": 1, "min": 0, "max": 60}]',
    )
    pass_rule = JSONTextField(label=_("Pass rule of a panel (JSON)"), help_text='{"fraction": [2, 3]}')

    def clean_disciplines(self):
        text = self.cleaned_data.get("disciplines") or ""
        return [s.strip() for s in text.replace("，", ",").split(",") if s.strip()]


class ObjectionForm(StyledFormMixin, forms.Form):
    real_name = forms.CharField(label=_("Your real name"), max_length=60, required=False)
    contact = forms.CharField(label=_("Telephone or address"), max_length=60, required=False)
    body = forms.CharField(
        label=_("Objection and facts"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class HandleObjectionForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        required=False,
        label=_("Outcome"),
        choices=[
            ("", "—"),
            (ObjectionState.UPHELD, ObjectionState.UPHELD.label),
            (ObjectionState.DISMISSED, ObjectionState.DISMISSED.label),
        ],
    )
    handling = forms.CharField(
        label=_("How it was looked into"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    result = forms.CharField(
        label=_("Answer to the person"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecideForm(StyledFormMixin, forms.Form):
    RULES = [
        ("top_n", _("the top N of the ranking")),
        ("min_score", _("a final score of at least")),
        ("panel_pass", _("the panel's pass rule")),
    ]
    rule = forms.ChoiceField(label=_("Rule"), choices=RULES)
    value = forms.FloatField(label=_("N or score"), required=False)
    level = forms.CharField(label=_("Level given (optional)"), max_length=60, required=False)


def dossier_form_class(schema: dict):
    """A Django form with one field per form-schema field (files handled separately)."""
    from kexie.calls import schema as form_schema

    fields = {}
    for f in form_schema.fields_of(schema):
        label, kind = f.get("label", f["key"]), f["type"]
        common = {"label": label, "required": False, "help_text": f.get("help", "")}
        if kind == "text":
            fields[f["key"]] = forms.CharField(**common)
        elif kind == "longtext":
            limit = f.get("max_length", 5000)
            common["help_text"] = common["help_text"] or _("At most %(n)s characters.") % {"n": limit}
            fields[f["key"]] = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
        elif kind == "number":
            fields[f["key"]] = forms.CharField(
                widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
            )
        elif kind == "date":
            fields[f["key"]] = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == "choice":
            choices = [(str(c[0]), str(c[1])) for c in f["choices"]]
            if f.get("multiple"):
                fields[f["key"]] = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                fields[f["key"]] = forms.ChoiceField(choices=[("", "—"), *choices], **common)
        elif kind == "persons":
            cols = "、".join(c.get("label", c["key"]) for c in f["columns"])
            common["help_text"] = _("One person per line, columns separated by commas: %(cols)s") % {
                "cols": cols
            }
            fields[f["key"]] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return type("DossierForm", (StyledFormMixin, forms.Form), fields)


def persons_to_text(field: dict, rows) -> str:
    keys = [c["key"] for c in field["columns"]]
    return "\n".join("，".join(row.get(k, "") for k in keys) for row in rows or [])


def text_to_persons(field: dict, text: str) -> list[dict]:
    keys = [c["key"] for c in field["columns"]]
    rows = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if any(parts):
            rows.append({k: (parts[i] if i < len(parts) else "") for i, k in enumerate(keys)})
    return rows


def score_form_class(review_round):
    fields = {}
    if review_round.kind == RoundKind.PANEL:
        fields["vote"] = forms.ChoiceField(label=_("Vote"), choices=Vote.choices, widget=forms.RadioSelect)
    else:
        for c in review_round.rubric:
            fields[c["key"]] = forms.CharField(
                label=f"{c['label']}（{c.get('min', 0):g}–{float(c['max']):g}）",
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
    fields["comment"] = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    return type("ScoreForm", (StyledFormMixin, forms.Form), fields)
