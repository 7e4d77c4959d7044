"""International science organizations, positions held (任职) and their duty support (履职服务),
recommendations for posts (推送), overseas experts, offshore bases and overseas partners, exchanges."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization, User
from kexie.core.reference import districts
from kexie.core.services import record_event, snapshot
from kexie.societies import rules
from kexie.societies.countries import COUNTRIES
from kexie.societies.enums import ExchangeKind, PartnerHost, PositionLevel, SupportKind
from kexie.societies.models import (
    DutySupport,
    Exchange,
    IntlOrganization,
    OffshoreBase,
    OverseasExpert,
    OverseasPartner,
    Position,
    PositionRecommendation,
    Society,
)
from kexie.societies.services.common import require
from kexie.transfer.enums import WorkstationKind


def _country(code: str, *, field: str = "country", required: bool = True) -> str:
    code = (code or "").strip().upper()
    if not code and not required:
        return ""
    if code not in COUNTRIES:
        raise ValidationError({field: _("Choose a country or region from the list.")})
    return code


@transaction.atomic
def create_intl_organization(
    *,
    by: User,
    name: str,
    name_en: str = "",
    acronym: str = "",
    country: str = "",
    founded_by_chongqing: bool = False,
) -> IntlOrganization:
    require(rules.can_manage_international(by))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("The organization needs a name.")})
    if IntlOrganization.objects.filter(name=name).exists():
        raise ValidationError({"name": _("“%(name)s” is already registered.") % {"name": name}})
    organization = IntlOrganization.objects.create(
        name=name,
        name_en=name_en.strip(),
        acronym=acronym.strip(),
        country=_country(country, required=False),
        founded_by_chongqing=founded_by_chongqing,
        created_by=by,
        updated_by=by,
    )
    record_event(organization, "societies.intl_organization.create", actor=by, after={"name": name})
    return organization


@transaction.atomic
def record_position(
    *, by: User, organization: IntlOrganization, expert, title: str, level: str, term_start, term_end=None
) -> Position:
    require(rules.can_manage_international(by))
    if not (title or "").strip():
        raise ValidationError({"title": _("Name the post.")})
    if level not in PositionLevel.values:
        raise ValidationError({"level": _("Choose the level of the post.")})
    if term_end and term_end < term_start:
        raise ValidationError({"term_end": _("The term ends before it starts.")})
    position = Position.objects.create(
        organization=organization,
        expert=expert,
        title=title.strip(),
        level=level,
        term_start=term_start,
        term_end=term_end,
        created_by=by,
        updated_by=by,
    )
    record_event(
        position,
        "societies.position.create",
        actor=by,
        after=snapshot(position, ["organization", "expert", "title", "term_start", "term_end"]),
    )
    return position


@transaction.atomic
def record_duty_support(*, by: User, position: Position, kind: str, date, note: str, amount=0) -> DutySupport:
    require(rules.can_manage_international(by))
    if kind not in SupportKind.values:
        raise ValidationError({"kind": _("Choose a kind of support.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Describe the support given.")})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    support = DutySupport.objects.create(
        position=position,
        kind=kind,
        date=date,
        note=note.strip(),
        amount=amount or 0,
        created_by=by,
        updated_by=by,
    )
    record_event(position, "societies.position.support", actor=by, after={"kind": kind, "date": date})
    return support


@transaction.atomic
def record_position_recommendation(
    *,
    organization: IntlOrganization,
    expert,
    post: str,
    recommended_on,
    by: User | None = None,
    source_ref: str | None = None,
) -> PositionRecommendation:
    """A recommendation (推送), recorded by staff or when a recommendation call's decision approves it
    (``source_ref`` names the submission; recording the same one twice returns the first)."""
    if by is not None:
        require(rules.can_manage_international(by))
    if source_ref:
        existing = PositionRecommendation.objects.filter(source_ref=source_ref).first()
        if existing:
            return existing
    if not (post or "").strip():
        raise ValidationError({"post": _("Name the post the expert is recommended for.")})
    recommendation = PositionRecommendation.objects.create(
        organization=organization,
        expert=expert,
        post=post.strip(),
        recommended_on=recommended_on,
        source_ref=source_ref or None,
        created_by=by,
        updated_by=by,
    )
    record_event(
        recommendation,
        "societies.recommendation.create",
        actor=by,
        actor_name="" if by else "calls",
        after={"organization": organization.pk, "expert": expert.pk, "post": post, "source": source_ref},
    )
    return recommendation


@transaction.atomic
def record_overseas_expert(
    *,
    by: User,
    expert,
    country: str,
    haizhi_expert: bool = False,
    haizhi_plan: bool = False,
    last_engaged_on=None,
    engagement: str = "",
) -> OverseasExpert:
    require(rules.can_manage_international(by))
    values = {
        "country": _country(country),
        "haizhi_expert": haizhi_expert,
        "haizhi_plan": haizhi_plan,
        "last_engaged_on": last_engaged_on,
        "engagement": engagement.strip(),
        "updated_by": by,
    }
    profile, created = OverseasExpert.objects.update_or_create(
        expert=expert, defaults=values, create_defaults={**values, "created_by": by}
    )
    record_event(
        profile,
        "societies.overseas_expert.save",
        actor=by,
        after=snapshot(profile, ["expert", "country", "haizhi_expert", "haizhi_plan", "last_engaged_on"]),
    )
    return profile


@transaction.atomic
def record_offshore_base(
    *, by: User, name: str, host: Organization, district: str, established_year: int
) -> OffshoreBase:
    require(rules.can_manage_international(by))
    if district and district not in districts():
        raise ValidationError({"district": _("Choose one of Chongqing's districts and counties.")})
    if OffshoreBase.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("“%(name)s” is already registered.") % {"name": name}})
    base = OffshoreBase.objects.create(
        name=name.strip(),
        host=host,
        district=district,
        established_year=established_year,
        created_by=by,
        updated_by=by,
    )
    record_event(base, "societies.offshore_base.create", actor=by, after={"name": base.name})
    return base


@transaction.atomic
def record_overseas_partner(
    *,
    by: User,
    name: str,
    country: str,
    since: int,
    workstation=None,
    base: OffshoreBase | None = None,
    projects: int = 0,
) -> OverseasPartner:
    require(rules.can_manage_international(by))
    if (workstation is None) == (base is None):
        raise ValidationError(_("A partner belongs to one Haizhi workstation or one offshore base."))
    if workstation is not None and workstation.kind != WorkstationKind.HAIZHI:
        raise ValidationError({"workstation": _("Overseas partners are recorded for Haizhi workstations.")})
    if not (name or "").strip():
        raise ValidationError({"name": _("Name the overseas partner.")})
    partner = OverseasPartner.objects.create(
        host_kind=PartnerHost.WORKSTATION if workstation else PartnerHost.OFFSHORE_BASE,
        workstation=workstation,
        base=base,
        name=name.strip(),
        country=_country(country),
        since=since,
        projects=projects,
        created_by=by,
        updated_by=by,
    )
    record_event(
        partner,
        "societies.overseas_partner.create",
        actor=by,
        after=snapshot(partner, ["host_kind", "workstation", "base", "name", "country"]),
    )
    return partner


@transaction.atomic
def record_exchange(
    *,
    by: User,
    kind: str,
    title: str,
    starts_on,
    countries,
    participants: int = 0,
    society: Society | None = None,
    note: str = "",
) -> Exchange:
    require(rules.can_manage_international(by))
    errors = {}
    if kind not in ExchangeKind.values:
        errors["kind"] = _("Choose a kind of exchange.")
    if not (title or "").strip():
        errors["title"] = _("The exchange needs a title.")
    codes = [str(c).strip().upper() for c in countries or [] if str(c).strip()]
    if not codes:
        errors["countries"] = _("Name at least one country or region.")
    elif [c for c in codes if c not in COUNTRIES]:
        errors["countries"] = _("Unknown country or region: %(codes)s.") % {
            "codes": ", ".join(c for c in codes if c not in COUNTRIES)
        }
    if errors:
        raise ValidationError(errors)
    exchange = Exchange.objects.create(
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        countries=list(dict.fromkeys(codes)),
        participants=participants or 0,
        society=society,
        note=note.strip(),
        created_by=by,
        updated_by=by,
    )
    record_event(
        exchange,
        "societies.exchange.create",
        actor=by,
        after=snapshot(exchange, ["kind", "title", "starts_on", "countries"]),
    )
    return exchange
