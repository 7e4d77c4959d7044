"""Survey journeys in a real browser (Playwright driving Debian's chromium): a respondent answers on a
phone-sized window with an invitation code; staff build and publish a survey, upload margins, weight
and read the weighted results."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.surveys import services
from kexie.surveys.models import Response, Survey, WeightingRun
from tests.policy.test_journey import sign_in
from tests.surveys.conftest import answer, questions, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_respondent_answers_on_phone_with_code(phone_page, live_server, published, owner, orgs):
    code = (
        services.issue_invitations(
            survey=published, organization=orgs["渝中区科学技术协会"], quota=1, by=owner
        )
        .invitations.get()
        .code
    )
    q = questions(published)
    page = phone_page
    page.goto(f"{live_server.url}/surveys/code/")
    page.fill("input[name=code]", code.lower())
    page.click("[data-testid=code-submit]")
    page.wait_for_url("**/surveys/r/**")
    # Required answer missing: the page says which question.
    page.check(f"input[name=q{q['sex'].pk}][value='2']", force=True)
    page.click("[data-testid=next]")
    assert page.locator("[data-testid=answer-errors]").is_visible()
    assert page.locator("#question-employed .alert-danger").count() == 1
    # Save, leave, come back with the code: the answer is still there.
    page.check(f"input[name=q{q['employed'].pk}][value='1']", force=True)
    page.click("[data-testid=save]")
    # The printed link fills the code in; nothing starts until the button (issue 10: no GET writes).
    page.goto(f"{live_server.url}/surveys/code/?code={code}")
    page.click("[data-testid=code-submit]")
    page.wait_for_url("**/surveys/r/**")
    assert page.locator(f"input[name=q{q['employed'].pk}][value='1']").is_checked()
    page.click("[data-testid=next]")
    # Page 2: hours is shown because employed = 1 (skip logic); large touch targets fit the phone.
    assert page.locator("#question-hours").is_visible()
    page.fill(f"input[name=q{q['hours'].pk}]", "42")
    page.check(f"input[name=q{q['channels'].pk}][value='1']", force=True)
    page.check(f"input[name=q{q['channels'].pk}][value='3']", force=True)
    page.click(f"label[for=q{q['satisfaction'].pk}-4]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=done]")
    response = Response.objects.get(invitation__code=code)
    assert response.submitted_at is not None
    assert services.saved_answers(response) == {
        q["sex"].pk: "2",
        q["employed"].pk: "1",
        q["hours"].pk: 42,
        q["channels"].pk: ["1", "3"],
        q["satisfaction"].pk: 4,
    }
    # The code cannot be used again.
    page.goto(f"{live_server.url}/surveys/code/?code={code}")
    page.click("[data-testid=code-submit]")
    assert page.locator(".invalid-feedback").count() == 1
    assert Response.objects.filter(invitation__code=code).count() == 1


def test_staff_build_publish_and_read_weighted_results(page, live_server, make_user, orgs, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    staff = make_user("zhanlue", role=Role.DEPARTMENT_STAFF, org_name="战略发展部", full_name="陈立")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    base = live_server.url
    sign_in(page, base, staff)

    page.goto(f"{base}/surveys/new/")
    page.fill("input[name=title]", "科技工作者快速调查")
    page.select_option("select[name=organization]", str(orgs["战略发展部"].pk))
    page.click("main button[type=submit]")
    page.wait_for_url("**/surveys/*/")
    survey = Survey.objects.get(title="科技工作者快速调查")
    page.fill("input[name=title]", "基本情况")
    page.click("form[action$='/sections/new/'] button[type=submit]")
    page.wait_for_selector("[data-testid=section]")

    page.goto(f"{base}/surveys/{survey.pk}/questions/new/")
    page.fill("input[name=text]", "您的性别")
    page.fill("input[name=code]", "sex")
    page.select_option("select[name=kind]", "single")
    page.fill("textarea[name=options]", "1=男\n2=女")
    page.click("button[name=another]")
    page.wait_for_url("**/questions/new/?section=*")
    page.fill("input[name=text]", "是否承担科研项目")
    page.fill("input[name=code]", "project")
    page.select_option("select[name=kind]", "single")
    page.fill("textarea[name=options]", "是\n否")
    page.click("button[name=save]")
    page.wait_for_url(f"**/surveys/{survey.pk}/")
    assert page.locator("[data-testid=question]").count() == 2
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=survey-state]")
    survey.refresh_from_db()
    assert survey.state == "published"

    for sex, project in [("1", "1"), ("1", "2"), ("1", "1"), ("2", "2")]:
        answer(survey, {"sex": sex, "project": project})

    page.goto(f"{base}/surveys/{survey.pk}/weighting/")
    margins = xlsx([["variable", "category", "population"], ["sex", "男", 500], ["sex", "女", 500]])
    page.set_input_files(
        "input[name=file]",
        {"name": "margins.xlsx", "mimeType": "application/octet-stream", "buffer": margins.getvalue()},
    )
    page.click("[data-testid=margins-form] button[type=submit]")
    page.wait_for_selector("[data-testid=run-weighting]")
    page.click("[data-testid=run-weighting]")
    page.wait_for_selector("[data-testid=run-row]")
    assert WeightingRun.objects.filter(scheme__survey=survey).count() == 1

    page.goto(f"{base}/surveys/{survey.pk}/results/")
    # project = 是: men 2/3 weigh 500, women 0/1 → (500·2/3) / 1000 = 33.33%
    project = page.locator("[data-testid=result][data-code=project] [data-testid=option-row]").first
    assert project.locator("[data-testid=count]").inner_text() == "2"
    assert project.locator("[data-testid=weighted]").inner_text() == "33.33"
    assert page.locator("[data-testid=result][data-code=project] canvas").count() == 1
