"""Every write of the think tank, by noun; `from kexie.thinktank.services import issue_brief`."""

from kexie.thinktank.services.briefs import (
    create_brief,
    issue_brief,
    next_issue_number,
    recommend_brief_to_cast,
    record_feedback,
    review_brief,
    sign_off_brief,
    submit_brief,
    update_brief,
)
from kexie.thinktank.services.events import (
    add_viewpoint,
    create_event,
    link_worker_survey,
    set_headline_figures,
)
from kexie.thinktank.services.network import record_output, save_base
from kexie.thinktank.services.projects import (
    add_milestone,
    award_topic_project,
    complete_milestone,
    create_project,
    record_review,
    set_contract,
)
from kexie.thinktank.services.questions import (
    add_topic,
    create_guide,
    curate_question,
    merge_question,
    propose_question,
    publish_guide,
)
from kexie.thinktank.services.results import (
    add_result,
    publish_to_column,
    read_result_file,
    recommend_result_to_cast,
    set_access,
    withdraw_from_column,
)

__all__ = [
    "add_milestone",
    "add_result",
    "add_topic",
    "add_viewpoint",
    "award_topic_project",
    "complete_milestone",
    "create_brief",
    "create_event",
    "create_guide",
    "create_project",
    "curate_question",
    "issue_brief",
    "link_worker_survey",
    "merge_question",
    "next_issue_number",
    "propose_question",
    "publish_guide",
    "publish_to_column",
    "read_result_file",
    "recommend_brief_to_cast",
    "recommend_result_to_cast",
    "record_feedback",
    "record_output",
    "record_review",
    "review_brief",
    "save_base",
    "set_access",
    "set_contract",
    "set_headline_figures",
    "sign_off_brief",
    "submit_brief",
    "update_brief",
    "withdraw_from_column",
]
