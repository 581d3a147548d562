# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime
import re
import secrets

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, getdate, now_datetime

from wangge_app.cases import GridCase
from wangge_app.history import latest
from wangge_app.resident_services.text import plain_text
from wangge_app.utils.due_times import DueTarget, add_due_time_indexes, set_due_time
from wangge_app.utils.validation import checked_mobile
from wangge_app.workflows import (  # the states of the Resident Request Workflow
	ACKNOWLEDGED,
	COORDINATING,
	FOLLOWED_UP,
	RECEIVED,
	REQUEST_CLOSED,
	RESOLVED,
	VISITED,
	WHISTLE_BLOWN,
)

RESIDENT_REQUEST = "Resident Request"
DEFAULT_GRADE = "Ordinary"
# Being handled: a request in these states can be chased.
HANDLING_STATES = (RECEIVED, ACKNOWLEDGED, VISITED, COORDINATING, WHISTLE_BLOWN)
OPEN_STATES = (*HANDLING_STATES, RESOLVED, FOLLOWED_UP)
DONE_STATES = (RESOLVED, FOLLOWED_UP, REQUEST_CLOSED)

IN_THE_GRID = "In the Grid"
BY_THE_COMMUNITY = "By the Community"
REFERRED = "Referred to a Department"
NOT_SATISFIED = "Not Satisfied"
SATISFACTIONS = ("Satisfied", "Basically Satisfied", NOT_SATISFIED)

# Bounds of what a person types (the guest page uses the same ones).
MAX_SUBJECT = 140
MAX_DESCRIPTION = 2000
MAX_NOTE = 1000

# The time limits of the request's grade, stored as due times (wangge_app/utils/due_times.py).
ACKNOWLEDGE_DUE = DueTarget(
	"Contact the Resident", "acknowledge_due_by", "acknowledged_at", "acknowledge_missed"
)
VISIT_DUE = DueTarget("Visit the Household", "visit_due_by", "visited_at", "visit_missed")
RESOLVE_DUE = DueTarget("Resolve the Request", "resolve_due_by", "resolved_at", "resolve_missed")
FOLLOW_UP_DUE = DueTarget("Follow Up", "follow_up_due_by", "followed_up_at", "follow_up_missed")
DUE_TARGETS = (ACKNOWLEDGE_DUE, VISIT_DUE, RESOLVE_DUE, FOLLOW_UP_DUE)

# How far ahead of the server's clock a device's "now" may be.
CLOCK_SKEW = datetime.timedelta(minutes=10)

# No 0/O, 1/I/L: a resident reads the code out over the phone. 10 characters: 49 bits.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10
TRACKING_PATTERN = re.compile(f"^[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}$")


class DuplicateRequestError(frappe.DuplicateEntryError):
	"""The same submission (a double tap, a form sent again) arrived twice."""


