# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""What the app's cases share: dispute cases, residents' requests, safety hazards and assisted services.

A case is a record that its workflow takes from a first state to a closed one, and that prints as a
Chinese document (`CaseDocument`). A case the grid's workers handle (`GridCase`: disputes, requests,
hazards) is also assigned to them when registered, has due times (wangge_app/utils/due_times.py) whose
misses the overdue job (wangge_app/overdue.py) records and alerts (wangge_app/alerts.py), and ends its
assignments when it is closed.

Each DocType's controller keeps what is its own and declares its differences as class attributes
(its first and closed states, its due targets) and small methods (what a new state needs, what its
due times are computed from, the text of its assignment).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import validate_workflow
from frappe.utils import now_datetime

from wangge_app.utils.assignment import assign, close_assignments, nearest_grid_workers
from wangge_app.utils.due_times import DueTarget, next_due_time
from wangge_app.utils.workflow import validate_workflow_save

# The prints are Chinese documents whatever the language of the user printing them.
PRINT_LANGUAGE = "zh"

# The DocTypes whose controllers are GridCases with due times: the overdue job checks them all.
CASES_WITH_DUE_TIMES = ("Dispute Case", "Resident Request", "Safety Hazard")


class CaseDocument(Document):
	# The workflow state a new case starts in.
	initial_state: str
	# A new case may be saved in a later state than `initial_state` (Frappe's workflow then checks the
	# transition from the first state); otherwise every new case starts in it, whatever it was sent with.
	new_case_keeps_given_state = False

	def check_workflow_save(self):
		"""First thing in `validate`: the state of a new case, the workflow's rules for any save, and
		`previous_state`, the state before this save (None for a new case)."""
		if self.is_new():
			given = self.workflow_state if self.new_case_keeps_given_state else None
			self.workflow_state = given or self.initial_state
		self.previous_state = validate_workflow_save(self)

	def apply_state_change(self):
		"""What entering a new workflow state means for the case (`enter_state`)."""
		if self.workflow_state == self.previous_state:
			return
		if not self.is_new():
			# A forbidden transition is refused as such, before the state's own checks.
			validate_workflow(self)
		self.enter_state(self.workflow_state, self.action_time())

	def enter_state(self, state: str, now) -> None:
		"""Check what `state` needs and record what entering it means, at `now`."""

	def action_time(self):
		"""When a change happens."""
		return now_datetime()

	def get_print_details(self) -> dict:
		"""What the case's prints show besides its own fields (and `print_details`)."""
		grid = frappe.get_cached_doc("Grid", self.grid)
		card = grid.get_contact_card_details()
		return {
			"community": card["community"] or "",
			# A case of the community itself (no grid below it) names the community's grid.
			"grid_path": card["grid_path"] or grid.grid_name,
			"zh": lambda text: _(text, lang=PRINT_LANGUAGE) if text else "",
			**self.print_details(),
		}

	def print_details(self) -> dict:
		return {}


class GridCase(CaseDocument):
	# States in which the case's work is done: its assignments end, its due times are no longer checked.
	closed_states: tuple[str, ...] = ()
	# The case's time targets, stored as due times on the case.
	due_targets: tuple[DueTarget, ...] = ()

	def assignment_description(self) -> str:
		"""The text of the case's assignments in the to-do lists."""
		raise NotImplementedError

	def after_insert(self):
		self.assign(self.grid_workers())

	def on_update(self):
		if self.is_new() or self.workflow_state == self.previous_state:
			return
		self.after_state_change()

	def after_state_change(self):
		"""Once a new state is saved: entering a closed state ends the open assignments."""
		if self.workflow_state in self.closed_states and self.previous_state not in self.closed_states:
			close_assignments(self)

	def grid_workers(self) -> list[str]:
		"""The grid workers nearest to the case's grid, up the grid tree."""
		return nearest_grid_workers(self.grid)

	def assign(self, users: list[str]):
		assign(self, users, self.assignment_description())

	def open_assignees(self) -> list[str]:
		return sorted(
			set(
				frappe.get_all(
					"ToDo",
					{"reference_type": self.doctype, "reference_name": self.name, "status": "Open"},
					pluck="allocated_to",
				)
			)
		)

	def responsible_users(self) -> list[str]:
		"""Who answers for the case now: its open assignments, else the grid workers, else its owner."""
		return self.open_assignees() or self.grid_workers() or [self.owner]

	def set_due_times(self, force: bool = False, met_too: bool = False):
		"""Compute the due times on registration and whenever what they depend on changes
		(`due_time_inputs`); `force` recomputes them anyway, `met_too` the met ones too (for records
		stored before the due times were). `next_due_by`, where the case keeps it, is the earliest still
		open."""
		before = self.get_doc_before_save()
		if force or self.is_new() or not before or self.due_time_inputs(self) != self.due_time_inputs(before):
			self.compute_due_times(met_too=met_too)
		if self.meta.has_field("next_due_by"):
			closed = self.workflow_state in self.closed_states
			self.next_due_by = None if closed else next_due_time(self, self.due_targets)

	def due_time_inputs(self, doc) -> tuple:
		"""What the due times of `doc` (this case, or its version before the save) are computed from."""
		raise NotImplementedError

	def compute_due_times(self, met_too: bool = False) -> None:
		raise NotImplementedError

	def on_missed_due_time(self, target: str, due_at, now):
		"""The overdue job found `target` missed (once per miss): record it and name whom to alert in
		`alert_to`. The alert is the Notification on this method (wangge_app/alerts.py)."""
		users = self.responsible_users()
		self.record_missed_due_time(target, due_at, now, users)
		self.db_set("alert_to", ",".join(users), update_modified=False)

	def record_missed_due_time(self, target: str, due_at, now, users: list[str]) -> None:
		"""A row in the case's log of missed due times."""
		row = self.append(
			"overdue_log",
			{"target": target, "due_at": due_at, "noticed_at": now, "notified_users": "\n".join(users)},
		)
		row.db_insert()
