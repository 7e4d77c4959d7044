"""The "Organization in the platform" choices: where an expert can work, enterprises last, no departments."""

from __future__ import annotations

import pytest

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.services import create_organization
from kexie.experts.forms import AffiliationForm, StaffExpertForm, initial_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(orgs):
    return {
        "university": create_organization(name="重庆大学", kind=OrganizationKind.UNIVERSITY),
        "institute": create_organization(name="重庆市农业科学院", kind=OrganizationKind.INSTITUTE),
        "enterprise": create_organization(name="重庆渝创智能装备有限公司", kind=OrganizationKind.ENTERPRISE),
    }


def test_platform_organizations_offer_employers_universities_first_enterprises_last(units, orgs):
    choices = list(AffiliationForm().fields["organization"].queryset)

    assert choices[:2] == [units["university"], units["institute"]]
    assert choices[-1] == units["enterprise"]
    assert {o.kind for o in choices} == {
        OrganizationKind.UNIVERSITY,
        OrganizationKind.INSTITUTE,
        OrganizationKind.AFFILIATED_UNIT,
        OrganizationKind.SOCIETY,
        OrganizationKind.ASSOCIATION,
        OrganizationKind.DISTRICT_ASSOCIATION,
        OrganizationKind.DEVELOPMENT_ZONE,
        OrganizationKind.ENTERPRISE,
    }
    assert orgs["科学技术创新部"] not in choices


def test_staff_form_keeps_an_organization_of_another_kind_already_linked(orgs, make_expert):
    department = orgs["科学技术创新部"]
    expert = make_expert("王强", organization=department)

    form = StaffExpertForm(initial=initial_of(expert))
    other = StaffExpertForm()

    assert department in form.fields["organization"].queryset
    assert department not in other.fields["organization"].queryset
