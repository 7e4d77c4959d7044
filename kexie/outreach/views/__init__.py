# ruff: noqa: F401 - the package re-exports the pages for urls.py
"""Pages of the outreach app, by part."""

from kexie.outreach.views.activities import (
    activity_cancel,
    activity_create,
    activity_edit,
    activity_import,
    activity_list,
    activity_publish,
    activity_report,
    checkin_codes,
    completeness,
    confirm,
    confirm_all,
    import_template,
)
from kexie.outreach.views.bulletins import (
    bulletin_create,
    bulletin_detail,
    bulletin_edit,
    bulletin_list,
    bulletin_publish,
    delivery_forwarded,
    delivery_read,
)
from kexie.outreach.views.places import (
    class_detail,
    nine_ledger,
    nine_progress,
    recognition,
    university_figures,
    venue_report,
    youth_detail,
    youth_list,
)
from kexie.outreach.views.public import (
    activity_detail,
    activity_ics,
    activity_map,
    calendar,
    calendar_ics,
    courtyard_detail,
    home,
    network,
    venue_detail,
)
from kexie.outreach.views.registry import registry_form, registry_list
from kexie.outreach.views.volunteers import (
    activity_sign_up,
    certificate,
    my_volunteering,
    scan,
    sign_up_cancel,
    statistics,
    team_detail,
    team_join,
    volunteer_detail,
    volunteer_list,
    volunteer_register,
)
