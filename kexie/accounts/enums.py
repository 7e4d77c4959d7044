from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ASSOCIATION = "association", _("association")
    DEPARTMENT = "department", _("department")
    AFFILIATED_UNIT = "affiliated_unit", _("affiliated unit")
    DISTRICT_ASSOCIATION = "district_association", _("district association")
    DEVELOPMENT_ZONE = "development_zone", _("development zone")
    SOCIETY = "society", _("society")
    ENTERPRISE = "enterprise", _("enterprise")
    UNIVERSITY = "university", _("university")
    INSTITUTE = "institute", _("research institute")
    DECISION_DEPARTMENT = "decision_department", _("decision department")
    OTHER = "other", _("other organization")


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    LEADER = "leader", _("leader")
    DEPARTMENT_HEAD = "department_head", _("department head")
    DEPARTMENT_STAFF = "department_staff", _("department staff")
    DISTRICT_STAFF = "district_staff", _("district association staff")
    SOCIETY_STAFF = "society_staff", _("society staff")
    AUDITOR = "auditor", _("auditor")
    SUPERVISOR = "supervisor", _("supervision officer")
    EXPERT = "expert", _("expert")
    ENTERPRISE = "enterprise", _("enterprise user")
    DECISION_MAKER = "decision_maker", _("decision department user")
    REVIEWER = "reviewer", _("reviewer")
    VOLUNTEER = "volunteer", _("volunteer")


# Roles that work inside the association's systems: they need a second factor when it is required.
STAFF_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.LEADER,
        Role.DEPARTMENT_HEAD,
        Role.DEPARTMENT_STAFF,
        Role.DISTRICT_STAFF,
        Role.SOCIETY_STAFF,
        Role.AUDITOR,
        Role.SUPERVISOR,
    }
)

# Roles that see every organization (still read-only unless another rule grants a write).
GLOBAL_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.AUDITOR, Role.SUPERVISOR})
