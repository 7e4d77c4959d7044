"""Models of the outreach app, by part; import them from here."""

from kexie.outreach.models.activities import Activity, ActivityPhoto, Campaign
from kexie.outreach.models.bulletins import Bulletin, BulletinDelivery, BulletinTemplate
from kexie.outreach.models.recognition import (
    DemonstrationSite,
    ScienceTitle,
    YouthEvaluation,
    YouthResult,
)
from kexie.outreach.models.rural import (
    Courtyard,
    CourtyardOutcome,
    FarmerAssociation,
    NineMeasure,
    NineMeasureProgress,
    ServiceLog,
)
from kexie.outreach.models.university import (
    ClassSession,
    Course,
    CourseClass,
    Enrolment,
    Teacher,
    TeachingPoint,
)
from kexie.outreach.models.venues import Exhibition, TourStop, Venue, VenueReport
from kexie.outreach.models.volunteers import SignUp, StarLevel, Team, TeamMember, Volunteer

__all__ = [
    "Activity",
    "ActivityPhoto",
    "Bulletin",
    "BulletinDelivery",
    "BulletinTemplate",
    "Campaign",
    "ClassSession",
    "Course",
    "CourseClass",
    "Courtyard",
    "CourtyardOutcome",
    "DemonstrationSite",
    "Enrolment",
    "Exhibition",
    "FarmerAssociation",
    "NineMeasure",
    "NineMeasureProgress",
    "ScienceTitle",
    "ServiceLog",
    "SignUp",
    "StarLevel",
    "Teacher",
    "TeachingPoint",
    "Team",
    "TeamMember",
    "TourStop",
    "Venue",
    "VenueReport",
    "Volunteer",
    "YouthEvaluation",
    "YouthResult",
]
