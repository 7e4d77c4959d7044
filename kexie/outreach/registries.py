"""The plain registries of outreach, declared once: model, form fields, list columns, who may see and
who may change a record. One list page and one form page serve them all (views/registry.py); every
write goes through ``services.save_record`` with the spec's rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.core.forms import StyledFormMixin
from kexie.core.reference import district_choices
from kexie.outreach import rules
from kexie.outreach.enums import TOURING_KINDS
from kexie.outreach.models import (
    BulletinTemplate,
    Campaign,
    Course,
    CourseClass,
    Courtyard,
    CourtyardOutcome,
    Exhibition,
    FarmerAssociation,
    ServiceLog,
    StarLevel,
    Teacher,
    TeachingPoint,
    Team,
    TourStop,
    Venue,
)

BLANK = [("", "---------")]


def _district_of(obj) -> str:
    for path in ("district", "teaching_point.district", "courtyard.district", "venue.district"):
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None) if value is not None else None
        if value:
            return value
    return ""


def by_district(user, obj) -> bool:
    return rules.can_manage_district_record(user, _district_of(obj))


def by_manager(user, obj) -> bool:
    return rules.can_manage_registry(user)


def by_venue(user, obj) -> bool:
    venue = obj if isinstance(obj, Venue) else getattr(obj, "venue", None)
    return venue is not None and rules.can_manage_venue(user, venue)


def by_venue_manager(user, obj) -> bool:
    return rules.is_manager(user)


def _scoped_by_district(queryset: QuerySet, path: str = "district"):
    def scoped(user) -> QuerySet:
        if rules.sees_all(user):
            return queryset.all()
        if rules.is_venue_staff(user) and queryset.model in (Exhibition, TourStop, Venue):
            return queryset.all()
        return queryset.filter(**{f"{path}__in": rules.district_codes(user)})

    return scoped


def _everything(queryset: QuerySet):
    def scoped(user) -> QuerySet:
        return queryset.all() if rules.can_view_registry(user) else queryset.none()

    return scoped


@dataclass(frozen=True)
class Registry:
    key: str
    model: type[Model]
    title: object
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    visible: Callable[[object], QuerySet]
    can_change: Callable[[object, Model], bool]
    can_create: Callable[[object], bool]
    section: str
    widgets: dict = field(default_factory=dict)
    public: bool = False
    detail_url: str = ""  # a URL name taking the pk, when the record has a page of its own

    def form_class(self, user):
        spec = self

        class Form(StyledFormMixin, forms.ModelForm):
            class Meta:
                model = spec.model
                fields = list(spec.fields)
                widgets = spec.widgets

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "district" in self.fields:
                    self.fields["district"] = forms.ChoiceField(
                        label=_("District"),
                        choices=BLANK + district_choices(),
                        required=not spec.model._meta.get_field("district").blank,
                    )
                    if not rules.sees_all(user):
                        own = rules.district_codes(user)
                        self.fields["district"].choices = (
                            BLANK + [c for c in district_choices() if c[0] in own]
                            if own
                            else BLANK + district_choices()
                        )
                for name in ("venue",):
                    if name in self.fields and not rules.is_manager(user):
                        self.fields[name].queryset = Venue.objects.filter(
                            organization_id__in=rules.venue_organization_ids(user)
                        )
                if "venue" in self.fields and spec.model is TourStop:
                    self.fields["venue"].queryset = self.fields["venue"].queryset.filter(
                        kind__in=TOURING_KINDS
                    )
                if "organization" in self.fields and not rules.is_manager(user):
                    self.fields["organization"].queryset = Organization.objects.filter(
                        pk__in=rules.staff_organization_ids(user)
                    )
                for name in ("teaching_point", "courtyard"):
                    if name in self.fields and not rules.sees_all(user):
                        self.fields[name].queryset = self.fields[name].queryset.filter(
                            district__in=rules.district_codes(user)
                        )

            def clean_residents(self):
                value = self.cleaned_data.get("residents") or []
                if not isinstance(value, list) or not all(
                    isinstance(r, dict) and r.get("name") and r.get("degree") in ("doctor", "master")
                    for r in value
                ):
                    raise forms.ValidationError(
                        _('Give a list like [{"name": "张三", "degree": "doctor"}] (or "master").')
                    )
                return value

        return Form


DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


def _staff(user) -> bool:
    return rules.can_manage_registry(user)


def _district_staff(user) -> bool:
    return rules.is_manager(user) or rules.is_district_staff(user)


def _venue_staff(user) -> bool:
    return rules.is_manager(user) or rules.is_venue_staff(user)


REGISTRIES: dict[str, Registry] = {
    r.key: r
    for r in [
        Registry(
            "campaigns",
            Campaign,
            _("Campaigns"),
            ("name", "kind", "year", "starts_on", "ends_on", "description"),
            ("name", "kind", "year", "starts_on", "ends_on"),
            _everything(Campaign.objects.all()),
            by_manager,
            _staff,
            "activities",
            {"starts_on": DATE, "ends_on": DATE, "description": TEXT},
        ),
        Registry(
            "teams",
            Team,
            _("Volunteer teams"),
            ("name", "kind", "district", "organization", "description"),
            ("name", "kind", "district", "organization"),
            _everything(Team.objects.select_related("organization")),
            by_district,
            _district_staff,
            "volunteers",
            {"description": TEXT},
            detail_url="outreach:team_detail",
        ),
        Registry(
            "stars",
            StarLevel,
            _("Star levels"),
            ("stars", "name", "min_hours"),
            ("stars", "name", "min_hours"),
            _everything(StarLevel.objects.all()),
            by_manager,
            _staff,
            "volunteers",
        ),
        Registry(
            "points",
            TeachingPoint,
            _("Teaching points"),
            ("name", "district", "address", "host", "opened_on"),
            ("name", "district", "address", "host"),
            _scoped_by_district(TeachingPoint.objects.all()),
            by_district,
            _district_staff,
            "university",
            {"opened_on": DATE},
        ),
        Registry(
            "courses",
            Course,
            _("Courses"),
            ("title", "subject", "lessons", "description"),
            ("title", "subject", "lessons"),
            _everything(Course.objects.all()),
            by_manager,
            _staff,
            "university",
            {"description": TEXT},
        ),
        Registry(
            "teachers",
            Teacher,
            _("Teachers"),
            ("name", "title", "affiliation", "mobile", "district"),
            ("name", "title", "affiliation", "district"),
            _everything(Teacher.objects.all()),
            by_manager,
            _district_staff,
            "university",
        ),
        Registry(
            "classes",
            CourseClass,
            _("Classes"),
            ("teaching_point", "course", "teacher", "year", "starts_on", "capacity"),
            ("course", "teaching_point", "teacher", "year", "capacity"),
            _scoped_by_district(
                CourseClass.objects.select_related("course", "teaching_point", "teacher"),
                "teaching_point__district",
            ),
            by_district,
            _district_staff,
            "university",
            {"starts_on": DATE},
            detail_url="outreach:class_detail",
        ),
        Registry(
            "venues",
            Venue,
            _("Venues"),
            (
                "name",
                "kind",
                "district",
                "organization",
                "address",
                "latitude",
                "longitude",
                "floor_area",
                "opened_on",
                "is_active",
            ),
            ("name", "kind", "district", "organization"),
            _everything(Venue.objects.select_related("organization")),
            by_venue_manager,
            _staff,
            "venues",
            {"opened_on": DATE},
            public=True,
            detail_url="outreach:venue_detail",
        ),
        Registry(
            "exhibitions",
            Exhibition,
            _("Exhibitions"),
            ("venue", "title", "kind", "starts_on", "ends_on", "description"),
            ("title", "venue", "kind", "starts_on", "ends_on"),
            _everything(Exhibition.objects.select_related("venue")),
            by_venue,
            _venue_staff,
            "venues",
            {"starts_on": DATE, "ends_on": DATE, "description": TEXT},
            public=True,
        ),
        Registry(
            "stops",
            TourStop,
            _("Tour stops"),
            ("venue", "district", "place", "starts_on", "ends_on", "visitors", "state"),
            ("venue", "district", "place", "starts_on", "ends_on", "visitors", "state"),
            _everything(TourStop.objects.select_related("venue")),
            by_venue,
            _venue_staff,
            "venues",
            {"starts_on": DATE, "ends_on": DATE},
            public=True,
        ),
        Registry(
            "templates",
            BulletinTemplate,
            _("Bulletin templates"),
            ("title", "topic", "content"),
            ("title", "topic"),
            _everything(BulletinTemplate.objects.all()),
            by_manager,
            _staff,
            "bulletins",
            {"content": forms.Textarea(attrs={"rows": 8})},
        ),
        Registry(
            "courtyards",
            Courtyard,
            _("Science courtyards"),
            (
                "name",
                "district",
                "town",
                "host",
                "university",
                "industry",
                "residents",
                "established_on",
                "latitude",
                "longitude",
            ),
            ("name", "district", "host", "university", "industry"),
            _everything(Courtyard.objects.all()),
            by_district,
            _district_staff,
            "rural",
            {"established_on": DATE},
            public=True,
            detail_url="outreach:courtyard_detail",
        ),
        Registry(
            "logs",
            ServiceLog,
            _("Service logs"),
            ("courtyard", "held_on", "kind", "title", "technologies", "farmers_reached", "note"),
            ("held_on", "courtyard", "kind", "title", "farmers_reached"),
            _everything(ServiceLog.objects.select_related("courtyard")),
            by_district,
            _district_staff,
            "rural",
            {"held_on": DATE, "note": TEXT},
        ),
        Registry(
            "outcomes",
            CourtyardOutcome,
            _("Courtyard outcomes"),
            ("courtyard", "year", "title", "description", "income_increase"),
            ("year", "courtyard", "title", "income_increase"),
            _everything(CourtyardOutcome.objects.select_related("courtyard")),
            by_district,
            _district_staff,
            "rural",
            {"description": TEXT},
        ),
        Registry(
            "associations",
            FarmerAssociation,
            _("Rural technology associations"),
            ("name", "district", "level", "industry", "members", "chair", "founded_on"),
            ("name", "district", "level", "industry", "members"),
            _everything(FarmerAssociation.objects.all()),
            by_district,
            _district_staff,
            "rural",
            {"founded_on": DATE},
            public=True,
        ),
    ]
}


def cell(obj, name: str):
    """The display value of a column."""
    if name == "district":
        return getattr(obj, "district_name", "") or ""
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(obj, name)
    return "" if value is None else value
