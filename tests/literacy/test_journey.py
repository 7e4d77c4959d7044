"""A citizen registers and takes the daily contest on a phone-sized window (Playwright, Debian chromium)."""

from __future__ import annotations

import pytest

from kexie.literacy.models import ContestAttempt, ContestBest, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_takes_contest_on_phone(phone_page, live_server, contest, orgs):
    page = phone_page
    base = live_server.url
    page.goto(f"{base}/literacy/contests/{contest.pk}/")
    page.click("main a.btn-primary")  # register to take part
    page.fill("input[name=username]", "xiaoyu")
    page.fill("input[name=full_name]", "张小渝")
    page.select_option("select[name=district]", label="渝中区科学技术协会")
    page.fill("input[name=password]", "Strong-Pass-2026")
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/literacy/contests/{contest.pk}/")
    page.click("[data-testid=start]")
    page.wait_for_url("**/play/")
    attempt = ContestAttempt.objects.get(user__username="xiaoyu")
    for position, qid in enumerate(attempt.question_ids):
        question_box = page.locator("[data-testid=question]")
        assert question_box.get_attribute("data-position") == str(position)
        assert int(page.locator("[data-testid=countdown]").inner_text()) <= 30
        # The page carries the question, never its key: answer it as a person would, by reading.
        question = Question.objects.get(pk=qid)
        assert question.text in question_box.inner_text()
        choice = question.answer[0] if position % 2 == 0 else (question.answer[0] + 1) % len(question.options)
        page.locator("[data-testid=option]").nth(choice).check()
        page.click("[data-testid=submit-answer]")
        page.wait_for_load_state()
    assert "60" in page.locator("[data-testid=result]").inner_text()
    assert page.locator("[data-testid=answer-row]").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    best = ContestBest.objects.get(user__username="xiaoyu")
    assert (best.best_score, best.district.name) == (60, "渝中区科学技术协会")
    page.goto(f"{base}/literacy/contests/{contest.pk}/")
    assert page.locator("[data-testid=done-today]").is_visible()
    assert "张小渝" in page.locator("[data-testid=leaderboard]").inner_text()
