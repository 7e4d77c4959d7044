"""Forms of the task pages: filters, breakdown, progress with evidence, milestones, changes, reminders,
typical cases."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.policy.enums import ChangeKind, Light, TaskSource, TaskState
from kexie.policy.models import Measure, Task


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def department_choices():
    return Organization.objects.filter(is_active=True).order_by("sort_order", "name")


def lead_choices():
    """Organizations that lead at least one task: what the task list can be filtered by."""
    return Organization.objects.filter(led_tasks__isnull=False).distinct().order_by("sort_order", "name")


class ProgressForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    files = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, Word, Excel, images or ZIP; several files allowed."),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChangeRequestForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Change"), choices=ChangeKind.choices)
    new_due_date = forms.DateField(
        label=_("New due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == ChangeKind.DUE_DATE and not data.get("new_due_date"):
            self.add_error("new_due_date", _("Give the new due date."))
        return data


class MilestoneForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReminderForm(StyledFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty for the standard reminder text."),
    )


class CaseForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    submit = forms.BooleanField(label=_("Submit for publication now"), required=False)


class TaskForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(label=_("Source"), choices=TaskSource.choices)
    source_ref = forms.CharField(
        label=_("Source reference"),
        required=False,
        max_length=300,
        help_text=_("e.g. the instruction's number or the meeting's minutes."),
    )
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none(), required=False)
    lead = forms.ModelChoiceField(label=_("Lead department"), queryset=Organization.objects.none())
    cooperating = forms.ModelMultipleChoiceField(
        label=_("Cooperating departments"),
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures if measures is not None else Measure.objects.none()
        self.fields["lead"].queryset = department_choices()
        self.fields["cooperating"].queryset = department_choices()

    def clean(self):
        data = super().clean()
        if data.get("source") == TaskSource.NOTICE and not data.get("measure"):
            self.add_error("measure", _("A task from a notice belongs to one of its measures."))
        return data


class TaskEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.ModelChoiceField(label=_("Lead department"), queryset=Organization.objects.none())
    cooperating = forms.ModelMultipleChoiceField(
        label=_("Cooperating departments"),
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The filter offers the organizations that lead a task, not every organization (companies...).
        self.fields["lead"].queryset = department_choices().filter(pk__in=Task.objects.values("lead_id"))
        self.fields["cooperating"].queryset = department_choices()


class TaskFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *TaskState.choices]
    )
    light = forms.ChoiceField(
        label=_("Status light"), required=False, choices=[("", _("All lights")), *Light.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *TaskSource.choices]
    )
    lead = forms.ModelChoiceField(
        label=_("Lead department"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All departments"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organizations that lead a task: filtering by any of the ~270 active organizations
        # (enterprises included) rendered hundreds of options, each through a widget template.
        self.fields["lead"].queryset = lead_choices()
