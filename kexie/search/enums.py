from django.db import models
from django.utils.translation import gettext_lazy as _


class Facet(models.TextChoices):
    """Fields a query can count hits by."""

    KIND = "kind", _("Kind")
    DISTRICT = "district", _("District")
    DISCIPLINE = "discipline", _("Discipline")
    INDUSTRY = "industry", _("Industry")
    FLAG = "flag", _("Flag")
    ORG = "org", _("Organization")
    YEAR = "year", _("Year")