class ResidentRequest(GridCase):
	# The stamps the controller writes (contact, visit, resolution, follow-up and closing times, the
	# in-grid flag, counters, the step log, the due times) and the overdue job's (missed flags, log,
	# alert_to) are at permission level 2, which every role reads and none writes: Frappe resets them
	# before `validate` on every user save.
	initial_state = RECEIVED
	closed_states = (REQUEST_CLOSED,)
	due_targets = DUE_TARGETS

	def before_insert(self):
		self.submission_key = (self.submission_key or "").strip()[:140] or frappe.generate_hash(length=20)
		existing = frappe.db.get_value(RESIDENT_REQUEST, {"submission_key": self.submission_key})
		if existing:
			frappe.throw(
				_("This request has already been sent: {0}.").format(frappe.bold(existing)),
				DuplicateRequestError,
				title=_("Already Sent"),
			)
		self.tracking_code = new_tracking_code()

	def validate(self):
		self.check_workflow_save()
		self.clean_text()
		self.validate_place()
		self.validate_requester()
		self.validate_category_and_grade()
		self.validate_received_at()
		self.validate_referrals()
		self.validate_follow_ups()
		self.apply_state_change()
		self.set_resolved_in_grid()
		self.set_due_times()

	def clean_text(self):
		self.subject = plain_text(self.subject, "Request Title", MAX_SUBJECT, required=True)
		self.description = plain_text(
			self.description, "What the Resident Asks", MAX_DESCRIPTION, required=True
		)
		self.requester_name = plain_text(self.requester_name, "Requester Name", MAX_SUBJECT)
		self.resolution = plain_text(self.resolution, "What Was Done", MAX_DESCRIPTION)
		for row in self.referrals:
			row.asked = plain_text(row.asked, "What Was Asked", MAX_NOTE, required=True)
			row.answer = plain_text(row.answer, "Department's Answer", MAX_NOTE)
		for row in self.follow_ups:
			row.remarks = plain_text(row.remarks, "Remarks", MAX_NOTE)

	def validate_place(self):
		if self.requester and not self.household:
			self.household = frappe.db.get_value("Resident", self.requester, "household")
		if self.household:
			household_grid = frappe.db.get_value("Household", self.household, "grid")
			if self.grid and self.grid != household_grid and self.is_new():
				# The household decides: its grid's worker handles the request.
				self.grid = household_grid
			self.grid = self.grid or household_grid
		if not self.grid:
			frappe.throw(_("Choose the grid of the request, or the household it comes from."))

	def validate_requester(self):
		if self.requester:
			name, household, mobile = frappe.db.get_value(
				"Resident", self.requester, ["full_name", "household", "mobile"]
			)
			if household != self.household:
				frappe.throw(_("The requester must be a resident of the request's household."))
			self.requester_name = self.requester_name or name
			self.requester_phone = self.requester_phone or mobile
		self.requester_phone = (self.requester_phone or "").strip()
		if self.requester_phone:
			self.requester_phone = checked_mobile(self.requester_phone)

	def validate_category_and_grade(self):
		category = frappe.db.get_value(
			"Request Category", self.category, ["disabled", "default_grade"], as_dict=True
		)
		if not category:
			frappe.throw(_("Choose the category of the request."))
		if category.disabled and (self.is_new() or self.has_value_changed("category")):
			frappe.throw(
				_("The category {0} is no longer used; choose another.").format(frappe.bold(_(self.category)))
			)
		self.grade = self.grade or category.default_grade or DEFAULT_GRADE

	def validate_received_at(self):
		"""The time limits count from receipt, which cannot lie ahead (a phone's clock a few minutes ahead
		counts as now)."""
		if not self.received_at or not (self.is_new() or self.has_value_changed("received_at")):
			return
		now = now_datetime()
		received = get_datetime(self.received_at)
		if received > now + CLOCK_SKEW:
			frappe.throw(_("The time of receipt cannot be in the future."), title=_("Time in the Future"))
		self.received_at = min(received, now)

	def validate_referrals(self):
		"""Referrals are history (wangge_app/history.py): a recorded one stays as it was, but for the
		department's answer, written in once; the server stamps who recorded a new one."""
		before = self.get_doc_before_save()
		known = {row.name for row in before.referrals} if before else set()
		for row in self.referrals:
			if not row.department:
				frappe.throw(_("Referrals, row {0}: choose the department.").format(row.idx))
			row.referred_on = row.referred_on or getdate()
			if row.name not in known:
				if cint(frappe.db.get_value("Partner Department", row.department, "disabled")):
					frappe.throw(
						_("Referrals, row {0}: the department {1} is disabled.").format(
							row.idx, frappe.bold(row.department)
						)
					)
			if row.answered_on and not row.answer:
				frappe.throw(
					_("Referrals, row {0}: write the department's answer with its date.").format(row.idx)
				)
			if row.answer and not row.answered_on:
				row.answered_on = getdate()
			if row.answered_on and getdate(row.answered_on) < getdate(row.referred_on):
				frappe.throw(
					_("Referrals, row {0}: the answer cannot come before the referral.").format(row.idx)
				)

	def validate_follow_ups(self):
		"""Follow-ups are history (wangge_app/history.py): a recorded one stays as it was; the server
		stamps who recorded a new one and when (`followed_up_by`, `recorded_at`). The request's
		satisfaction is that of the valid follow-up recorded last, by the server's time."""
		before = self.get_doc_before_save()
		known = {row.name: row for row in before.follow_ups} if before else {}
		for row in self.follow_ups:
			if row.name in known:
				continue
			row.follow_up_method = row.follow_up_method or "Phone"
			row.follow_up_date = row.follow_up_date or getdate()
			if self.workflow_state != RESOLVED:
				frappe.throw(
					_("A follow-up is recorded once the request is resolved (it is {0}).").format(
						frappe.bold(_(self.workflow_state))
					),
					title=_("Not Resolved Yet"),
				)
			if getdate(row.follow_up_date) > getdate():
				frappe.throw(_("Follow-ups, row {0}: the date cannot be in the future.").format(row.idx))
			if self.resolved_at and getdate(row.follow_up_date) < getdate(self.resolved_at):
				frappe.throw(
					_("Follow-ups, row {0}: the follow-up cannot be before the resolution.").format(row.idx)
				)
			if row.reached and row.satisfaction not in SATISFACTIONS:
				frappe.throw(_("Follow-ups, row {0}: record how satisfied the resident is.").format(row.idx))
			if not row.reached:
				row.contacted = row.resolved = 0
				row.satisfaction = None
		last = latest(self.current_follow_ups())
		self.satisfaction = last.satisfaction if last else None

	def current_follow_ups(self) -> list:
		"""The valid follow-ups (the resident answered) since the last resolution (follow-ups are only
		ever added after the others, so their numbers say which came after it)."""
		start = cint(self.follow_up_round_start)
		return [row for row in self.follow_ups if row.reached and row.idx > start]

	def enter_state(self, state: str, now):
		note = None
		if state == ACKNOWLEDGED:
			self.acknowledged_at = self.acknowledged_at or now
		elif state == VISITED:
			self.visited_at = self.visited_at or now
		elif state == COORDINATING and self.previous_state == FOLLOWED_UP:
			self.reopen(now)
			note = _("Reopened: the resident is not satisfied.")
		elif state == COORDINATING:
			if self.handling_level not in (IN_THE_GRID, BY_THE_COMMUNITY):
				frappe.throw(
					_("Before coordinating, choose whether the request is handled {0} or {1}.").format(
						frappe.bold(_(IN_THE_GRID)), frappe.bold(_(BY_THE_COMMUNITY))
					),
					title=_("Handling Level Missing"),
				)
		elif state == WHISTLE_BLOWN:
			if not self.referrals:
				frappe.throw(
					_(
						"Blowing the whistle refers the request to departments: add a referral with the department and what is asked first."
					),
					title=_("Referral Missing"),
				)
			self.handling_level = REFERRED
			self.whistle_count = cint(self.whistle_count) + 1
		elif state == RESOLVED:
			if not self.resolution:
				frappe.throw(
					_("Write what was done before resolving the request."), title=_("Resolution Missing")
				)
			self.resolved_at = now
			# Follow-ups before this resolution were about an earlier one.
			self.follow_up_round_start = len(self.follow_ups)
		elif state == FOLLOWED_UP:
			if not self.current_follow_ups():
				frappe.throw(
					_("Record a follow-up in which the resident answered before completing the follow-up."),
					title=_("Follow-up Missing"),
				)
			self.followed_up_at = now
		elif state == REQUEST_CLOSED:
			if not self.followed_up_at:
				frappe.throw(_("A request is closed only after its follow-up."), title=_("Follow-up Missing"))
			if self.satisfaction == NOT_SATISFIED:
				frappe.throw(
					_("The resident is not satisfied: reopen the request instead of closing it."),
					title=_("Resident Not Satisfied"),
				)
			self.closed_at = now
		self.log_step(state, now, note)

	def reopen(self, now):
		"""Back to coordinating: resolution and follow-up are open again, with new time limits."""
		self.reopen_count = cint(self.reopen_count) + 1
		self.reopened_at = now
		self.resolved_at = self.followed_up_at = None
		self.resolve_missed = self.follow_up_missed = 0
		self.resolved_in_grid = 0

	def action_time(self):
		"""When the change happens: now, unless a record entered after the fact says when."""
		return get_datetime(self.flags.action_time) if self.flags.action_time else now_datetime()

	def log_step(self, state: str, at, note: str | None = None):
		self.append(
			"step_log",
			{
				"state": state,
				"step_time": at,
				"user": frappe.session.user,
				"handling_level": self.handling_level,
				"note": note,
			},
		)

	def set_resolved_in_grid(self):
		"""Resolved in the grid, as the history says: every step handled in the grid, no whistle blown,
		no department asked; nobody types it in."""
		levels = {row.handling_level for row in self.step_log if row.handling_level}
		self.resolved_in_grid = int(
			self.workflow_state in DONE_STATES
			and not cint(self.whistle_count)
			and not self.referrals
			and self.handling_level == IN_THE_GRID
			and levels <= {IN_THE_GRID}
		)

	def due_time_inputs(self, doc) -> tuple:
		"""The time limits are the grade's, counted from receipt (resolution: from the last reopening);
		the state says which are met."""
		return (
			doc.grade,
			get_datetime(doc.received_at),
			doc.workflow_state,
			get_datetime(doc.reopened_at) if doc.reopened_at else None,
		)

	def compute_due_times(self, met_too: bool = False):
		grade = frappe.get_cached_doc("Request Grade", self.grade)
		received = self.received_at
		set_due_time(self, ACKNOWLEDGE_DUE, received, **grade.time_limit("acknowledge"), met_too=met_too)
		set_due_time(self, VISIT_DUE, received, **grade.time_limit("visit"), met_too=met_too)
		resolve_from = self.reopened_at or received
		set_due_time(self, RESOLVE_DUE, resolve_from, **grade.time_limit("resolve"), met_too=met_too)
		set_due_time(self, FOLLOW_UP_DUE, self.resolved_at, **grade.time_limit("follow_up"), met_too=met_too)

	def assignment_description(self) -> str:
		return _("Resident request {0}: {1}").format(self.name, self.subject)


