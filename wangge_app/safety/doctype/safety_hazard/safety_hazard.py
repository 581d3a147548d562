# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, getdate, now

from wangge_app.cases import GridCase
from wangge_app.history import latest
from wangge_app.safety.doctype.safety_settings.safety_settings import deadline_days
from wangge_app.safety.places import set_place
from wangge_app.utils.due_times import DueTarget, add_due_time_indexes, set_due_time
from wangge_app.workflows import (  # the states of the Safety Hazard Workflow
	HAZARD_CLOSED,
	NOTICE_ISSUED,
	RECTIFYING,
	REFERRED_TO_DEPARTMENT,
	REGISTERED,
	REINSPECTED,
	SECOND_NOTICE_ISSUED,
)

RISK_LEVELS = ("General", "Significant", "Major")
PASSED = "Passed"
FAILED = "Failed"

# 五落实: what a hazard must hold before a rectification notice goes out.
FIVE_IMPLEMENTATIONS = (
	"responsible_party",
	"measures",
	"funds",
	"rectification_deadline",
	"contingency_plan",
)

# The rectification deadline as a due time (wangge_app/utils/due_times.py): met when the hazard is closed.
TARGET_RECTIFICATION = "Rectification"
RECTIFICATION_DUE = DueTarget(
	TARGET_RECTIFICATION, "rectification_due_by", "rectified_at", "rectification_missed"
)
DUE_TARGETS = (RECTIFICATION_DUE,)
# A hazard that is closed or referred to a department is no longer the community's to rectify.
FINISHED_STATES = (HAZARD_CLOSED, REFERRED_TO_DEPARTMENT)


