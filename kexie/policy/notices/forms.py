"""Forms of notice import: the upload or paste, and the editable draft with its unit mapping."""

from __future__ import annotations

import copy
import hashlib
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.policy import services
from kexie.policy.enums import Comparator
from kexie.policy.notices.extract import NoticeFileError, normalize_text
from kexie.policy.notices.importing import (
    OcrNeeded,
    UnitChoice,
    chinese_numeral,
    guess_kind,
    max_upload_bytes,
    read_upload,
    split_units,
    unknown_units,
    upload_bytes,
)

NEW_ORGANIZATION = "new"


def too_big_message() -> str:
    return gettext(
        "The pasted text is larger than %(limit)s MB. Please paste a shorter text or upload the file."
    ) % {"limit": settings.MAX_UPLOAD_MB}


class NoticeImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Notice file"),
        required=False,
        # extract_text refuses an empty file with a message that names it.
        allow_empty_file=True,
        help_text=_(
            "A .txt, .docx, .doc, .wps, .ofd or .pdf file of the notice as issued, or a scan "
            "(.pdf, .png, .jpg) whose text is recognised."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.doc,.wps,.ofd,.pdf,.png,.jpg,.jpeg"}),
    )
    text = forms.CharField(
        label=_("Or paste the text of the notice"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, too_big: bool = False, **kwargs):
        """`too_big`: the request body was over Django's limit and could not be read at all."""
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    def clean(self):
        cleaned = super().clean()
        if self.too_big:
            self.add_error("text", too_big_message())
            return cleaned
        upload = cleaned.get("file")
        pasted = cleaned.get("text") or ""
        if upload:
            try:
                cleaned["notice_text"] = read_upload(upload, defer_ocr=True)
            except OcrNeeded as scan:
                # Recognised in a background job: the page limit has been checked, nothing else done.
                cleaned["scan"] = {"data": upload_bytes(upload), "pages": scan.pages}
            except NoticeFileError as exc:
                self.add_error("file", exc.message)
                return cleaned
            cleaned["source_name"] = upload.name
        elif pasted.strip():
            if len(pasted.encode("utf-8")) > max_upload_bytes():
                self.add_error("text", too_big_message())
                return cleaned
            cleaned["notice_text"] = normalize_text(pasted)
            cleaned["source_name"] = ""
        else:
            raise ValidationError(
                _("Upload a .txt, .docx, .doc, .wps, .ofd or .pdf file of the notice, or paste its text.")
            )
        return cleaned

    @property
    def source_field(self) -> str:
        """The field the notice came from, where a parse error is shown."""
        return "file" if self.cleaned_data.get("file") else "text"


# --- the draft ---------------------------------------------------------------------------------------


class NoticeHeaderForm(StyledFormMixin, forms.Form):
    doc_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issuer"), max_length=120, required=False)
    date = forms.DateField(
        label=_("Date of issue"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separated by 、 or one per line."),
    )

    def clean_recipients(self) -> list[str]:
        return split_units(self.cleaned_data["recipients"])


class SectionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200, required=False)


class MeasureForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    departments = forms.CharField(
        label=_("Responsible units"),
        max_length=2000,
        required=False,
        help_text=_("Separated by 、; the first one leads (牵头), the others cooperate (配合)."),
    )

    def clean_departments(self) -> list[str]:
        names = split_units(self.cleaned_data["departments"])
        too_long = [name for name in names if len(name) > 120]
        if too_long:
            raise ValidationError(_("“%(name)s” is too long for a unit name.") % {"name": too_long[0][:30]})
        return names


class TargetForm(StyledFormMixin, forms.Form):
    measure = forms.TypedChoiceField(label=_("Measure"), coerce=int)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)
    metric = forms.CharField(label=_("Metric"), max_length=200)
    # The initial value keeps the blank extra row "unchanged", so it is skipped, not validated.
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Comparator.choices, initial=Comparator.GT)
    value = forms.DecimalField(label=_("Target value"), max_digits=20, decimal_places=4)
    unit = forms.CharField(label=_("Unit of measure"), max_length=20, required=False)

    def __init__(self, *args, measure_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "—"), *measure_choices]

    def to_target(self) -> dict:
        data = self.cleaned_data
        value: Decimal = data["value"]
        number = int(value) if value == value.to_integral_value() else float(value)
        return {
            "measure": data["measure"],
            "year": data["year"],
            "metric": data["metric"].strip(),
            "comparator": data["comparator"],
            "value": number,
            "unit": data["unit"].strip() or None,
        }


class BaseTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, measure_choices=(), **kwargs):
        self.measure_choices = measure_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "measure_choices": self.measure_choices}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


TargetFormSet = forms.formset_factory(TargetForm, formset=BaseTargetFormSet, extra=1, can_delete=True)


class UnitMappingForm(StyledFormMixin, forms.Form):
    """One unknown unit name: an existing organization, or a new one (name and kind)."""

    choice = forms.ChoiceField(label=_("Organization"), required=False)
    new_name = forms.CharField(label=_("Name of the new organization"), max_length=120, required=False)
    new_kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices, required=False)
    remember = forms.BooleanField(label=_("Remember this name for later notices"), required=False)

    def __init__(self, *args, unit: str, organizations: list[Organization], require: bool = False, **kwargs):
        kwargs.setdefault("initial", {"new_name": unit, "new_kind": guess_kind(unit), "remember": True})
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.require = require
        self.organizations = {str(org.pk): org for org in organizations}
        groups: dict[str, list[tuple[str, str]]] = {}
        for org in organizations:
            groups.setdefault(org.get_kind_display(), []).append((str(org.pk), org.name))
        self.fields["choice"].choices = [
            ("", _("— choose —")),
            (NEW_ORGANIZATION, _("Create a new organization")),
            *groups.items(),
        ]
        self.fields["choice"].widget.attrs["data-unit-choice"] = ""

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("choice")
        if not choice:
            if self.require:
                self.add_error(
                    "choice",
                    _("Choose the organization “%(name)s” stands for, or create it.") % {"name": self.unit},
                )
            return cleaned
        if choice == NEW_ORGANIZATION:
            name = (cleaned.get("new_name") or self.unit).strip()
            cleaned["new_name"] = name
            if not cleaned.get("new_kind"):
                self.add_error("new_kind", _("Choose the kind of the new organization."))
            if Organization.objects.filter(name=name).exists():
                self.add_error(
                    "new_name",
                    _("An organization named “%(name)s” already exists; choose it from the list instead.")
                    % {"name": name},
                )
        return cleaned

    def to_choice(self) -> UnitChoice | None:
        choice = self.cleaned_data.get("choice")
        if not choice:
            return None
        if choice == NEW_ORGANIZATION:
            return UnitChoice(
                name=self.unit, new_name=self.cleaned_data["new_name"], new_kind=self.cleaned_data["new_kind"]
            )
        return UnitChoice(
            name=self.unit,
            organization=self.organizations[choice],
            remember=self.cleaned_data.get("remember", False),
        )


