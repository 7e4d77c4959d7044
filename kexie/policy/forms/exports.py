"""Forms of the export pages: the breakdown table's filters, its import, and the bulletin."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.policy.enums import Light, NoticeState
from kexie.policy.models import Notice

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NoticeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Notice) -> str:
        return f"{obj.doc_number} {obj.title}".strip()


def confirmed_notices():
    return Notice.objects.filter(state=NoticeState.CONFIRMED).order_by("-confirmed_at", "-pk")


def task_departments():
    """Organizations that lead or cooperate on some task: the departments worth filtering by."""
    return (
        Organization.objects.filter(Q(led_tasks__isnull=False) | Q(cooperating_tasks__isnull=False))
        .distinct()
        .order_by("sort_order", "name")
    )


class BreakdownExportForm(StyledFormMixin, forms.Form):
    notice = NoticeChoiceField(label=_("Notice"), queryset=confirmed_notices(), empty_label=None)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=task_departments(),
        required=False,
        empty_label=_("All departments"),
        help_text=_("Tasks it leads or cooperates on."),
    )
    light = forms.ChoiceField(
        label=_("Status light"), choices=[("", _("All lights")), *Light.choices], required=False
    )


class BreakdownImportForm(StyledFormMixin, forms.Form):
    notice = NoticeChoiceField(label=_("Notice"), queryset=confirmed_notices(), empty_label=None)
    file = forms.FileField(
        label=_("Edited breakdown table (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )
    reason = forms.CharField(
        label=_("Reason for due-date adjustments"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A new due date of a task already under way becomes a change request for a leader to "
            "decide; this reason goes with it."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check the table, write nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file “%(name)s” is larger than %(limit)s MB. Please upload a smaller file."),
                params={"name": upload.name, "limit": settings.MAX_UPLOAD_MB},
            )
        return upload


class BulletinForm(StyledFormMixin, forms.Form):
    notice = NoticeChoiceField(label=_("Notice"), queryset=confirmed_notices(), empty_label=None)
    number = forms.CharField(
        label=_("Bulletin number"), max_length=60, help_text=_("For example 渝科协督〔2026〕3号.")
    )
    as_of = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closing = forms.CharField(
        label=_("Next steps (section 四)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One paragraph per line. Left empty, a standard text is used."),
    )
