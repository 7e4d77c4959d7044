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


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
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
        Role.SECURITY_ADMIN,
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
GLOBAL_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.LEADER, Role.AUDITOR, Role.SUPERVISOR})

# 三员分立 (等保 2.0 level 3): the system administrator manages accounts, the security administrator
# grants these three roles and acts on the accounts that hold them, the auditor reads the trail.
# Nobody holds two of them, and nobody grants a role to themselves.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})

# Global roles that read business data (demands, surveys, the ledger): not the two administrators,
# who manage accounts and security settings, not business data.
ACCOUNT_ADMIN_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN})
BUSINESS_GLOBAL_ROLES = GLOBAL_ROLES - ACCOUNT_ADMIN_ROLES
# Staff roles that work with business data (the expert library, statistics).
BUSINESS_STAFF_ROLES = STAFF_ROLES - ACCOUNT_ADMIN_ROLES