class ConfirmForm(StyledFormMixin, forms.Form):
    due_date = forms.DateField(
        label=_("Default due date of the tasks"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional; each task's due date can be set later."),
    )


def unit_prefix(name: str) -> str:
    # Keyed by the name, not by position: the list of unknown names changes as staff edit units.
    return "u" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


class DraftEditor:
    """Every form of the draft page, built from the stored draft (GET) or the submitted data (POST).

    `draft` is the draft as edited (the stored one while the edits are invalid), `unknown` its unit
    names that match no organization, each with a mapping form in `units`. With `confirming`, every
    unknown name must be given an organization."""

    def __init__(self, notice, data=None, *, organizations: list[Organization], confirming: bool = False):
        self.notice = notice
        self.stored = notice.draft
        self.data = data
        self.organizations = organizations
        self.confirming = confirming
        self.errors: list[str] = []
        matches = services.match_organizations(services.draft_unit_names(self.stored))
        self.header = NoticeHeaderForm(
            data,
            prefix="h",
            initial={
                "doc_number": self.stored.get("doc_number") or "",
                "issuer": self.stored.get("issuer") or "",
                "date": self.stored.get("date"),
                "title": self.stored.get("title") or notice.title,
                "recipients": "、".join(self.stored.get("recipients") or []),
            },
        )
        self.sections = [
            self._section(index, section, data, matches)
            for index, section in enumerate(self.stored.get("sections", []))
        ]
        measure_choices = [
            (m["data"]["number"], f"{m['data']['number']}. {m['data'].get('title') or ''}"[:40])
            for s in self.sections
            for m in s["measures"]
        ]
        self.targets = TargetFormSet(
            data,
            prefix="t",
            measure_choices=measure_choices,
            initial=None
            if data is not None
            else [
                {**target, "value": Decimal(str(target["value"])), "unit": target.get("unit") or ""}
                for target in self.stored.get("targets", [])
            ],
        )
        self.confirm = ConfirmForm(data, prefix="c")
        self.draft = self._edited_draft() if data is not None and self.edits_valid() else self.stored
        self.unknown = unknown_units(self.draft)
        self.units = [
            UnitMappingForm(
                data, prefix=unit_prefix(name), unit=name, organizations=organizations, require=confirming
            )
            for name in self.unknown
        ]

    @staticmethod
    def _section(index: int, section: dict, data, matches: dict) -> dict:
        measures = []
        for measure in section.get("measures", []):
            names = _lead_first(measure)
            form = MeasureForm(
                data,
                prefix=f"m{measure['number']}",
                initial={"title": measure.get("title") or "", "departments": "、".join(names)},
            )
            units = [
                {"name": name, "organization": matches.get(name), "lead": position == 0}
                for position, name in enumerate(names)
            ]
            measures.append({"data": measure, "form": form, "units": units})
        return {
            "data": section,
            "form": SectionForm(data, prefix=f"s{index}", initial={"title": section.get("title") or ""}),
            "measures": measures,
            "label": chinese_numeral(section["number"]) if section.get("number") else "",
        }

    @property
    def measure_forms(self) -> list[MeasureForm]:
        return [m["form"] for s in self.sections for m in s["measures"]]

    def edits_valid(self) -> bool:
        forms = [self.header, *[s["form"] for s in self.sections], *self.measure_forms, self.targets]
        return all([form.is_valid() for form in forms])  # noqa: C419 - validate every form

    def units_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.units])  # noqa: C419 - validate every form
        new_names = [
            f.cleaned_data.get("new_name")
            for f in self.units
            if f.is_valid() and f.cleaned_data.get("choice") == NEW_ORGANIZATION
        ]
        for form in self.units:
            name = form.cleaned_data.get("new_name") if form.is_valid() else None
            if name and form.cleaned_data.get("choice") == NEW_ORGANIZATION and new_names.count(name) > 1:
                form.add_error(
                    "new_name", _("Two units would create the same organization “%(name)s”.") % {"name": name}
                )
                valid = False
        return valid

    def is_valid(self) -> bool:
        confirm_valid = self.confirm.is_valid() if self.confirming else True
        return self.data is not None and self.edits_valid() and self.units_valid() and confirm_valid

    def _edited_draft(self) -> dict:
        draft = copy.deepcopy(self.stored)
        header = self.header.cleaned_data
        draft["doc_number"] = header["doc_number"].strip() or None
        draft["issuer"] = header["issuer"].strip() or None
        draft["date"] = header["date"].isoformat() if header["date"] else None
        draft["title"] = header["title"].strip()
        draft["recipients"] = header["recipients"]
        for section, edited in zip(draft.get("sections", []), self.sections, strict=True):
            section["title"] = edited["form"].cleaned_data["title"].strip() or None
            for measure, measure_edit in zip(section.get("measures", []), edited["measures"], strict=True):
                cleaned = measure_edit["form"].cleaned_data
                names = cleaned["departments"]
                measure["title"] = cleaned["title"].strip()
                measure["departments"] = names
                measure["lead"] = names[0] if names else None
                measure["co"] = names[1:]
        draft["targets"] = [
            form.to_target()
            for form in self.targets.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        return draft

    def choices(self) -> list[UnitChoice]:
        return [choice for form in self.units if (choice := form.to_choice()) is not None]

    @property
    def due_date(self):
        return self.confirm.cleaned_data.get("due_date") if self.confirm.is_valid() else None

    def add_error(self, message: str) -> None:
        self.errors.append(message)


def _lead_first(measure: dict) -> list[str]:
    names = list(measure.get("departments") or [])
    lead = measure.get("lead")
    if lead and lead in names:
        names.remove(lead)
        names.insert(0, lead)
    elif lead:
        names.insert(0, lead)
    return names
