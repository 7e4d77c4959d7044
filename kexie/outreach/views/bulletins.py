"""Emergency bulletins: compose (from a template), publish in one step, read receipts, the unread list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.core.views import run_transition
from kexie.outreach import queries, rules, services
from kexie.outreach.enums import BulletinState
from kexie.outreach.forms import BulletinForm, ForwardForm
from kexie.outreach.models import BulletinDelivery, BulletinTemplate
from kexie.outreach.views.common import require


@login_required
def bulletin_list(request):
    require(rules.can_view_bulletins(request.user))
    bulletins = queries.bulletins_visible_to(request.user).order_by("-published_at", "-pk")[:100]
    mine = {
        d.bulletin_id: d
        for d in BulletinDelivery.objects.filter(
            organization_id__in=rules.staff_organization_ids(request.user)
        )
    }
    return render(
        request,
        "outreach/bulletin_list.html",
        {
            "rows": [
                (b, mine.get(b.pk), queries.bulletin_figures(b) if rules.sees_all(request.user) else None)
                for b in bulletins
            ],
            "can_publish": rules.can_publish_bulletins(request.user),
            "templates": BulletinTemplate.objects.all(),
        },
    )


def _bulletin_form(request, bulletin=None):
    require(rules.can_publish_bulletins(request.user))
    initial = {}
    if bulletin is not None:
        initial = {
            "title": bulletin.title,
            "topic": bulletin.topic,
            "content": bulletin.content,
            "audience": bulletin.audience,
            "chosen": list(bulletin.chosen.all()),
            "is_drill": bulletin.is_drill,
            "read_within_hours": bulletin.read_within_hours,
        }
    elif request.GET.get("template", "").isdigit():
        template = get_object_or_404(BulletinTemplate, pk=int(request.GET["template"]))
        initial = {"title": template.title, "topic": template.topic, "content": template.content}
    form = BulletinForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("chosen")
        if bulletin is None and request.GET.get("template", "").isdigit():
            data["template"] = BulletinTemplate.objects.filter(pk=int(request.GET["template"])).first()
        try:
            saved = services.save_bulletin(by=request.user, bulletin=bulletin, chosen=chosen, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The bulletin is saved as a draft. Check it, then publish."))
            return redirect("outreach:bulletin_detail", pk=saved.pk)
    return render(request, "outreach/bulletin_form.html", {"form": form, "bulletin": bulletin})


@login_required
def bulletin_create(request):
    return _bulletin_form(request)


@login_required
def bulletin_edit(request, pk: int):
    bulletin = queries.access_bulletin(request.user, pk)
    return _bulletin_form(request, bulletin)


@login_required
def bulletin_detail(request, pk: int):
    bulletin = queries.access_bulletin(request.user, pk)
    user = request.user
    sees_all = rules.sees_all(user)
    hours = (
        int(request.GET["hours"]) if request.GET.get("hours", "").isdigit() else bulletin.read_within_hours
    )
    mine = list(
        BulletinDelivery.objects.filter(
            bulletin=bulletin, organization_id__in=rules.staff_organization_ids(user)
        ).select_related("organization")
    )
    return render(
        request,
        "outreach/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "figures": queries.bulletin_figures(bulletin) if sees_all else None,
            "deliveries": queries.deliveries_of(bulletin) if sees_all else None,
            "unread": queries.unread_after(bulletin, hours=hours) if sees_all else None,
            "hours": hours,
            "mine": [(d, ForwardForm(initial={"forwarded": d.forwarded})) for d in mine],
            "can_publish": rules.can_publish_bulletins(user) and bulletin.state == BulletinState.DRAFT,
            "receivers": services.audience_organizations(bulletin).count()
            if bulletin.state == BulletinState.DRAFT
            else None,
        },
    )


@login_required
@require_POST
def bulletin_publish(request, pk: int):
    bulletin = queries.access_bulletin(request.user, pk)
    require(rules.can_publish_bulletins(request.user))
    return run_transition(
        request,
        lambda: services.publish_bulletin(bulletin=bulletin, by=request.user),
        success_message=_("The bulletin is published to every organization of its audience."),
        redirect_to=reverse("outreach:bulletin_detail", args=[bulletin.pk]),
    )


def _my_delivery(request, pk: int) -> BulletinDelivery:
    delivery = get_object_or_404(BulletinDelivery.objects.select_related("bulletin"), pk=pk)
    queries.access_bulletin(request.user, delivery.bulletin_id)
    require(rules.can_acknowledge(request.user, delivery))
    return delivery


@login_required
@require_POST
def delivery_read(request, pk: int):
    delivery = _my_delivery(request, pk)
    return run_transition(
        request,
        lambda: services.acknowledge(delivery=delivery, by=request.user),
        success_message=_("Read receipt sent."),
        redirect_to=reverse("outreach:bulletin_detail", args=[delivery.bulletin_id]),
    )


@login_required
@require_POST
def delivery_forwarded(request, pk: int):
    delivery = _my_delivery(request, pk)
    form = ForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give how many people or groups you forwarded it to."))
        return redirect("outreach:bulletin_detail", pk=delivery.bulletin_id)
    return run_transition(
        request,
        lambda: services.report_forwarding(
            delivery=delivery, by=request.user, forwarded=form.cleaned_data["forwarded"]
        ),
        success_message=_("Forwarding reported."),
        redirect_to=reverse("outreach:bulletin_detail", args=[delivery.bulletin_id]),
    )
