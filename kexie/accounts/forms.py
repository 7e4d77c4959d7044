from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.accounts.enums import Role, TokenScope
from kexie.accounts.models import Organization
from kexie.core import audit_labels
from kexie.core.forms import StyledFormMixin
from kexie.core.validators import validate_mobile


class LoginForm(StyledFormMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The verification code is made of digits."))
        return token


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is not correct."))
        return value

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ."))
        elif first:
            if first == data.get("old_password"):
                self.add_error("new_password1", _("The new password must differ from the current one."))
            else:
                try:
                    validate_password(first, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password1", exc)
        return data


class UserCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    email = forms.EmailField(label=_("E-mail"), required=False)
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=11, required=False, validators=[validate_mobile]
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class MembershipForm(StyledFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=60)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
    scope = forms.ChoiceField(
        label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ, required=False
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or TokenScope.READ


class AuditFilterForm(StyledFormMixin, forms.Form):
    # A Select of the labelled actions; any code prefix is still accepted (``?action=accounts.user``).
    action = forms.CharField(label=_("Action"), required=False, max_length=100, widget=forms.Select)
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": _("Name or user name")}),
    )
    success = forms.ChoiceField(
        label=pgettext_lazy("audit outcome", "Result"),
        required=False,
        choices=[("", _("All")), ("yes", _("Succeeded")), ("no", _("Failed"))],
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.choices = [("", _("All actions")), *audit_labels.choices()]
