from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    SCIENCE_DAY = "science_day", _("National Science Day")
    SCIENCE_WEEK = "science_week", _("Science and Technology Week")
    CIVILISATION = "civilisation", _("New-era civilisation practice: talking science")
    OTHER = "other", _("Other campaign")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("lecture")
    EXHIBITION = "exhibition", _("exhibition")
    FAIR = "fair", _("science fair")
    TRAINING = "training", _("training")
    VISIT = "visit", _("open day or visit")
    COMPETITION = "competition", _("competition")
    CONSULTATION = "consultation", _("consultation")
    ONLINE = "online", _("online activity")


class Audience(models.TextChoices):
    PUBLIC = "public", _("the public")
    YOUTH = "youth", _("youth")
    FARMERS = "farmers", _("farmers")
    WORKERS = "workers", _("industrial workers")
    ELDERLY = "elderly", _("the elderly")
    OFFICIALS = "officials", _("civil servants")


class ActivityState(models.TextChoices):
    # Saved by its organiser, not yet public: no sign-ups, not in the calendar, search or figures.
    DRAFT = "draft", _("draft")
    REGISTERED = "registered", _("registered")
    REPORTED = "reported", _("reported")
    CANCELLED = "cancelled", _("activity cancelled")


# Activities the public does not see, volunteers cannot join and the indicators do not count.
HIDDEN_ACTIVITY_STATES = (ActivityState.DRAFT, ActivityState.CANCELLED)


class SignUpState(models.TextChoices):
    SIGNED_UP = "signed_up", _("signed up")
    CHECKED_IN = "checked_in", _("checked in")
    CHECKED_OUT = "checked_out", _("checked out")
    CONFIRMED = "confirmed", _("hours confirmed")
    CANCELLED = "cancelled", _("sign-up cancelled")


class TeamKind(models.TextChoices):
    VOLUNTEER_TEAM = "volunteer_team", _("science volunteer service team")
    EXPERT_TEAM = "expert_team", _("expert service team")


class Direction(models.TextChoices):
    IN = "in", _("check in")
    OUT = "out", _("check out")


class VenueKind(models.TextChoices):
    HEAD = "head", _("head museum")
    DISTRICT_MUSEUM = "district_museum", _("district science museum")
    MOBILE_MUSEUM = "mobile_museum", _("mobile science museum")
    CARAVAN = "caravan", _("science caravan")
    BASE = "base", _("science popularisation base")
    WEST_CENTRE = "west_centre", _("Western Science Popularisation Centre")


TOURING_KINDS = (VenueKind.MOBILE_MUSEUM, VenueKind.CARAVAN)


class ExhibitionKind(models.TextChoices):
    PERMANENT = "permanent", _("permanent exhibition")
    TEMPORARY = "temporary", _("temporary exhibition")
    TOURING = "touring", _("touring exhibition")


class TourStopState(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")


class BulletinAudience(models.TextChoices):
    ALL = "all", _("all districts and units")
    DISTRICTS = "districts", _("all district associations")
    UNITS = "units", _("all units")
    CHOSEN = "chosen", _("chosen organizations")


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class BulletinTopic(models.TextChoices):
    FLOOD = "flood", _("flood and geological hazards")
    HEAT = "heat", _("heat and drought")
    EARTHQUAKE = "earthquake", _("earthquake")
    EPIDEMIC = "epidemic", _("infectious disease")
    FIRE = "fire", _("fire")
    FOOD = "food", _("food safety")
    OTHER = "other", _("other emergency")


class ResidentDegree(models.TextChoices):
    DOCTOR = "doctor", _("agricultural doctor")
    MASTER = "master", _("agricultural master")


class LogKind(models.TextChoices):
    VISIT = "visit", _("field visit")
    TRAINING = "training", _("training")
    TECHNOLOGY = "technology", _("technology introduced")
    DEMONSTRATION = "demonstration", _("demonstration")


class AssociationLevel(models.TextChoices):
    CITY = "city", _("municipal")
    DISTRICT = "district", _("district")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


class SiteKind(models.TextChoices):
    DISTRICT = "district", _("demonstration district or county")
    COMMUNITY = "community", _("demonstration community")
    BASE = "base", _("demonstration base")


class TitleLevel(models.TextChoices):
    JUNIOR = "junior", _("assistant science communicator")
    INTERMEDIATE = "intermediate", _("science communicator")
    SENIOR_DEPUTY = "senior_deputy", _("associate senior science communicator")
    SENIOR = "senior", _("senior science communicator")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
