"""The kind's ``prior_winners`` hook feeds the eligibility rule ``not_earlier_winner``: an app's
recorded winners are refused with a Chinese message, other people pass."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kexie.calls import kinds, services
from kexie.calls.models import Call

from .conftest import ANSWERS

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def test_winners_reported_by_the_kind_are_refused(call, dossier, nominee, make_user):
    Call.objects.filter(pk=call.pk).update(
        eligibility=[*call.eligibility, {"rule": "not_earlier_winner", "series": "示范奖"}]
    )
    asked = []
    original = kinds.get("award")
    winners = [{"name": "林晓雨", "birth_date": "1988-03-02", "label": "2024年示范奖"}]
    kinds.register(
        "award",
        label="award",
        app_label="test",
        needs_code=True,
        prior_winners=lambda c, series: asked.append(series) or winners,
        replace=True,
    )
    try:
        services.attach_file(
            dossier, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=nominee
        )
        # Another test of the same worker may have left English active: the message is checked in Chinese.
        with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
            services.submit(dossier, by=nominee)
        assert "林晓雨 已获“2024年示范奖”，不得重复推荐" in " ".join(exc.value.messages)
        assert asked == ["示范奖"]
        # Same name, another date of birth: another person.
        services.save_draft(dossier, by=nominee, data={**ANSWERS, "birth_date": "1990-01-01"})
        assert services.submit(dossier, by=nominee).state == "submitted"
        # Matched by account when the dossier names the same person (or nobody).
        winners[:] = [{"name": "林晓雨", "user_id": nominee.pk, "label": "2023年示范奖"}]
        from kexie.calls import eligibility

        call.refresh_from_db()
        assert eligibility.check(call, {**ANSWERS}, applicant=nominee, person_name="林晓雨")
        assert not eligibility.check(call, {**ANSWERS, "name": "周可"}, applicant=nominee, person_name="周可")
    finally:
        kinds._registry["award"] = original
