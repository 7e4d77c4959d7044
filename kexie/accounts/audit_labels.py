"""Chinese names of this app's audited actions (kexie.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import audit_labels

audit_labels.register_many(
    {
        "accounts.login": _("Signed in"),
        "accounts.login_failed": _("Failed sign-in"),
        "accounts.logout": _("Signed out"),
        "accounts.2fa.verify": _("Passed the second factor"),
        "accounts.2fa.verify_failed": _("Failed the second factor"),
        "accounts.2fa.enrol": _("Turned on two-factor authentication"),
        "accounts.2fa.enrol_failed": _("Failed to turn on two-factor authentication"),
        "accounts.api_token.create": _("Created an API token"),
        "accounts.api_token.revoke": _("Revoked an API token"),
        "accounts.membership.add": _("Added a role"),
        "accounts.membership.remove": _("Removed a role"),
        "accounts.organization.create": _("Created an organization"),
        "accounts.organization.update": _("Changed an organization"),
        "accounts.user.create": _("Created a user"),
        "accounts.user.activate": _("Enabled a user"),
        "accounts.user.deactivate": _("Disabled a user"),
        "accounts.user.change_password": _("Changed own password"),
        "accounts.user.reset_password": _("Reset a user's password"),
        "accounts.user.unlock": _("Unlocked a user"),
        "accounts.user.reset_2fa": _("Reset a user's second factor"),
        "accounts.user.view_personal": _("Viewed personal data"),
        "accounts.user.register": _("Registered an account"),
        "accounts.password_reset.request": _("Asked for a password reset"),
        "accounts.password_reset.complete": _("Set a new password by e-mail link"),
        "core.audit.export": _("Exported the audit trail"),
        "core.audit.purge": _("Purged old audit events"),
        "core.audit.verify": _("Verified the audit chain"),
        "core.field_key.rotate": _("Rotated the field encryption key"),
        "core.notifications.preferences": _("Changed e-mail notification settings"),
    }
)
