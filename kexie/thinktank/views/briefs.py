"""《院士专家建议》: writing, editor review, sign-off, issuing, the formal document, feedback and tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.views import run_transition
from kexie.thinktank import forms, layout, queries, rules, services
from kexie.thinktank.enums import BriefState
from kexie.thinktank.views.common import form_page, require

PAGE_SIZE = 30
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def brief_list(request):
    require(rules.can_view_internal(request.user))
    briefs = queries.briefs_with_counts(queries.briefs_visible_to(request.user))
    state = request.GET.get("state", "")
    if state in BriefState.values:
        briefs = briefs.filter(state=state)
    page = Paginator(briefs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "thinktank/brief_list.html",
        {
            "page": page,
            "state": state,
            "states": BriefState.choices,
            "can_write": rules.can_write_brief(request.user),
        },
    )


@login_required
def brief_new(request):
    require(rules.can_write_brief(request.user))
    source = None
    initial = {"distribution": services.briefs.DEFAULT_DISTRIBUTION}
    if request.GET.get("result"):
        source = queries.access_result(request.user, request.GET["result"])
        initial.update(
            {
                "title": source.title,
                "authors": source.authors,
                "body": source.summary or source.full_text[:3000],
            }
        )
    form = forms.BriefForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.create_brief(by=request.user, result=source, **data),
        title=_("New brief"),
        success_message=_("The brief is saved as a draft."),
        success_url=lambda brief: reverse("thinktank:brief_detail", args=[brief.pk]),
        back_url=reverse("thinktank:brief_list"),
    )


@login_required
def brief_edit(request, pk: int):
    brief = queries.access_brief(request.user, pk)
    require(rules.can_write_brief(request.user) and brief.state == BriefState.DRAFT)
    form = forms.BriefForm(
        request.POST or None,
        initial={
            "title": brief.title,
            "authors": brief.authors,
            "summary": brief.summary,
            "body": brief.body,
            "distribution": brief.distribution,
        },
    )
    back = reverse("thinktank:brief_detail", args=[brief.pk])
    return form_page(
        request,
        form,
        lambda data: services.update_brief(brief=brief, by=request.user, **data),
        title=_("Edit brief"),
        success_message=_("The brief is saved."),
        success_url=back,
        back_url=back,
    )


@login_required
def brief_detail(request, pk: int):
    brief = queries.access_brief(request.user, pk)
    user = request.user
    feedback_form = forms.FeedbackForm() if rules.can_record_feedback(user, brief) else None
    return render(
        request,
        "thinktank/brief_detail.html",
        {
            "brief": brief,
            "paragraphs": layout.brief_paragraphs(brief),
            "feedback": brief.feedback.prefetch_related("tasks"),
            "tasks": queries.brief_tasks(brief),
            "can_write": rules.can_write_brief(user) and brief.state == BriefState.DRAFT,
            "can_review": rules.can_review_brief(user, brief),
            "can_sign": rules.can_sign_off(user, brief),
            "can_issue": rules.can_issue(user, brief),
            "can_recommend": rules.can_manage(user)
            and brief.state == BriefState.ISSUED
            and brief.recommended_to_cast_on is None,
            "feedback_form": feedback_form,
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def brief_action(request, pk: int, action: str):
    brief = queries.access_brief(request.user, pk)
    user = request.user
    reason = request.POST.get("reason", "")
    actions = {
        "submit": (
            lambda: services.submit_brief(brief=brief, by=user),
            _("The brief is sent to the editor."),
        ),
        "approve": (
            lambda: services.review_brief(brief=brief, by=user, approve=True),
            _("The brief is passed on for the leader's sign-off."),
        ),
        "return": (
            lambda: services.review_brief(brief=brief, by=user, approve=False, reason=reason),
            _("The brief is returned to its writers."),
        ),
        "sign": (lambda: services.sign_off_brief(brief=brief, by=user), _("The brief is signed off.")),
        "decline": (
            lambda: services.sign_off_brief(brief=brief, by=user, approve=False, reason=reason),
            _("The brief is returned to its writers."),
        ),
        "issue": (lambda: services.issue_brief(brief=brief, by=user), _("The brief is issued.")),
        "recommend": (
            lambda: services.recommend_brief_to_cast(brief=brief, by=user, note=reason),
            _("The recommendation to CAST is recorded."),
        ),
    }
    if action not in actions:
        require(False)
    run, message = actions[action]
    return run_transition(
        request, run, success_message=message, redirect_to=reverse("thinktank:brief_detail", args=[brief.pk])
    )


@login_required
def brief_feedback(request, pk: int):
    brief = queries.access_brief(request.user, pk)
    require(rules.can_record_feedback(request.user, brief))
    form = forms.FeedbackForm(request.POST or None)
    back = reverse("thinktank:brief_detail", args=[brief.pk])
    return form_page(
        request,
        form,
        lambda data: services.record_feedback(
            brief=brief, by=request.user, **{**data, "task_departments": list(data["task_departments"])}
        ),
        title=_("Record feedback"),
        success_message=_("The feedback is recorded."),
        success_url=back,
        back_url=back,
    )


@login_required
def brief_docx(request, pk: int):
    brief = queries.access_brief(request.user, pk)
    response = HttpResponse(layout.brief_docx(brief), content_type=DOCX)
    name = f"brief-{brief.year}-{brief.number}.docx" if brief.number else f"brief-draft-{brief.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def brief_pdf(request, pk: int):
    brief = queries.access_brief(request.user, pk)
    response = HttpResponse(layout.brief_pdf(brief), content_type="application/pdf")
    name = f"brief-{brief.year}-{brief.number}.pdf" if brief.number else f"brief-draft-{brief.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
