from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What a search document stands for; the id is that object's primary key."""

    EXPERT = "expert", _("Expert")
    ACHIEVEMENT = "achievement", _("Achievement")
    DEMAND = "demand", _("Demand")
    TEAM = "team", _("Service team")
    RESULT = "result", _("Think-tank result")


class Facet(models.TextChoices):
    """Fields a query can count hits by."""

    KIND = "kind", _("Kind")
    DISTRICT = "district", _("District")
    DISCIPLINE = "discipline", _("Discipline")
    INDUSTRY = "industry", _("Industry")
    FLAG = "flag", _("Flag")
    ORG = "org", _("Organization")
    YEAR = "year", _("Year")
