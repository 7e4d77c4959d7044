"""The reader (读本): public chapters and their management."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.literacy import queries, rules, services
from kexie.literacy.enums import PublishState, ReviewState
from kexie.literacy.forms import (
    ChapterForm,
)
from kexie.literacy.models import Chapter
from kexie.literacy.views.common import _editor, _form_page, _publish


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
