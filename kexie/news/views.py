"""Pages of the public information section (lists, items, feeds, sitemap) and the staff pages for
writing and 三审三校. Thin views over queries, rules and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from feedgen.feed import FeedGenerator

from kexie.core import menus
from kexie.core.views import run_transition, submit_form
from kexie.news import people, queries, rules, services, sources
from kexie.news.enums import Column, VersionState
from kexie.news.forms import (
    AttachmentForm,
    ConsentForm,
    DraftForm,
    ItemForm,
    ReviewForm,
    WithdrawForm,
    WordForm,
)
from kexie.news.models import Attachment, NewsItem, SensitiveWord
from kexie.policy.enums import CaseState, TaskState
from kexie.policy.models import Task, TypicalCase


def _column(code: str) -> Column:
    if code not in Column.values:
        raise Http404
    return Column(code)


# ---- public -----------------------------------------------------------------------------------


def home_view(request: HttpRequest) -> HttpResponse:
    columns = [(c, queries.public_items(c.value)[:5]) for c in Column]
    return render(request, "news/home.html", {"columns": columns})


def column_view(request: HttpRequest, column: str) -> HttpResponse:
    col = _column(column)
    q = request.GET.get("q", "").strip()[:50]
    page = Paginator(queries.public_items(col.value, q), 10).get_page(request.GET.get("page"))
    return render(
        request,
        "news/column.html",
        {"column": col, "page": page, "q": q, "query": f"q={q}" if q else ""},
    )


def item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(NewsItem, pk=pk)
    if not queries.is_public(item):
        if request.user.is_authenticated and queries.items_visible_to(request.user).filter(pk=pk).exists():
            return manage_item_view(request, pk)
        raise Http404
    members = queries.public_items().filter(topic=item) if item.column == Column.TOPIC else []
    return render(
        request,
        "news/item.html",
        {
            "item": item,
            "version": item.published_version,
            "members": members,
            "attachments": item.published_version.attachments.all(),
            "person_facts": people.public_facts(item) if item.column == Column.PERSON else [],
        },
    )


def attachment_view(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    att = get_object_or_404(Attachment, pk=attachment_pk, version__item_id=pk)
    item = att.version.item
    public = queries.is_public(item) and att.version_id == item.published_version_id
    if not public and not queries.items_visible_to(request.user).filter(pk=item.pk).exists():
        raise Http404
    response = FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def feed_view(request: HttpRequest, column: str) -> HttpResponse:
    col = _column(column)
    fg = FeedGenerator()
    base = request.build_absolute_uri("/")[:-1]
    fg.id(base + reverse("news:column", args=[col.value]))
    fg.title(f"{col.label} · {_('Chongqing Association for Science and Technology')}")
    fg.link(href=base + reverse("news:column", args=[col.value]), rel="alternate")
    fg.link(href=request.build_absolute_uri(), rel="self")
    fg.language("zh-CN")
    items = list(queries.public_items(col.value)[:30])
    fg.updated(items[0].published_version.published_at if items else timezone.now())
    for item in reversed(items):
        v = item.published_version
        entry = fg.add_entry()
        url = base + reverse("news:item", args=[item.pk])
        entry.id(url)
        entry.title(v.title)
        entry.link(href=url)
        entry.summary(v.summary or v.body[:200])
        entry.published(v.published_at)
        entry.updated(v.published_at)
    return HttpResponse(fg.atom_str(pretty=True), content_type="application/atom+xml; charset=utf-8")


def sitemap_view(request: HttpRequest) -> HttpResponse:
    """The site's sitemap (``/sitemap.xml``, also ``/news/sitemap.xml``): the portal, every page the
    menu registry shows an anonymous visitor, the columns, the public items and the public pages of
    other apps they were handed over from."""
    base = request.build_absolute_uri("/")[:-1]
    seen: set[str] = set()
    urls: list[tuple[str, object]] = []

    def add(path: str, lastmod=None) -> None:
        if path.startswith("/") and path not in seen:
            seen.add(path)
            urls.append((base + path, lastmod))

    add(reverse("home"))
    for entry in menus.entries_for(AnonymousUser()):
        add(entry.url)
    for c in Column:
        add(reverse("news:column", args=[c.value]))
    for i in queries.public_items()[:5000]:
        add(reverse("news:item", args=[i.pk]), i.published_version.published_at)
        if i.external_url:
            add(i.external_url, i.published_version.published_at)
    return render(request, "news/sitemap.xml", {"urls": urls}, content_type="application/xml")


# ---- staff ------------------------------------------------------------------------------------


@login_required
def manage_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_write(request.user) and not queries.waiting_for(request.user).exists():
        raise PermissionDenied
    items = queries.items_visible_to(request.user).select_related("published_version")[:100]
    return render(
        request,
        "news/manage.html",
        {
            "items": items,
            "waiting": queries.waiting_for(request.user),
            "can_write": rules.can_write(request.user),
            "can_words": rules.can_manage_words(request.user),
            "can_sync": rules.can_manage_words(request.user),
            "sources": sources.registered(),
        },
    )


@login_required
@require_POST
def sync_view(request: HttpRequest) -> HttpResponse:
    """Follow the other apps now rather than at the next ten-minute job (editors and leaders)."""
    if not rules.can_manage_words(request.user):
        raise PermissionDenied
    report = sources.sync_sources(by=request.user)
    messages.success(
        request,
        _("Synchronised: %(new)s handed over, %(gone)s withdrawn at the source, %(back)s restored.")
        % {"new": report.handed_over, "gone": report.withdrawn, "back": report.restored},
    )
    for ref in report.refused:
        messages.error(request, _("Not handed over (no title): %(ref)s") % {"ref": ref})
    return redirect("news:manage")


@login_required
def item_create_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_write(request.user):
        raise PermissionDenied
    form = ItemForm(
        request.POST or None, user=request.user, initial={"column": request.GET.get("column", Column.NEWS)}
    )

    def service(d):
        return services.create_item(
            request.user,
            organization=d["organization"],
            column=d["column"],
            title=d["title"],
            summary=d["summary"],
            body=d["body"],
            publish_at=d["publish_at"],
            valid_until=d["valid_until"],
            topic=d["topic"],
            expert=d["expert"],
            volunteer=d["volunteer"],
        )

    return submit_form(
        request,
        form,
        service,
        success_message=_("The draft was saved."),
        success_url=lambda item: reverse("news:manage_item", args=[item.pk]),
        render_form=lambda f: render(request, "news/item_form.html", {"form": f}),
    )


@login_required
def from_ledger_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_write(request.user):
        raise PermissionDenied
    if request.method == "POST":
        case = task = None
        if request.POST.get("case"):
            case = get_object_or_404(TypicalCase, pk=request.POST["case"])
        elif request.POST.get("task"):
            task = get_object_or_404(Task, pk=request.POST["task"])
        holder = {}

        def action():
            holder["item"] = services.case_from_ledger(request.user, case=case, task=task)

        response = run_transition(
            request,
            action,
            success_message=_("The typical case was written as a draft."),
            redirect_to=reverse("news:from_ledger"),
        )
        if "item" in holder:
            response["Location"] = reverse("news:manage_item", args=[holder["item"].pk])
        return response
    units = [o.pk for o in rules.writing_units(request.user)]
    tasks = Task.objects.filter(state=TaskState.COMPLETED)
    cases = TypicalCase.objects.filter(state=CaseState.PUBLISHED).select_related("task")
    if not (rules.is_leader(request.user) or rules.is_editor(request.user)):
        tasks, cases = tasks.filter(lead__in=units), cases.filter(organization__in=units)
    used = set(NewsItem.objects.exclude(source_case=None).values_list("source_case", flat=True))
    return render(
        request,
        "news/from_ledger.html",
        {"tasks": tasks.order_by("-completed_at")[:50], "cases": cases[:50], "used": used},
    )


@login_required
def manage_item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.access_item(request.user, pk)
    versions = item.versions.order_by("-number")
    working = versions.filter(state__in=[VersionState.DRAFT, VersionState.IN_REVIEW]).first()
    can_edit = rules.can_edit_item(request.user, item)
    draft_form = None
    if working and working.state == VersionState.DRAFT and can_edit:
        draft_form = DraftForm(
            initial={
                "title": working.title,
                "summary": working.summary,
                "body": working.body,
                "publish_at": working.publish_at,
            }
        )
    can_review = bool(
        working
        and working.state == VersionState.IN_REVIEW
        and rules.can_act_at_step(request.user, working.step, item)
    )
    return render(
        request,
        "news/manage_item.html",
        {
            "item": item,
            "versions": versions,
            "working": working,
            "can_edit": can_edit,
            "draft_form": draft_form,
            "review_form": ReviewForm() if can_review else None,
            "attachment_form": AttachmentForm() if draft_form else None,
            "withdraw_form": WithdrawForm()
            if rules.can_withdraw(request.user) and item.published_version and not item.withdrawn_at
            else None,
            "consent_form": ConsentForm() if can_edit and item.column == Column.PERSON else None,
            "is_last_step": bool(working and working.step and working.step.next() is None),
        },
    )


def _item_action(request, pk, action, message):
    item = queries.access_item(request.user, pk)
    return run_transition(
        request,
        lambda: action(item),
        success_message=message,
        redirect_to=reverse("news:manage_item", args=[pk]),
    )


def _form_errors(form) -> None:
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    raise ValidationError(
        [f"{form.fields[f].label if f in form.fields else ''}：{' '.join(e)}" for f, e in form.errors.items()]
    )


@login_required
@require_POST
def item_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user

    def working(item):
        v = (
            item.versions.filter(state__in=[VersionState.DRAFT, VersionState.IN_REVIEW])
            .order_by("-number")
            .first()
        )
        if v is None:
            raise Http404
        return v

    def save(item):
        form = DraftForm(request.POST)
        if not form.is_valid():
            _form_errors(form)
        d = form.cleaned_data
        services.update_draft(
            user,
            working(item),
            title=d["title"],
            summary=d["summary"],
            body=d["body"],
            publish_at=d["publish_at"],
        )

    def review(item):
        form = ReviewForm(request.POST)
        if not form.is_valid():
            _form_errors(form)
        d = form.cleaned_data
        services.review(
            user,
            working(item),
            decision=d["decision"],
            comment=d["comment"],
            acknowledge_hits=d["acknowledge_hits"],
            publish_at=d["publish_at"],
        )

    def attach(item):
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            _form_errors(form)
        services.add_attachment(user, working(item), form.cleaned_data["file"])

    def withdraw(item):
        services.withdraw(user, item, reason=request.POST.get("reason", ""))

    actions = {
        "save": (save, _("The draft was saved.")),
        "submit": (lambda item: services.submit(user, working(item)), _("Sent to the first review.")),
        "review": (review, _("Your review was recorded.")),
        "attach": (attach, _("The attachment was added.")),
        "new-version": (lambda item: services.new_version(user, item), _("A new version was started.")),
        "withdraw": (withdraw, _("The item was withdrawn.")),
        "consent": (
            lambda item: services.record_consent(user, item, note=request.POST.get("consent_note", "")),
            _("Consent was recorded."),
        ),
    }
    if action not in actions:
        raise Http404
    function, message = actions[action]
    return _item_action(request, pk, function, message)


@login_required
def words_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage_words(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("remove"):
        entry = get_object_or_404(SensitiveWord, pk=request.POST["remove"])
        return run_transition(
            request,
            lambda: services.remove_sensitive_word(request.user, entry),
            success_message=_("The word was removed."),
            redirect_to=reverse("news:words"),
        )
    form = WordForm(request.POST or None)
    return submit_form(
        request,
        form,
        lambda d: services.add_sensitive_word(request.user, word=d["word"], note=d["note"]),
        success_message=_("The word was added."),
        success_url=reverse("news:words"),
        render_form=lambda f: render(
            request, "news/words.html", {"form": f, "words": SensitiveWord.objects.all()}
        ),
    )