def new_tracking_code() -> str:
	while True:
		code = "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))
		if not frappe.db.exists(RESIDENT_REQUEST, {"tracking_code": code}):
			return code


def normalize_tracking_code(code) -> str | None:
	"""The stored form of a code as typed (any case, spaces or dashes), or None if malformed."""
	if not isinstance(code, str):
		return None
	raw = re.sub(r"[\s\-]", "", code).upper()
	return raw if TRACKING_PATTERN.match(raw) else None


@frappe.whitelist()
def chase(name=None, note=None) -> int:
	"""Chase (催办) a request: log it on the request and notify the users it is assigned to."""
	if not isinstance(name, str) or not frappe.db.exists(RESIDENT_REQUEST, name):
		frappe.throw(_("No such resident request."), frappe.DoesNotExistError)
	doc = frappe.get_doc(RESIDENT_REQUEST, name)
	if not doc.has_permission("write"):
		frappe.throw(_("You cannot chase this request."), frappe.PermissionError)
	if doc.workflow_state not in HANDLING_STATES:
		frappe.throw(_("Only a request still being handled can be chased."), title=_("Nothing to Chase"))
	note = plain_text(note, "Note", MAX_NOTE)
	now = now_datetime()
	row = doc.append("chases", {"chased_at": now, "chased_by": frappe.session.user, "note": note})
	row.db_insert()
	doc.db_set("chase_count", cint(doc.chase_count) + 1)
	subject = _("Request {0} was chased by {1}: {2}").format(
		doc.name, frappe.utils.get_fullname(frappe.session.user), doc.subject
	)
	for user in doc.responsible_users():
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"from_user": frappe.session.user,
				"type": "Alert",
				"document_type": RESIDENT_REQUEST,
				"document_name": doc.name,
				"subject": subject,
				"email_content": note or subject,
			}
		).insert(ignore_permissions=True)
	return cint(doc.chase_count)


def on_doctype_update():
	add_due_time_indexes(RESIDENT_REQUEST, DUE_TARGETS)
