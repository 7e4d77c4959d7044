"""Pages of the literacy module: thin — auth, a rules predicate, a form, a service, a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.core.masking import mask_name
from kexie.core.views import run_transition, submit_form
from kexie.literacy import queries, rules, services
from kexie.literacy.enums import EstimateSource, PublishState, ReviewState
from kexie.literacy.forms import (
    AssessmentForm,
    ChapterForm,
    ContestForm,
    EstimateForm,
    ImportForm,
    PlannerForm,
    ProfileForm,
    QuestionFilterForm,
    QuestionForm,
    RegisterForm,
    ReviewForm,
)
from kexie.literacy.models import Assessment, Chapter, Contest, Contestant, LiteracyEstimate, Question
from kexie.surveys.stats import WeightingError, allocate, required_sample_sizes

TARGET_RATE = 15  # measure 9: more than 15% by 2025


def _editor(request) -> None:
    if not rules.is_literacy_editor(request.user):
        raise PermissionDenied


# --- public: home, reader, registration -----------------------------------------------------------------


def home_view(request):
    today = timezone.localdate()
    return render(
        request,
        "literacy/home.html",
        {
            "chapters": queries.published_chapters()[:6],
            "contests": queries.running_contests(on=today),
            "assessments": queries.open_assessments()[:5],
            "is_editor": rules.is_literacy_editor(request.user),
            "series": queries.city_series(),
        },
    )


def chapter_list_view(request):
    chapters = (
        Chapter.objects.all() if rules.is_literacy_editor(request.user) else queries.published_chapters()
    )
    return render(
        request,
        "literacy/chapter_list.html",
        {"chapters": chapters, "is_editor": rules.is_literacy_editor(request.user)},
    )


def chapter_detail_view(request, pk: int):
    chapter = get_object_or_404(Chapter, pk=pk)
    if not rules.can_view_chapter(request.user, chapter):
        raise PermissionDenied
    if chapter.state == PublishState.PUBLISHED:
        district = services.district_of(request.user) if request.user.is_authenticated else None
        services.record_reader_visit(chapter=chapter, district=district)
    questions = chapter.questions.filter(state=ReviewState.REVIEWED).select_related("dimension")
    return render(
        request,
        "literacy/chapter_detail.html",
        {"chapter": chapter, "questions": questions, "is_editor": rules.is_literacy_editor(request.user)},
    )


def register_view(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_citizen(
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                district=data["district"],
                organization=data["organization"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. You can take part in the contest now."))
            return redirect(request.GET.get("next") or "literacy:home")
    return render(request, "literacy/register.html", {"form": form})


@login_required
def profile_view(request):
    contestant = Contestant.objects.filter(user=request.user).first()
    initial = (
        {"district": contestant.district_id, "organization": contestant.organization_id}
        if contestant
        else None
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_contestant_profile(
                user=request.user,
                district=form.cleaned_data["district"],
                organization=form.cleaned_data["organization"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your district is saved."))
            return redirect(request.GET.get("next") or "literacy:home")
    return render(request, "literacy/profile.html", {"form": form})


# --- shared shapes of the staff pages -------------------------------------------------------------------


def _form_page(request, form, save, *, saved: str, detail: str, title: str):
    """A staff form on literacy/form.html: a valid POST goes to ``save(cleaned_data)`` (a service call
    returning the object); the service's errors land on the form's fields, success opens ``detail``."""
    return submit_form(
        request,
        form,
        save,
        success_message=saved,
        success_url=lambda saved_object: reverse(detail, kwargs={"pk": saved_object.pk}),
        render_form=lambda form: render(request, "literacy/form.html", {"form": form, "title": title}),
    )


def _publish(request, target, publish, *, published: str, detail: str):
    """A publish button: ``publish()`` is the service call; a refusal is shown, not raised."""
    return run_transition(
        request, publish, success_message=published, redirect_to=reverse(detail, kwargs={"pk": target.pk})
    )


# --- contest --------------------------------------------------------------------------------------------


def contest_detail_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    if contest.state != PublishState.PUBLISHED and not rules.can_manage_contests(request.user):
        raise PermissionDenied
    attempt = (
        services.todays_attempt(contest=contest, user=request.user) if request.user.is_authenticated else None
    )
    today = timezone.localdate()
    # The board is public: others see a contestant's surname only, staff see full names.
    show_names = rules.can_view_statistics(request.user)
    return render(
        request,
        "literacy/contest_detail.html",
        {
            "contest": contest,
            "attempt": attempt,
            "running": contest.starts_on <= today <= contest.ends_on
            and contest.state == PublishState.PUBLISHED,
            "has_profile": request.user.is_authenticated
            and Contestant.objects.filter(user=request.user).exists(),
            "leaders": [
                {
                    "name": best.user.display_name
                    if show_names or best.user_id == request.user.pk
                    else mask_name(best.user.display_name),
                    "district": best.district.display_name,
                    "best_score": best.best_score,
                    "mine": best.user_id == request.user.pk,
                }
                for best in queries.leaderboard(contest)
            ],
            "districts": queries.district_leaderboard(contest)[:15],
            "organizations": queries.organization_leaderboard(contest)[:15],
            "min_ranked": queries.MIN_RANKED_PEOPLE,
            "can_manage": rules.can_manage_contests(request.user),
        },
    )


@login_required
@require_POST
def contest_start_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    try:
        services.start_round(contest=contest, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("literacy:contest_detail", pk=contest.pk)
    return redirect("literacy:contest_play", pk=contest.pk)


@login_required
def contest_play_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    attempt = services.todays_attempt(contest=contest, user=request.user)
    if attempt is None:
        return redirect("literacy:contest_detail", pk=contest.pk)
    if request.method == "POST":
        try:
            position = int(request.POST.get("position", "-1"))
            choice = [int(c) for c in request.POST.getlist("choice")]
            services.answer_question(attempt=attempt, position=position, choice=choice, by=request.user)
        except (ValueError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("The answer could not be read.")])))
        return redirect("literacy:contest_play", pk=contest.pk)
    served = services.serve_question(attempt=attempt)
    if served is None:
        answers = attempt.answers.select_related("question").order_by("position")
        return render(
            request,
            "literacy/contest_result.html",
            {"contest": contest, "attempt": attempt, "answers": answers},
        )
    question = served.question
    deadline = served.served_at.timestamp() + contest.seconds_per_question
    return render(
        request,
        "literacy/contest_play.html",
        {
            "contest": contest,
            "attempt": attempt,
            "served": served,
            "question": question,
            "options": list(enumerate(question.options)),
            "number": served.position + 1,
            "total": len(attempt.question_ids),
            "timing": {
                "deadline": deadline,
                "now": timezone.now().timestamp(),
                "seconds": contest.seconds_per_question,
            },
        },
    )


@login_required
def contest_form_view(request, pk: int | None = None):
    _editor(request)
    contest = get_object_or_404(Contest, pk=pk) if pk else None
    initial = {f: getattr(contest, f) for f in ContestForm.base_fields} if contest else None
    return _form_page(
        request,
        ContestForm(request.POST or None, initial=initial),
        lambda data: services.save_contest(by=request.user, contest=contest, **data),
        saved=_("The contest is saved."),
        detail="literacy:contest_detail",
        title=_("Contest"),
    )


@login_required
@require_POST
def contest_publish_view(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    return _publish(
        request,
        contest,
        lambda: services.publish_contest(contest=contest, by=request.user),
        published=_("The contest is published."),
        detail="literacy:contest_detail",
    )


# --- assessment -----------------------------------------------------------------------------------------


@login_required
def assessment_view(request, pk: int):
    assessment = get_object_or_404(Assessment.objects.select_related("rule"), pk=pk)
    editor = rules.can_manage_assessments(request.user)
    if not editor and not rules.can_take_assessment(request.user, assessment):
        raise PermissionDenied
    attempt = assessment.attempts.filter(user=request.user).first()
    items = list(assessment.items.select_related("question", "question__dimension"))
    if request.method == "POST" and attempt is None:
        answers = {
            item.question_id: [int(c) for c in request.POST.getlist(f"q{item.question_id}") if c.isdigit()]
            for item in items
        }
        try:
            attempt = services.submit_assessment(assessment=assessment, user=request.user, answers=answers)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your paper is scored: %(score)s points.") % {"score": attempt.score})
            return redirect("literacy:assessment", pk=assessment.pk)
    rows = []
    for item in items:
        chosen = set(attempt.answers.get(str(item.question_id), [])) if attempt else set()
        rows.append(
            {
                "item": item,
                "options": list(enumerate(item.question.options)),
                "chosen": chosen,
                "correct": attempt is not None and chosen == set(item.question.answer),
            }
        )
    return render(
        request,
        "literacy/assessment.html",
        {"assessment": assessment, "attempt": attempt, "rows": rows, "can_manage": editor},
    )


@login_required
def assessment_form_view(request):
    _editor(request)
    form = AssessmentForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.create_assessment(
            by=request.user,
            title=data["title"],
            rule=data["rule"],
            item_count=data["item_count"],
            blueprint=form.blueprint(),
            difficulty_mix=form.difficulty_mix(),
            seed=data["seed"],
        ),
        saved=_("The paper is assembled."),
        detail="literacy:assessment",
        title=_("New assessment"),
    )


@login_required
@require_POST
def assessment_publish_view(request, pk: int):
    assessment = get_object_or_404(Assessment, pk=pk)
    return _publish(
        request,
        assessment,
        lambda: services.publish_assessment(assessment=assessment, by=request.user),
        published=_("The assessment is published."),
        detail="literacy:assessment",
    )


# --- question bank --------------------------------------------------------------------------------------


@login_required
def question_list_view(request):
    _editor(request)
    form = QuestionFilterForm(request.GET or None)
    questions = Question.objects.select_related("dimension", "created_by")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            questions = questions.filter(
                Q(text__icontains=data["q"]) | Q(topic__icontains=data["q"]) | Q(external_id=data["q"])
            )
        if data["dimension"]:
            questions = questions.filter(dimension=data["dimension"])
        if data["state"]:
            questions = questions.filter(state=data["state"])
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(
            services.export_questions(questions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="question-bank.xlsx"'
        return response
    page = Paginator(questions.order_by("dimension__sort_order", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "literacy/question_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
def question_form_view(request, pk: int | None = None):
    _editor(request)
    question = get_object_or_404(Question, pk=pk) if pk else None
    if question and not rules.can_edit_question(request.user, question):
        raise PermissionDenied
    form = QuestionForm(
        request.POST or None, initial=QuestionForm.initial_from(question) if question else None
    )

    def save(_data):
        if question:
            return services.update_question(question=question, by=request.user, **form.service_data())
        return services.create_question(by=request.user, **form.service_data())

    return _form_page(
        request,
        form,
        save,
        saved=_("The question is saved as a draft for review."),
        detail="literacy:question_detail",
        title=_("Question"),
    )


@login_required
def question_detail_view(request, pk: int):
    _editor(request)
    question = get_object_or_404(
        Question.objects.select_related("dimension", "created_by", "reviewed_by"), pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_question(
                question=question,
                by=request.user,
                approve=request.POST.get("decision") == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("literacy:question_detail", pk=question.pk)
    return render(
        request,
        "literacy/question_detail.html",
        {
            "question": question,
            "options": list(enumerate(question.options)),
            "form": form,
            "can_review": rules.can_review_question(request.user, question),
            "can_edit": rules.can_edit_question(request.user, question),
        },
    )


@login_required
def question_import_view(request):
    _editor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_questions(file=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s updated (drafts for review).")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("literacy:question_list")
    return render(request, "literacy/question_import.html", {"form": form, "errors": errors})


# --- reader management ----------------------------------------------------------------------------------


@login_required
def chapter_form_view(request, pk: int | None = None):
    _editor(request)
    chapter = get_object_or_404(Chapter, pk=pk) if pk else None
    initial = (
        {
            "number": chapter.number,
            "title": chapter.title,
            "summary": chapter.summary,
            "body": chapter.body,
            "questions": chapter.questions.all(),
        }
        if chapter
        else None
    )
    return _form_page(
        request,
        ChapterForm(request.POST or None, initial=initial),
        lambda data: services.save_chapter(by=request.user, chapter=chapter, **data),
        saved=_("The chapter is saved."),
        detail="literacy:chapter_detail",
        title=_("Chapter"),
    )


@login_required
@require_POST
def chapter_publish_view(request, pk: int):
    chapter = get_object_or_404(Chapter, pk=pk)
    return _publish(
        request,
        chapter,
        lambda: services.publish_chapter(chapter=chapter, by=request.user),
        published=_("The chapter is published."),
        detail="literacy:chapter_detail",
    )


# --- rate, participation, planner -----------------------------------------------------------


@login_required
def rate_view(request):
    form = EstimateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.estimate_from_assessments(year=form.cleaned_data["year"], by=request.user)
            messages.success(request, _("The estimates from assessments are updated."))
            return redirect("literacy:rate")
        except ValidationError as exc:
            add_service_errors(form, exc)
    city = list(LiteracyEstimate.objects.filter(district__isnull=True).order_by("year", "source"))
    chart = {
        "target": TARGET_RATE,
        "target_label": _("Target > 15% (2025)"),
        "series": [
            {
                "name": label,
                "points": [
                    [
                        e.year,
                        float(e.rate),
                        float(e.ci_low) if e.ci_low is not None else None,
                        float(e.ci_high) if e.ci_high is not None else None,
                    ]
                    for e in city
                    if e.source == source
                ],
            }
            for source, label in EstimateSource.choices
        ],
    }
    return render(
        request,
        "literacy/rate.html",
        {
            "city": city,
            "districts": queries.district_estimates(),
            "chart": chart,
            "form": form,
            "can_manage": rules.can_manage_estimates(request.user),
        },
    )


@login_required
def participation_view(request):
    if not rules.can_view_statistics(request.user):
        raise PermissionDenied
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    rows = queries.participation_by_district(year=year)
    totals = {key: sum(r[key] for r in rows) for key in ("takers", "rounds", "assessments", "visits")}
    return render(request, "literacy/participation.html", {"rows": rows, "year": year, "totals": totals})


def _populations(text: str, districts) -> tuple[dict, list[str]]:
    by_name = {}
    for d in districts:
        by_name[d.code] = d
        by_name[d.name] = d
        by_name[d.display_name] = d
        by_name[d.display_name.removesuffix("科协")] = d  # 渝中区科协 → 渝中区, as people write it
    populations, errors = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace("，", ",").replace("\t", ",").split(",")
        district = by_name.get(parts[0].strip())
        try:
            value = float(parts[1]) if len(parts) > 1 else -1
        except ValueError:
            value = -1
        if district is None:
            errors.append(
                _("Line %(line)s: unknown district “%(name)s”.") % {"line": number, "name": parts[0].strip()}
            )
        elif value <= 0:
            errors.append(_("Line %(line)s: the population must be a positive number.") % {"line": number})
        else:
            populations[district.pk] = int(value) if value.is_integer() else value
    return populations, errors


@login_required
def planner_view(request):
    if not rules.can_view_statistics(request.user):
        raise PermissionDenied
    form = PlannerForm(request.GET or None)
    districts = list(queries.districts())
    populations_text = request.GET.get("populations", "")
    rows, errors, total = [], [], 0
    if form.is_valid():
        data = form.cleaned_data
        entered, errors = _populations(populations_text, districts)
        # A district without an entered population counts as large (no finite-population correction).
        populations = {d.pk: entered.get(d.pk, 1_000_000.0) for d in districts}
        if not errors:
            try:
                sizes = required_sample_sizes(
                    populations=populations,
                    proportion=float(data["proportion"]) / 100,
                    margin_of_error=float(data["margin"]) / 100,
                    deff=float(data["deff"]),
                    response_rate=float(data["response_rate"]) / 100,
                )
                total = sum(sizes.values())
                city = allocate(total=total, populations=populations, method="proportional")
            except WeightingError as exc:
                errors = [str(exc)]
            else:
                rows = [
                    {
                        "district": d,
                        "population": entered.get(d.pk),
                        "size": sizes[d.pk],
                        "proportional": city[d.pk],
                    }
                    for d in districts
                ]
    return render(
        request,
        "literacy/planner.html",
        {"form": form, "rows": rows, "errors": errors, "total": total, "populations": populations_text},
    )


urlpatterns = [
    path("", home_view, name="home"),
    path("reader/", chapter_list_view, name="chapter_list"),
    path("reader/new/", chapter_form_view, name="chapter_new"),
    path("reader/<int:pk>/", chapter_detail_view, name="chapter_detail"),
    path("reader/<int:pk>/edit/", chapter_form_view, name="chapter_edit"),
    path("reader/<int:pk>/publish/", chapter_publish_view, name="chapter_publish"),
    path("register/", register_view, name="register"),
    path("profile/", profile_view, name="profile"),
    path("contests/new/", contest_form_view, name="contest_new"),
    path("contests/<int:pk>/", contest_detail_view, name="contest_detail"),
    path("contests/<int:pk>/edit/", contest_form_view, name="contest_edit"),
    path("contests/<int:pk>/publish/", contest_publish_view, name="contest_publish"),
    path("contests/<int:pk>/start/", contest_start_view, name="contest_start"),
    path("contests/<int:pk>/play/", contest_play_view, name="contest_play"),
    path("assessments/new/", assessment_form_view, name="assessment_new"),
    path("assessments/<int:pk>/", assessment_view, name="assessment"),
    path("assessments/<int:pk>/publish/", assessment_publish_view, name="assessment_publish"),
    path("questions/", question_list_view, name="question_list"),
    path("questions/new/", question_form_view, name="question_new"),
    path("questions/import/", question_import_view, name="question_import"),
    path("questions/<int:pk>/", question_detail_view, name="question_detail"),
    path("questions/<int:pk>/edit/", question_form_view, name="question_edit"),
    path("rate/", rate_view, name="rate"),
    path("participation/", participation_view, name="participation"),
    path("planner/", planner_view, name="planner"),
]
