"""Community science university classes, venue reports, the 九个一 ledger, youth evaluations and the
records named by calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.calls.queries import calls_visible_to
from kexie.core.forms import add_service_errors
from kexie.core.reference import districts
from kexie.core.views import submit_form
from kexie.outreach import queries, rules, services
from kexie.outreach.calls import DEMONSTRATION, TITLE
from kexie.outreach.forms import (
    EnrolForm,
    EvaluationForm,
    LessonForm,
    ProgressForm,
    PupilForm,
    RecognitionCallForm,
    VenueReportForm,
)
from kexie.outreach.models import (
    ClassSession,
    DemonstrationSite,
    Enrolment,
    NineMeasure,
    ScienceTitle,
    YouthEvaluation,
    YouthResult,
)
from kexie.outreach.registries import REGISTRIES
from kexie.outreach.views.common import require


@login_required
def class_detail(request, pk: int):
    course_class = get_object_or_404(REGISTRIES["classes"].visible(request.user), pk=pk)
    can_manage = rules.can_manage_district_record(request.user, course_class.teaching_point.district)
    enrolments = list(course_class.enrolments.annotate(lessons=Count("attended")))
    enrol_form = EnrolForm(request.POST if request.POST.get("form") == "enrol" else None, prefix="enrol")
    lesson_form = LessonForm(
        request.POST if request.POST.get("form") == "lesson" else None, prefix="lesson", enrolments=enrolments
    )
    if request.method == "POST":
        require(can_manage)
        form = enrol_form if request.POST.get("form") == "enrol" else lesson_form
        if form.is_valid():
            try:
                if form is enrol_form:
                    services.enrol(course_class=course_class, by=request.user, **form.cleaned_data)
                    messages.success(request, _("The learner is enrolled."))
                else:
                    data = form.cleaned_data
                    services.record_lesson(
                        course_class=course_class,
                        by=request.user,
                        held_on=data["held_on"],
                        topic=data["topic"],
                        present=[int(p) for p in data["present"]],
                    )
                    messages.success(request, _("The lesson and its attendance are recorded."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("outreach:class_detail", pk=course_class.pk)
    lessons = course_class.sessions.annotate(present_count=Count("present"))
    return render(
        request,
        "outreach/class_detail.html",
        {
            "course_class": course_class,
            "enrolments": enrolments,
            "lessons": lessons,
            "enrol_form": enrol_form,
            "lesson_form": lesson_form,
            "can_manage": can_manage,
        },
    )


@login_required
def university_figures(request):
    require(rules.can_view_registry(request.user))
    classes = REGISTRIES["classes"].visible(request.user)
    rows = (
        classes.values("year")
        .annotate(
            classes=Count("pk", distinct=True),
            points=Count("teaching_point", distinct=True),
            learners=Count("enrolments", distinct=True),
        )
        .order_by("-year")
    )
    attendance = {
        row["course_class__year"]: row
        for row in ClassSession.objects.filter(course_class__in=classes)
        .values("course_class__year")
        .annotate(lessons=Count("pk", distinct=True), present=Count("present"))
    }
    names = districts()
    by_district = (
        classes.values("teaching_point__district")
        .annotate(classes=Count("pk", distinct=True), learners=Count("enrolments"))
        .order_by("-classes")
    )
    return render(
        request,
        "outreach/university_figures.html",
        {
            "rows": [
                {**r, **{k: attendance.get(r["year"], {}).get(k, 0) for k in ("lessons", "present")}}
                for r in rows
            ],
            "by_district": [
                (names.get(r["teaching_point__district"], ""), r["classes"], r["learners"])
                for r in by_district
            ],
        },
    )


@login_required
def venue_report(request, pk: int):
    venue = queries.access_venue(request.user, pk)
    require(rules.can_manage_venue(request.user, venue))
    first = timezone.localdate().replace(day=1)
    form = VenueReportForm(request.POST or None, initial={"month": first})
    return submit_form(
        request,
        form,
        lambda data: services.report_month(venue=venue, by=request.user, **data),
        success_message=_("The monthly report is saved."),
        success_url=reverse("outreach:venue_detail", args=[venue.pk]),
        render_form=lambda f: render(request, "outreach/venue_report.html", {"form": f, "venue": venue}),
    )


def nine_ledger(request):
    measures = NineMeasure.objects.prefetch_related("reports")
    can_manage = request.user.is_authenticated and rules.can_manage_registry(request.user)
    average = round(sum(m.progress for m in measures) / len(measures)) if measures else 0
    return render(
        request,
        "outreach/nine_ledger.html",
        {"measures": measures, "can_manage": can_manage, "average": average},
    )


@login_required
def nine_progress(request, pk: int):
    require(rules.can_manage_registry(request.user))
    measure = get_object_or_404(NineMeasure, pk=pk)
    form = ProgressForm(request.POST or None, initial={"progress": measure.progress})
    return submit_form(
        request,
        form,
        lambda data: services.report_nine_progress(measure=measure, by=request.user, **data),
        success_message=_("Progress recorded."),
        success_url=reverse("outreach:nine_ledger"),
        render_form=lambda f: render(request, "outreach/nine_progress.html", {"form": f, "measure": measure}),
    )


@login_required
def youth_list(request):
    can_manage = rules.can_manage_evaluations(request.user)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST":
        require(can_manage)
    response = None
    if request.method == "POST":
        response = submit_form(
            request,
            form,
            lambda data: services.create_evaluation(by=request.user, **data),
            success_message=_("The evaluation is created and its paper published."),
            success_url=lambda e: reverse("outreach:youth_detail", args=[e.pk]),
            render_form=lambda f: None,
        )
    if response is not None:
        return response
    evaluations = YouthEvaluation.objects.annotate(n=Count("results"))
    return render(
        request,
        "outreach/youth_list.html",
        {"evaluations": evaluations, "form": form, "can_manage": can_manage},
    )


@login_required
def youth_detail(request, pk: int):
    evaluation = get_object_or_404(YouthEvaluation.objects.select_related("assessment"), pk=pk)
    mine = YouthResult.objects.filter(evaluation=evaluation, attempt__user=request.user).first()
    sees = rules.sees_all(request.user) or rules.is_district_staff(request.user)
    results = evaluation.results.all()
    if sees and not rules.sees_all(request.user):
        results = results.filter(district__in=rules.district_codes(request.user))
    tiers = results.values("tier").annotate(n=Count("pk")).order_by("-n") if sees else []
    schools = (
        results.values("school", "district")
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(tier__in=["优秀", "良好"])))
        .order_by("-n")[:30]
        if sees
        else []
    )
    items = evaluation.assessment.items.select_related("question").order_by("position")
    form = PupilForm(request.POST or None)
    if request.method == "POST" and mine is None and form.is_valid():
        answers = {}
        for item in items:
            picked = request.POST.getlist(f"q{item.question_id}")
            answers[item.question_id] = sorted(int(p) for p in picked if p.isdigit())
        try:
            mine = services.submit_evaluation(
                evaluation=evaluation, user=request.user, answers=answers, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answers are scored."))
            return redirect("outreach:youth_detail", pk=evaluation.pk)
    return render(
        request,
        "outreach/youth_detail.html",
        {
            "evaluation": evaluation,
            "mine": mine,
            "tiers": tiers,
            "schools": schools,
            "items": items if mine is None else [],
            "form": form,
            "sees": sees,
            "total": results.count() if sees else None,
            "score": Sum("attempt__score"),
        },
    )


def recognition(request):
    """The demonstration sites and titles named so far, the calls that name them (on the calls
    engine's pages), and for the science popularisation department a button to start the next one."""
    manager = rules.is_manager(request.user)
    form = RecognitionCallForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require(manager)
        form = RecognitionCallForm(request.POST)
        if form.is_valid():
            try:
                call = services.start_recognition_call(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The call is drafted with its form and review round; check it and open it."),
                )
                return redirect("calls:call_manage", call.pk)
    calls = calls_visible_to(request.user).filter(kind__in=[DEMONSTRATION, TITLE]).order_by("-year", "-pk")
    sites = DemonstrationSite.objects.all() if manager else DemonstrationSite.objects.filter(is_final=True)
    titles = ScienceTitle.objects.all() if manager else ScienceTitle.objects.filter(is_final=True)
    return render(
        request,
        "outreach/recognition.html",
        {
            "sites": sites,
            "titles": titles,
            "calls": calls,
            "manager": manager,
            "form": form if manager else None,
        },
    )


__all__ = ["Enrolment"]
