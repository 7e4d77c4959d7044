"""Pages of the expert library: list and search, detail, staff curation, verification queue, the
expert's own profile, import and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.core.services import record_personal_data_view
from kexie.experts import duplicates, rules, services, spreadsheets
from kexie.experts import references as expert_references
from kexie.experts.conflicts import ReviewItem
from kexie.experts.documents import FLAG_AVAILABLE, FLAG_OVERSEAS
from kexie.experts.enums import Availability, SearchKind, VerificationState
from kexie.experts.forms import (
    AffiliationForm,
    ConflictCheckForm,
    FilterForm,
    ImportForm,
    MentorshipForm,
    ProfileForm,
    RejectForm,
    StaffExpertForm,
    WorkForm,
    initial_of,
)
from kexie.experts.models import Affiliation, Expert, Mentorship, Work
from kexie.experts.queries import (
    access_expert,
    district_choices,
    district_names,
    experts_visible_to,
    in_rank_order,
    shown_contact,
    user_expert,
    verification_queue,
    with_lists,
)
from kexie.search import index as search
from kexie.search.documents import Filters
from kexie.search.enums import Facet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 30
SEARCH_LIMIT = 200


def _require_library(user) -> None:
    if not rules.can_view_library(user):
        raise PermissionDenied


def _visible_expert(request, pk: int) -> Expert:
    return access_expert(request.user, pk)


def _filtered(queryset, data: dict):
    if data.get("district"):
        queryset = queryset.filter(district=data["district"])
    if data.get("discipline"):
        queryset = queryset.filter(disciplines__code__startswith=data["discipline"]).distinct()
    if data.get("title"):
        queryset = queryset.filter(title=data["title"])
    if data.get("overseas"):
        queryset = queryset.filter(overseas=True)
    if data.get("availability"):
        queryset = queryset.filter(availability=data["availability"])
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    return queryset


def _index_filters(data: dict) -> Filters:
    flags = []
    if data.get("overseas"):
        flags.append(FLAG_OVERSEAS)
    if data.get("availability") == Availability.AVAILABLE:
        flags.append(FLAG_AVAILABLE)
    return Filters(
        districts=[data["district"]] if data.get("district") else [],
        disciplines=[data["discipline"]] if data.get("discipline") else [],
        flags=flags,
    )


def _facets(results, names: dict[str, str]) -> dict[str, list]:
    districts = [
        {"value": f.value, "label": names.get(f.value, f.value), "count": f.count}
        for f in results.facets.get(Facet.DISTRICT.value, [])
    ]
    disciplines = [
        {"value": f.value, "label": f.label or f.value, "count": f.count}
        for f in results.facets.get(Facet.DISCIPLINE.value, [])
        if f.level == 1
    ]
    return {"districts": districts[:12], "disciplines": disciplines[:12]}


def _listed(user, data: dict, *, facets: bool = False):
    """The experts the list page shows for the filter form's ``data``, in its order: the search
    keyword ranked by the index (at most SEARCH_LIMIT), the filters applied in the database. The
    export calls it too, so the file holds exactly the rows of the list."""
    queryset = with_lists(_filtered(experts_visible_to(user), data))
    text = data.get("q", "")
    if not text and not facets:
        return queryset.order_by("-updated_at", "-pk"), None
    results = search.query(
        text,
        kinds=[SearchKind.EXPERT],
        filters=_index_filters(data),
        facets=[Facet.DISTRICT, Facet.DISCIPLINE] if facets else [],
        limit=SEARCH_LIMIT if text else 1,
        snippets=bool(text) and facets,
    )
    if text:
        return in_rank_order(queryset, [int(hit.id) for hit in results.hits]), results
    return queryset.order_by("-updated_at", "-pk"), results


@login_required
def expert_list_view(request):
    user = request.user
    if not rules.can_view_library(user) and rules.can_keep_own_profile(user):
        return redirect("experts:my_profile")
    _require_library(user)
    districts = district_choices()
    form = FilterForm(request.GET or None, districts=districts)
    data = form.cleaned_data if form.is_valid() else {}
    rows, results = _listed(user, data, facets=True)
    text = data.get("q", "")
    snippets = {int(hit.id): hit.snippet_html for hit in results.hits} if text else {}
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unmasked = rules.can_see_personal_data(user)
    names = dict(districts)
    for expert in page:
        expert.contact = shown_contact(expert, unmasked=unmasked)
        expert.snippet = snippets.get(expert.pk, "")
        expert.district_name = names.get(expert.district, "")
    if unmasked and len(page):
        record_personal_data_view(None, actor=user, fields=rules.PERSONAL_FIELDS, count=len(page))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "experts/expert_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "facets": _facets(results, names),
            "terms": results.terms,
            "can_curate": rules.can_curate(user),
            "unmasked": unmasked,
        },
    )


def _detail_context(request, expert: Expert, **forms) -> dict:
    user = request.user
    can_edit = rules.can_edit_expert(user, expert)
    conflict_form = ConflictCheckForm(request.GET if "check" in request.GET else None)
    found = None
    if conflict_form.is_bound and conflict_form.is_valid() and rules.can_check_conflicts(user):
        data = conflict_form.cleaned_data
        item = ReviewItem(
            organization_names=data["organizations"],
            person_names=data["persons"],
            channel=data["channel"] or None,
        )
        found = services.conflicts(expert=expert, item=item)
    unmasked = rules.can_see_personal_data_of(user, expert)
    if unmasked and not rules.is_own_profile(user, expert):
        record_personal_data_view(expert, actor=user, fields=rules.PERSONAL_FIELDS)
    return {
        "expert": expert,
        "contact": shown_contact(expert, unmasked=unmasked),
        "district_name": district_names().get(expert.district, expert.district),
        "disciplines": expert.disciplines.all(),
        "works": expert.works.all(),
        "affiliations": expert.affiliations.select_related("organization"),
        "mentorships": [
            *expert.students_links.select_related("student"),
            *expert.advisor_links.select_related("advisor"),
        ],
        "can_edit": can_edit,
        "can_verify": rules.can_verify_expert(user, expert),
        "can_check": rules.can_check_conflicts(user),
        "is_own": rules.is_own_profile(user, expert),
        "work_form": forms.get("work_form") or (WorkForm() if can_edit else None),
        "affiliation_form": forms.get("affiliation_form") or (AffiliationForm() if can_edit else None),
        "mentorship_form": forms.get("mentorship_form")
        or (MentorshipForm(allow_expert_id=rules.can_view_library(user)) if can_edit else None),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "conflict_form": conflict_form,
        "conflicts": found,
        "VerificationState": VerificationState,
    }


@login_required
def expert_detail_view(request, pk: int):
    expert = _visible_expert(request, pk)
    return render(request, "experts/expert_detail.html", _detail_context(request, expert))


@login_required
def expert_create_view(request):
    if not rules.can_curate(request.user):
        raise PermissionDenied
    form = StaffExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, codes = form.service_data()
        try:
            expert = services.create_expert(by=request.user, disciplines=codes, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The expert %(name)s was added.") % {"name": expert.name})
            return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html", {"form": form, "expert": None})


@login_required
def expert_edit_view(request, pk: int):
    expert = _visible_expert(request, pk)
    if not rules.can_edit_expert(request.user, expert):
        raise PermissionDenied
    own = rules.is_own_profile(request.user, expert) and not rules.can_curate(request.user)
    form_class = ProfileForm if own else StaffExpertForm
    initial = initial_of(expert) | {"state": expert.state}
    hidden = [] if rules.can_see_personal_data_of(request.user, expert) else ["mobile", "id_number", "email"]
    masked = shown_contact(expert, unmasked=False)
    for name in hidden:
        initial[name] = ""
    form = form_class(request.POST or None, initial=initial)
    for name in hidden:
        if masked[name]:
            # The reader may not see the value: an empty field keeps it, a new value replaces it.
            form.fields[name].help_text = _("Recorded: %(masked)s. Leave empty to keep it.") % {
                "masked": masked[name]
            }
    if not own and expert.state != VerificationState.UNVERIFIED:
        # Verified stays verified; a returned profile is approved from its page.
        form.fields.pop("state")
    if request.method == "POST" and form.is_valid():
        data, codes = form.service_data()
        state = data.pop("state", None)
        for name in hidden:
            if not data.get(name):
                data.pop(name, None)
        try:
            services.update_expert(expert=expert, by=request.user, disciplines=codes, **data)
            if state == VerificationState.VERIFIED and expert.state != VerificationState.VERIFIED:
                services.verify_expert(expert=expert, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html", {"form": form, "expert": expert})


@login_required
def my_profile_view(request):
    user = request.user
    expert = user_expert(user)
    if expert is not None:
        return redirect("experts:detail", pk=expert.pk)
    if not rules.can_keep_own_profile(user):
        raise PermissionDenied
    form = ProfileForm(request.POST or None, initial={"name": user.full_name, "email": user.email})
    if request.method == "POST" and form.is_valid():
        data, codes = form.service_data()
        try:
            expert = services.create_expert(by=user, user=user, disciplines=codes, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile was saved; staff will verify it."))
            return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html", {"form": form, "expert": None, "own": True})


@login_required
@require_POST
def expert_verify_view(request, pk: int):
    expert = _visible_expert(request, pk)
    if not rules.can_verify_expert(request.user, expert):
        raise PermissionDenied
    try:
        services.verify_expert(expert=expert, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The profile of %(name)s is verified.") % {"name": expert.name})
    if request.POST.get("next") == "detail":
        return redirect("experts:detail", pk=expert.pk)
    return redirect("experts:queue")


@login_required
@require_POST
def expert_reject_view(request, pk: int):
    expert = _visible_expert(request, pk)
    if not rules.can_verify_expert(request.user, expert):
        raise PermissionDenied
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_expert(expert=expert, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The profile of %(name)s was rejected.") % {"name": expert.name})
            return redirect("experts:queue")
    context = _detail_context(request, expert, reject_form=form)
    return render(request, "experts/expert_detail.html", context, status=400 if not form.is_valid() else 200)


@login_required
@require_POST
def expert_delete_view(request, pk: int):
    expert = _visible_expert(request, pk)
    if not rules.can_curate(request.user):
        raise PermissionDenied
    try:
        services.delete_expert(expert=expert, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("experts:detail", pk=expert.pk)
    messages.success(request, _("The expert %(name)s was removed from the library.") % {"name": expert.name})
    return redirect("experts:list")


@login_required
@require_POST
def work_add_view(request, pk: int):
    expert = _visible_expert(request, pk)
    if not rules.can_edit_expert(request.user, expert):
        raise PermissionDenied
    form = WorkForm(request.POST)
    if form.is_valid():
        try:
            services.add_work(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The work was added."))
            return redirect("experts:detail", pk=expert.pk)
    return render(
        request, "experts/expert_detail.html", _detail_context(request, expert, work_form=form), status=400
    )


@login_required
@require_POST
def work_remove_view(request, pk: int):
    work = get_object_or_404(Work.objects.select_related("expert"), pk=pk)
    if not rules.can_view_expert(request.user, work.expert):
        raise Http404
    if not rules.can_edit_expert(request.user, work.expert):
        raise PermissionDenied
    services.remove_work(work=work, by=request.user)
    messages.success(request, _("The work was removed."))
    return redirect("experts:detail", pk=work.expert_id)


def _editable_expert(request, pk: int) -> Expert:
    expert = _visible_expert(request, pk)
    if not rules.can_edit_expert(request.user, expert):
        raise PermissionDenied
    return expert


@login_required
@require_POST
def affiliation_add_view(request, pk: int):
    expert = _editable_expert(request, pk)
    form = AffiliationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_affiliation(
                expert=expert,
                by=request.user,
                organization_name=data["organization_name"],
                organization=data["organization"],
                start_year=data["start_year"],
                end_year=data["end_year"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The affiliation was added."))
            return redirect("experts:detail", pk=expert.pk)
    return render(
        request,
        "experts/expert_detail.html",
        _detail_context(request, expert, affiliation_form=form),
        status=400,
    )


@login_required
@require_POST
def affiliation_remove_view(request, pk: int):
    affiliation = get_object_or_404(Affiliation.objects.select_related("expert"), pk=pk)
    expert = _editable_expert(request, affiliation.expert_id)
    services.remove_affiliation(affiliation=affiliation, by=request.user)
    messages.success(request, _("The affiliation was removed."))
    return redirect("experts:detail", pk=expert.pk)


@login_required
@require_POST
def mentorship_add_view(request, pk: int):
    expert = _editable_expert(request, pk)
    form = MentorshipForm(request.POST, allow_expert_id=rules.can_view_library(request.user))
    if form.is_valid():
        data = form.cleaned_data
        other = None
        if data.get("other_expert"):
            other = experts_visible_to(request.user).filter(pk=data["other_expert"]).first()
            if other is None:
                form.add_error(
                    "other_expert",
                    _("No expert with the id %(id)s in the expert library.") % {"id": data["other_expert"]},
                )
        if not form.errors:
            name = "" if other else data["other_name"].strip()
            sides = (
                {"advisor": expert, "student": other, "student_name": name}
                if data["side"] == MentorshipForm.ADVISOR
                else {"advisor": other, "advisor_name": name, "student": expert}
            )
            try:
                services.add_mentorship(by=request.user, **sides)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The advisor–student link was added."))
                return redirect("experts:detail", pk=expert.pk)
    return render(
        request,
        "experts/expert_detail.html",
        _detail_context(request, expert, mentorship_form=form),
        status=400,
    )


@login_required
@require_POST
def mentorship_remove_view(request, pk: int):
    """From the page of either expert of the link (``expert`` in the form names which one)."""
    link = get_object_or_404(Mentorship, pk=pk)
    sides = {link.advisor_id, link.student_id} - {None}
    shown = request.POST.get("expert", "")
    expert_id = int(shown) if shown.isdigit() and int(shown) in sides else min(sides)
    expert = _editable_expert(request, expert_id)
    services.remove_mentorship(link=link, by=request.user)
    messages.success(request, _("The advisor–student link was removed."))
    return redirect("experts:detail", pk=expert.pk)


@login_required
def queue_view(request):
    if not rules.can_curate(request.user):
        raise PermissionDenied
    experts = with_lists(verification_queue())
    page = Paginator(experts, PAGE_SIZE).get_page(request.GET.get("page"))
    names = district_names()
    for expert in page:
        expert.district_name = names.get(expert.district, "")
    return render(request, "experts/queue.html", {"page": page, "query": "", "reject_form": RejectForm()})


def _warn_of_duplicates(request, ids: set[int]) -> None:
    """After an import: how many of the new profiles may be a person the library already holds
    under the organization or a part of it (the import itself refuses only the same spelling)."""
    found = {pk for pair in duplicates.possible_duplicate_ids() for pk in pair if pk in ids}
    if found:
        messages.warning(
            request,
            _(
                "%(count)s of them may be a person the library already holds under the same name "
                "at the organization or a part of it: check them under Possible duplicates."
            )
            % {"count": len(found)},
        )


@login_required
def import_view(request):
    if not rules.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = spreadsheets.import_experts(
                content=upload.read(), by=request.user, file_name=upload.name
            )
        except spreadsheets.ImportRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(count)s experts were imported.") % {"count": len(created)})
            _warn_of_duplicates(request, {expert.pk for expert in created})
            return redirect("experts:list")
    status = 400 if errors else 200
    return render(request, "experts/import.html", {"form": form, "errors": errors}, status=status)


@login_required
def import_template_view(request):
    if not rules.can_import(request.user):
        raise PermissionDenied
    response = HttpResponse(spreadsheets.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="experts-template.xlsx"'
    return response


@login_required
def export_view(request):
    if not rules.can_export(request.user):
        raise PermissionDenied
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    experts, _results = _listed(request.user, data)
    content = spreadsheets.export_workbook(
        experts=experts,
        unmasked=rules.can_see_personal_data(request.user),
        by=request.user,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="experts.xlsx"'
    return response


@login_required
def duplicates_view(request):
    """Possible duplicates: one name under an organization and a part of it (or the same one twice)."""
    if not rules.can_curate(request.user):
        raise PermissionDenied
    ids = duplicates.possible_duplicate_ids()
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    # Only the page's profiles are read (a library of 54,000 has 4,500 pairs: 0.2 s for the ids).
    page.object_list = duplicates.possible_duplicates(list(page.object_list))
    shown = [expert.pk for pair in page.object_list for expert in (pair.first, pair.second)]
    works = dict(
        Work.objects.filter(expert_id__in=shown)
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    for pair in page.object_list:
        for expert in (pair.first, pair.second):
            expert.work_count = works.get(expert.pk, 0)
    return render(request, "experts/duplicates.html", {"page": page, "total": len(ids)})


@login_required
def merge_view(request, keep: int, drop: int):
    """Confirm, then merge ``drop`` into ``keep`` (services.merge_experts)."""
    if not rules.can_curate(request.user):
        raise PermissionDenied
    kept, removed = _visible_expert(request, keep), _visible_expert(request, drop)
    if kept.pk == removed.pk:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.merge_experts(keep=kept, drop=removed, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("The two profiles of %(name)s are now one; the other was removed.") % {"name": kept.name},
            )
            return redirect("experts:detail", pk=kept.pk)
    held = duplicates.references(removed)
    moving = [(kind.label, count) for kind, count in expert_references.held_by(removed.pk)]
    held_works = {services.work_key(w) for w in kept.works.all()}
    new_works = [w for w in removed.works.all() if services.work_key(w) not in held_works]
    context = {
        "kept": kept,
        "removed": removed,
        "references": held,
        "moving": moving,
        "new_works": new_works,
        "both_accounts": bool(kept.user_id and removed.user_id),
        "error": error,
    }
    return render(request, "experts/merge.html", context, status=400 if error else 200)


@login_required
@require_POST
def distinct_view(request, first: int, second: int):
    """Two profiles of one name are different people: no longer offered as duplicates."""
    if not rules.can_curate(request.user):
        raise PermissionDenied
    one, other = _visible_expert(request, first), _visible_expert(request, second)
    if one.pk == other.pk:
        raise Http404
    services.mark_distinct(first=one, second=other, by=request.user)
    messages.success(request, _("Marked as different people: %(name)s.") % {"name": one.name})
    return redirect("experts:duplicates")
