from django.db import models
from django.utils.translation import gettext_lazy as _


class SocietyKind(models.TextChoices):
    SOCIETY = "society", _("Society (学会)")
    ASSOCIATION = "association", _("Association (协会)")
    RESEARCH = "research", _("Research society (研究会)")


class SocietyGrade(models.TextChoices):
    """The evaluation grade of a society (社会组织评估等级)."""

    AAAAA = "5A", _("5A")
    AAAA = "4A", _("4A")
    AAA = "3A", _("3A")
    AA = "2A", _("2A")
    A = "1A", _("1A")


class InspectionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Reviewed")


class InspectionRating(models.TextChoices):
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class FoundingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AllianceKind(models.TextChoices):
    CROSS_DISCIPLINE = "cross_discipline", _("Cross-discipline alliance")
    INDUSTRY_ACADEMIA = "industry_academia", _("Industry–academia collaboration organization")
    OVERSEAS = "overseas", _("Sci-tech China overseas innovation alliance")
    YOUTH = "youth", _("Sci-tech China youth innovation alliance")
    TECH_INNOVATION = "tech_innovation", _("Technology innovation alliance")


class CooperationKind(models.TextChoices):
    DISTRICT = "district", _("Society–district cooperation (会地合作)")
    ENTERPRISE = "enterprise", _("Society–enterprise collaboration (会企协作)")


class CooperationState(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")


class EventKind(models.TextChoices):
    NATIONAL_CONFERENCE = "national", _("National conference")
    INTERNATIONAL_CONFERENCE = "international", _("International conference")
    SYMPOSIUM = "symposium", _("Academic symposium")
    SALON = "salon", _("Thematic salon")
    BIMONTHLY_FORUM = "bimonthly", _("Sci-tech China @ Chongqing bimonthly forum")
    ANNUAL_MEETING = "annual", _("Annual meeting")
    SUB_FORUM = "sub_forum", _("Sub-forum")


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Application submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REPORTED = "reported", _("Held, report filed")
    CANCELLED = "cancelled", _("Cancelled")


# States in which an event has a public page and may take registrations (when open).
PUBLIC_EVENT_STATES = (EventState.APPROVED, EventState.REPORTED)


class RegistrationState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class DirectoryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PositionLevel(models.TextChoices):
    PRESIDENT = "president", _("President or vice president")
    EXECUTIVE = "executive", _("Executive board or council member")
    COMMITTEE = "committee", _("Committee chair or member")
    SECRETARIAT = "secretariat", _("Secretariat post")
    OTHER = "other", _("Other post")


class SupportKind(models.TextChoices):
    TRAVEL = "travel", _("Travel funding")
    MEETING = "meeting", _("Hosting a meeting")
    TRAINING = "training", _("Training")
    LIAISON = "liaison", _("Liaison and consultation")


class RecommendationState(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended")
    ELECTED = "elected", _("Elected")
    NOT_ELECTED = "not_elected", _("Not elected")


class ExchangeKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming delegation")
    OUTGOING = "outgoing", _("Outgoing delegation")
    POPULARIZATION = "popularization", _("International science popularization activity")
    YOUTH = "youth", _("Youth exchange")
    COOPERATION = "cooperation", _("Cooperation with an overseas organization")


class PartnerHost(models.TextChoices):
    WORKSTATION = "workstation", _("Haizhi workstation")
    OFFSHORE_BASE = "offshore_base", _("Offshore innovation base")


class SearchKind(models.TextChoices):
    """The kinds of search document this app owns (registered in societies/search.py)."""

    SOCIETY = "society", _("Society")
    JOURNAL = "journal", _("Journal")
