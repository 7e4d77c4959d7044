"""Stored HTML injection (issue 10, finding 4): no |safe on data in any template, Django's
EmailValidator on imports and services, and the probe's payload rendered inert."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kexie.core.html import marked
from kexie.experts import services
from kexie.experts.models import Expert
from tests.experts.conftest import curator, expert, make_expert  # noqa: F401 - fixtures
from tests.experts.test_spreadsheets import refused, row, workbook

TEMPLATES = Path(__file__).resolve().parents[2] / "kexie" / "templates"
PAYLOAD = 'a@<meta http-equiv="refresh" content="0;url=https://evil.example">.cn'


def test_no_template_marks_data_safe():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|autoescape\s+off|\|\s*safeseq\b", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_import_refuses_the_payload_in_the_email_column(orgs, curator):  # noqa: F811
    assert refused(workbook(row(电子邮箱=PAYLOAD)), curator) == [(2, "电子邮箱")]
    assert refused(workbook(row(电子邮箱="x@y")), curator) == [(2, "电子邮箱")]
    assert not Expert.objects.filter(name="王强").exists()


def test_services_refuse_the_payload_too(curator, expert):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        services.update_expert(expert=expert, by=curator, email=PAYLOAD)
    assert "email" in exc.value.message_dict


def test_a_stored_payload_renders_as_text_on_the_curators_form(login, curator, expert):  # noqa: F811
    # A value that got in before the validator (an old import): the masked e-mail shown as a field hint.
    Expert.objects.filter(pk=expert.pk).update(email=PAYLOAD)
    page = login(curator).get(reverse("experts:edit", args=[expert.pk])).content.decode()
    assert "<meta http-equiv" not in page
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in page


def test_highlights_keep_only_mark():
    assert marked('<mark>专家</mark><meta http-equiv="refresh">') == (
        "<mark>专家</mark>&lt;meta http-equiv=&quot;refresh&quot;&gt;"
    )
    assert marked("<mark><script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
