"""Forms of the supervision ledger, by page: tasks, dashboard, exports. The notice forms are in
`kexie.policy.notices.forms`. Public names are re-exported here."""

from kexie.policy.forms.dashboard import DashboardFilterForm, IndicatorValueForm, selected_notice
from kexie.policy.forms.exports import (
    XLSX_TYPE,
    BreakdownExportForm,
    BreakdownImportForm,
    BulletinForm,
    NoticeChoiceField,
    confirmed_notices,
    task_departments,
)
from kexie.policy.forms.tasks import (
    CaseForm,
    ChangeRequestForm,
    MilestoneForm,
    MultipleFileField,
    MultipleFileInput,
    NoteForm,
    ProgressForm,
    ReasonForm,
    ReminderForm,
    TaskEditForm,
    TaskFilterForm,
    TaskForm,
    department_choices,
)

__all__ = [
    "BreakdownExportForm",
    "BreakdownImportForm",
    "BulletinForm",
    "CaseForm",
    "ChangeRequestForm",
    "DashboardFilterForm",
    "IndicatorValueForm",
    "MilestoneForm",
    "MultipleFileField",
    "MultipleFileInput",
    "NoteForm",
    "NoticeChoiceField",
    "ProgressForm",
    "ReasonForm",
    "ReminderForm",
    "TaskEditForm",
    "TaskFilterForm",
    "TaskForm",
    "XLSX_TYPE",
    "confirmed_notices",
    "department_choices",
    "selected_notice",
    "task_departments",
]