class SafetyHazard(GridCase):
	# The notice, referral, closing and rectifying stamps, the due time and the overdue job's fields
	# are at permission level 2, which every role reads and none writes: Frappe resets them to their
	# saved values on every save but Administrator's and ignore_permissions ones.
	initial_state = REGISTERED
	new_case_keeps_given_state = True
	closed_states = FINISHED_STATES
	due_targets = DUE_TARGETS

	def validate(self):
		self.check_workflow_save()
		set_place(self)
		self.hazard_title = (self.hazard_title or "").strip()
		self.set_deadline()
		self.validate_checks()
		self.apply_state_change()
		self.set_due_times()

	def action_time(self):
		"""When the change happens: now, on Frappe's own `frappe.flags.current_date` when that is set
		(tests of deadlines, the sample history)."""
		return get_datetime(now())

	def set_deadline(self):
		"""A new hazard's deadline follows from its risk level (Safety Settings), counted from the day it
		was found; a deadline typed in may not be in the past."""
		if getdate(self.found_on) > self.action_time().date():
			frappe.throw(_("The day the hazard was found cannot be in the future."))
		if not self.rectification_deadline:
			self.rectification_deadline = add_days(self.found_on, deadline_days(self.risk_level))
			return
		before = self.get_doc_before_save()
		if before and getdate(before.rectification_deadline) == getdate(self.rectification_deadline):
			return
		if getdate(self.rectification_deadline) < self.action_time().date():
			frappe.throw(
				_("The rectification deadline {0} is in the past; choose today or a later day.").format(
					frappe.bold(frappe.format(self.rectification_deadline, "Date"))
				),
				title=_("Deadline in the Past"),
			)

	def validate_checks(self):
		"""Each new acceptance check has its result and a photo of it; a failed one says why the hazard
		stays open. Recorded checks are history (wangge_app/history.py): they stay as recorded, and the
		server stamps who recorded a new one and when (`checked_by`, `recorded_at`)."""
		before = self.get_doc_before_save()
		known = {row.name for row in before.acceptance_checks} if before else set()
		for row in self.acceptance_checks:
			if row.name in known:
				continue
			if row.result not in (PASSED, FAILED):
				frappe.throw(_("Acceptance checks, row {0}: choose the result.").format(row.idx))
			if not row.result_photo:
				frappe.throw(
					_("Acceptance checks, row {0}: attach a photo of the result.").format(row.idx),
					title=_("Result Photo Missing"),
				)
			row.explanation = (row.explanation or "").strip()
			if row.result == FAILED and not row.explanation:
				frappe.throw(
					_(
						"Acceptance checks, row {0}: a failed check needs a written explanation of why the hazard stays open."
					).format(row.idx),
					title=_("Explanation Missing"),
				)
			if getdate(row.check_date) > self.action_time().date():
				frappe.throw(
					_("Acceptance checks, row {0}: the check date cannot be in the future.").format(row.idx)
				)

	def enter_state(self, state: str, now):
		if self.is_overdue and not (self.delay_explanation or "").strip() and state != REFERRED_TO_DEPARTMENT:
			frappe.throw(
				_("The hazard missed its rectification deadline: first write why, in {0}.").format(
					frappe.bold(_("Why the Deadline Was Missed"))
				),
				title=_("Explanation Missing"),
			)
		if (
			state in (NOTICE_ISSUED, SECOND_NOTICE_ISSUED)
			and getdate(self.rectification_deadline) < now.date()
		):
			frappe.throw(
				_(
					"The rectification deadline has passed: the community manager sets the notice's new deadline first, through {0}."
				).format(frappe.bold(_("Change Time Limit"))),
				title=_("New Deadline Missing"),
			)
		if state == NOTICE_ISSUED:
			self.check_five_implementations()
			self.notice_issued_on = now.date()
		elif state == SECOND_NOTICE_ISSUED:
			self.second_notice_on = now.date()
		elif state == RECTIFYING:
			self.rectifying_since = now
		elif state == REINSPECTED:
			if not self.latest_check(since=self.rectifying_since):
				frappe.throw(
					_("Record the acceptance check first: its date, result and a photo of the result."),
					title=_("Acceptance Check Missing"),
				)
		elif state == HAZARD_CLOSED:
			latest = self.latest_check()
			if not latest or latest.result != PASSED:
				frappe.throw(
					_("A hazard is closed only after an acceptance check has passed."),
					title=_("Acceptance Check Not Passed"),
				)
			self.closed_on = now.date()
			self.rectified_at = now
		elif state == REFERRED_TO_DEPARTMENT:
			if not self.referred_to:
				frappe.throw(
					_("Choose the department the hazard is referred to in {0}, and save, first.").format(
						frappe.bold(_("Referred To"))
					),
					title=_("Department Missing"),
				)
			self.referred_on = now.date()

	def check_five_implementations(self):
		missing = [
			_(self.meta.get_label(fieldname))
			for fieldname in FIVE_IMPLEMENTATIONS
			if not str(self.get(fieldname) or "").strip()
		]
		if missing:
			frappe.throw(
				_("A rectification notice needs all of the 五落实. Missing: {0}.").format(
					", ".join(frappe.bold(label) for label in missing)
				),
				title=_("五落实 Incomplete"),
			)

	def latest_check(self, since=None):
		"""The acceptance check recorded last by the server's time, not by its place in the table (recorded
		at or after `since`, if given)."""
		return latest(
			[
				row
				for row in self.acceptance_checks
				if not since or (row.recorded_at and get_datetime(row.recorded_at) >= get_datetime(since))
			]
		)

	def due_time_inputs(self, doc) -> tuple:
		return (getdate(doc.rectification_deadline),)

	def compute_due_times(self, met_too: bool = False):
		"""The deadline as a due time: the end of the deadline's day. A new deadline (a second notice's)
		may be missed, and alerted, once more."""
		if self.rectified_at:
			return
		set_due_time(self, RECTIFICATION_DUE, getdate(self.rectification_deadline), days=1)
		# The new deadline may be missed and alerted once more; the hazard stays marked overdue, since
		# it missed one (its next notice still needs the delay explained).
		if self.rectification_missed and get_datetime(self.rectification_due_by) > self.action_time():
			self.rectification_missed = 0

	def record_missed_due_time(self, target: str, due_at, now, users: list[str]):
		"""A hazard notes its missed deadline on its timeline."""
		self.add_comment(
			"Info",
			_("Rectification deadline missed (due {0}); alerted: {1}.").format(
				frappe.format(due_at, "Datetime"), ", ".join(users)
			),
		)

	def assignment_description(self) -> str:
		return _("Safety hazard {0}: {1}").format(self.name, self.hazard_title)

	def print_details(self) -> dict:
		"""What the rectification notice prints besides the hazard's own fields."""
		inspection_items = []
		if self.inspection:
			inspection_items = frappe.get_all(
				"Safety Inspection Item",
				{"parent": self.inspection, "parenttype": "Safety Inspection", "hazard": self.name},
				["item", "note"],
				order_by="idx",
			)
		return {
			"items": inspection_items or [frappe._dict(item=self.hazard_title, note=self.description)],
			"second_notice": bool(self.second_notice_on),
		}


def on_doctype_update():
	add_due_time_indexes("Safety Hazard", DUE_TARGETS)
