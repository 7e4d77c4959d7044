"""Weighted results: logit intervals for percentages (inside 0–100% for small counts), symmetric
intervals for means, and the page that says so."""

from __future__ import annotations

import pytest
from django.urls import reverse
from scipy import special

from kexie.surveys import services
from kexie.surveys.results import add_weighted, question_results
from tests.surveys.conftest import answer, xlsx

pytestmark = pytest.mark.django_db

Z = 1.959963984540054


@pytest.fixture
def weighted(published, owner):
    """20 responses; one of them heard of the survey at a meeting (channel 3): a small share."""
    for n in range(20):
        answer(
            published,
            {
                "sex": "1" if n % 2 else "2",
                "employed": "2",
                "channels": ["3"] if n == 0 else ["1"],
                "satisfaction": str(1 + n % 5),
            },
        )
    scheme = services.upload_margins(
        survey=published,
        file=xlsx([["variable", "category", "population"], ["sex", "男", 600], ["sex", "女", 400]]),
        name="人口",
        by=owner,
    )
    return services.run_weighting(scheme=scheme, by=owner)


def _by_code(results):
    return {r.question.code: r for r in results}


def test_small_proportion_has_logit_interval_inside_zero_one(published, weighted):
    results = question_results(published)
    add_weighted(results, weighted)

    meeting = _by_code(results)["channels"].options[2]
    p, se = meeting.weighted.value, meeting.weighted.se
    half = Z * se / (p * (1 - p))
    # The symmetric interval of this share would start below zero.
    assert (meeting.count, p - Z * se < 0) == (1, True)
    assert (meeting.weighted.ci_low, meeting.weighted.ci_high) == pytest.approx(
        (special.expit(special.logit(p) - half), special.expit(special.logit(p) + half)), rel=1e-9
    )
    assert 0 < meeting.weighted.ci_low < p < meeting.weighted.ci_high < 1
    assert 0 < meeting.fixed.ci_low < meeting.fixed.value < meeting.fixed.ci_high < 1


def test_mean_keeps_the_symmetric_interval(published, weighted):
    results = question_results(published)
    add_weighted(results, weighted)

    mean = _by_code(results)["satisfaction"].weighted_mean
    assert (mean.ci_low, mean.ci_high) == pytest.approx(
        (mean.value - Z * mean.se, mean.value + Z * mean.se), rel=1e-6
    )


def test_results_page_shows_logit_interval_and_says_so(login, owner, published, weighted):
    results = question_results(published)
    add_weighted(results, weighted)
    meeting = _by_code(results)["channels"].options[2].weighted

    body = login(owner).get(reverse("surveys:results", args=[published.pk])).content.decode()

    low, high = f"{meeting.ci_low * 100:.2f}", f"{meeting.ci_high * 100:.2f}"
    assert f"{low}–{high}" in body
    assert "-" not in low
    assert "The 95% confidence interval of a percentage is computed on the logit scale" in body
