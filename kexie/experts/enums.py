from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class ProfessionalTitle(models.TextChoices):
    """职称, senior (正高) first."""

    PROFESSOR = "professor", _("professor")
    RESEARCHER = "researcher", _("research fellow")
    PROFESSOR_ENGINEER = "professor_engineer", _("professor-level senior engineer")
    CHIEF_PHYSICIAN = "chief_physician", _("chief physician")
    ASSOCIATE_PROFESSOR = "associate_professor", _("associate professor")
    ASSOCIATE_RESEARCHER = "associate_researcher", _("associate research fellow")
    SENIOR_ENGINEER = "senior_engineer", _("senior engineer")
    ASSOCIATE_CHIEF_PHYSICIAN = "associate_chief_physician", _("associate chief physician")
    LECTURER = "lecturer", _("lecturer")
    ASSISTANT_RESEARCHER = "assistant_researcher", _("assistant research fellow")
    ENGINEER = "engineer", _("engineer")
    OTHER = "other", _("other title")


class Honour(models.TextChoices):
    CAS_ACADEMICIAN = "cas_academician", _("academician of the Chinese Academy of Sciences")
    CAE_ACADEMICIAN = "cae_academician", _("academician of the Chinese Academy of Engineering")
    DISTINGUISHED_YOUNG = "distinguished_young", _("National Science Fund for Distinguished Young Scholars")
    CHANGJIANG = "changjiang", _("Changjiang Scholar")
    EXCELLENT_YOUNG = "excellent_young", _("National Science Fund for Excellent Young Scholars")
    STATE_COUNCIL_ALLOWANCE = "state_council_allowance", _("State Council special allowance")
    TEN_THOUSAND_TALENTS = "ten_thousand_talents", _("National Ten Thousand Talents Program")
    BAYU_SCHOLAR = "bayu_scholar", _("Bayu Scholar")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("available")
    BUSY = "busy", _("busy, by arrangement")
    UNAVAILABLE = "unavailable", _("not available")


class VerificationState(models.TextChoices):
    UNVERIFIED = "unverified", _("awaiting verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("returned to the expert")


class WorkKind(models.TextChoices):
    PAPER = "paper", _("publication")
    PROJECT = "project", _("project")
    PATENT = "patent", _("patent")


class WorkRole(models.TextChoices):
    FIRST_AUTHOR = "first_author", _("first or corresponding author")
    COAUTHOR = "coauthor", _("co-author")
    PI = "pi", _("principal investigator")
    CO_PI = "co_pi", _("co-principal investigator")
    MEMBER = "member", _("member")
    INVENTOR = "inventor", _("inventor")


class ConflictKind(models.TextChoices):
    ORGANIZATION = "organization", _("same organization")
    COAUTHOR = "coauthor", _("co-author or co-investigator")
    MENTORSHIP = "mentorship", _("advisor and student")
    CHANNEL = "channel", _("same nominating channel")


class SearchKind(models.TextChoices):
    """The kinds of search document this app owns (registered in experts/search.py)."""

    EXPERT = "expert", _("Expert")
