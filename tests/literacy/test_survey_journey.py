"""The annual literacy survey in a real browser (Playwright, Debian chromium): a citizen answers it on a
phone through the survey's public link; staff compute the weighted rate and see it on measure 9's page."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.literacy import services
from kexie.literacy.enums import EstimateSource
from kexie.literacy.models import LiteracyEstimate
from kexie.policy.models import Measure
from kexie.policy.services import bind_target_indicators
from kexie.surveys import services as surveys
from kexie.surveys.models import Response
from tests.literacy.conftest import JIANGBEI_CODE, YEAR, YUZHONG_CODE, respond, upload_districts
from tests.policy.test_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_answers_literacy_survey_on_phone(phone_page, live_server, literacy_survey):
    page = phone_page
    survey = literacy_survey.survey
    questions = {q.code: q for q in surveys.ordered_questions(survey)}
    page.goto(f"{live_server.url}/surveys/s/{survey.public_token}/")
    page.click("[data-testid=start]")
    page.wait_for_url("**/surveys/r/**")
    page.select_option(f"select[name=q{questions['district'].pk}]", YUZHONG_CODE)  # 38 districts: a drop-down
    for code, value in (("sex", "2"), ("age", "1"), ("urban", "1")):
        page.check(f"input[name=q{questions[code].pk}][value='{value}']", force=True)
    page.click("[data-testid=next]")
    page.wait_for_load_state()
    # The items page: the question's text and options, never which option is right.
    items = list(literacy_survey.assessment.items.select_related("question").order_by("position"))
    first = items[0].question
    assert first.text in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for item in items:
        page.check(f"input[name=q{questions[services.item_code(item.position)].pk}][value='1']", force=True)
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=done]")
    response = Response.objects.get(survey=survey)
    assert response.submitted_at is not None
    # Every key of the demo bank is the first option: a full score, in the highest tier.
    (result,) = services.score_responses(literacy_survey, surveys.responses_frame(survey))
    assert (result.score, result.literate) == (100, True)


def test_staff_compute_rate_and_see_it_on_measure_9(
    page, live_server, literacy_survey, editor, notice, settings
):
    settings.STAFF_SECOND_FACTOR = "required"
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    for correct in (4, 3, 2, 0):
        respond(literacy_survey, district=YUZHONG_CODE, correct=correct)
    for correct in (3, 2, 1, 0, 0):
        respond(literacy_survey, district=JIANGBEI_CODE, correct=correct)
    upload_districts(literacy_survey, editor, {YUZHONG_CODE: 600_000, JIANGBEI_CODE: 400_000})
    bind_target_indicators()
    base = live_server.url

    sign_in(page, base, editor)
    page.goto(f"{base}/literacy/surveys/")
    page.get_by_role("link", name=str(YEAR)).click()
    assert page.locator("[data-testid=no-estimate]").is_visible()
    page.click("[data-testid=compute-rate]")
    page.wait_for_load_state()
    assert "38.00%" in page.locator(".alert-success").inner_text()
    assert "38.00%" in page.locator("[data-testid=city-rate]").inner_text()
    assert page.locator("[data-testid=row-district]").count() == 2
    assert page.locator("[data-testid=small-n]").count() == 2
    # The chart is drawn by the page's script (no inline script): ECharts puts a canvas in it.
    page.wait_for_selector("[data-kx-survey-chart][data-kind=years] canvas")
    page.wait_for_selector("[data-kx-survey-chart][data-kind=districts] canvas")
    assert LiteracyEstimate.objects.filter(year=YEAR, source=EstimateSource.SURVEY).count() == 3

    measure = Measure.objects.get(notice=notice, number=9)
    page.goto(f"{base}/supervision/measures/{measure.pk}/")
    target = page.locator("[data-testid=target][data-source=computed]")
    assert target.locator("[data-testid=latest-value]").inner_text().startswith("38")
    assert "2025" in target.inner_text()
