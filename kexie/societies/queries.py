"""Permission-scoped reads and the one access rule per object type."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.societies import rules
from kexie.societies.enums import PUBLIC_EVENT_STATES, DirectoryState, RegistrationState
from kexie.societies.models import (
    Alliance,
    CooperationProject,
    Directory,
    Event,
    Exchange,
    FoundingRequest,
    Inspection,
    Journal,
    Position,
    Registration,
    Society,
)


def _own(user) -> Q:
    return Q(organization_id__in=rules.society_organization_ids(user))


def societies_visible_to(user) -> QuerySet[Society]:
    societies = Society.objects.select_related("organization", "supervising_unit")
    if rules.sees_all(user):
        return societies
    return societies.filter(_own(user))


def own_societies(user) -> QuerySet[Society]:
    return Society.objects.select_related("organization").filter(_own(user))


def inspections_visible_to(user) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("society__organization")
    if rules.sees_all(user):
        return inspections
    return inspections.filter(society__organization_id__in=rules.society_organization_ids(user))


def founding_requests_visible_to(user) -> QuerySet[FoundingRequest]:
    requests = FoundingRequest.objects.select_related("supervising_unit", "society__organization")
    if rules.sees_all(user):
        return requests
    if not getattr(user, "is_authenticated", False):
        return requests.none()
    return requests.filter(created_by=user)


def events_visible_to(user) -> QuerySet[Event]:
    events = (
        Event.objects.select_related("society__organization", "parent")
        .annotate(
            n_registered=Count("registrations", filter=Q(registrations__state=RegistrationState.CONFIRMED))
        )
        .order_by("-starts_on", "-pk")
    )
    if rules.sees_all(user):
        return events
    condition = Q(state__in=PUBLIC_EVENT_STATES)
    own = rules.society_organization_ids(user)
    if own:
        condition |= Q(society__organization_id__in=own)
    return events.filter(condition)


def public_events() -> QuerySet[Event]:
    return events_visible_to(None)


def registrations_visible_to(user) -> QuerySet[Registration]:
    registrations = Registration.objects.select_related("event__society")
    if rules.is_manager(user):
        return registrations
    return registrations.filter(event__society__organization_id__in=rules.society_organization_ids(user))


def journals_visible_to(user) -> QuerySet[Journal]:
    """The journal registry is public information (CN/ISSN, publisher, indexing)."""
    return Journal.objects.select_related("society__organization").prefetch_related("indexing")


def directories_visible_to(user) -> QuerySet[Directory]:
    directories = Directory.objects.annotate(n_entries=Count("entries")).order_by("-year", "-pk")
    if rules.sees_all(user):
        return directories
    return directories.filter(state=DirectoryState.PUBLISHED)


def alliances_visible_to(user) -> QuerySet[Alliance]:
    alliances = Alliance.objects.select_related("lead_society__organization").annotate(
        n_members=Count("members")
    )
    if rules.sees_all(user):
        return alliances
    return alliances.filter(lead_society__organization_id__in=rules.society_organization_ids(user))


def projects_visible_to(user) -> QuerySet[CooperationProject]:
    projects = CooperationProject.objects.select_related("society__organization")
    if rules.sees_all(user):
        return projects
    return projects.filter(society__organization_id__in=rules.society_organization_ids(user))


def positions_visible_to(user) -> QuerySet[Position]:
    positions = Position.objects.select_related("organization", "expert")
    return positions if rules.can_view_international(user) else positions.none()


def exchanges_visible_to(user) -> QuerySet[Exchange]:
    exchanges = Exchange.objects.select_related("society__organization")
    return exchanges if rules.can_view_international(user) else exchanges.none()


# --- one access rule per object ---------------------------------------------------------------------


def access_society(user, pk) -> Society:
    return access(societies_visible_to(user), pk)


def access_inspection(user, pk) -> Inspection:
    return access(inspections_visible_to(user), pk)


def access_founding_request(user, pk) -> FoundingRequest:
    return access(founding_requests_visible_to(user), pk)


def access_event(user, pk) -> Event:
    return access(events_visible_to(user), pk)


def access_journal(user, pk) -> Journal:
    return access(journals_visible_to(user), pk)


def access_directory(user, pk) -> Directory:
    return access(directories_visible_to(user), pk)


def access_alliance(user, pk) -> Alliance:
    return access(alliances_visible_to(user), pk)


def access_project(user, pk) -> CooperationProject:
    return access(projects_visible_to(user), pk)


def access_position(user, pk) -> Position:
    return access(positions_visible_to(user), pk)


def access_exchange(user, pk) -> Exchange:
    return access(exchanges_visible_to(user), pk)


access_rules.register(
    "societies.society", visible=societies_visible_to, access=access_society, can_view=rules.can_view_society
)
access_rules.register(
    "societies.inspection",
    visible=inspections_visible_to,
    access=access_inspection,
    can_view=rules.can_view_inspection,
)
access_rules.register(
    "societies.founding_request", visible=founding_requests_visible_to, access=access_founding_request
)
access_rules.register("societies.event", visible=events_visible_to, access=access_event)
access_rules.register("societies.journal", visible=journals_visible_to, access=access_journal)
access_rules.register("societies.directory", visible=directories_visible_to, access=access_directory)
access_rules.register("societies.alliance", visible=alliances_visible_to, access=access_alliance)
access_rules.register("societies.project", visible=projects_visible_to, access=access_project)
access_rules.register("societies.position", visible=positions_visible_to, access=access_position)
