# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime
from frappe.utils.user import get_users_with_role

from wangge_app.cases import GridCase
from wangge_app.mediation.doctype.mediation_settings.mediation_settings import get_time_targets
from wangge_app.permissions import user_grids
from wangge_app.roles import GRID_WORKER, MEDIATOR
from wangge_app.utils.assignment import unassign
from wangge_app.utils.due_times import DueTarget, add_due_time_indexes, set_due_time
from wangge_app.utils.masking import mask_phone
from wangge_app.workflows import (  # the states of the Dispute Case Workflow
	AGREEMENT_REACHED,
	ESCALATED,
	FOLLOW_UP,
	JOINT_HANDLING,
	ON_SITE,
	REFERRED,
	REPORTED,
)
from wangge_app.workflows import CASE_CLOSED as CLOSED

TIERS = ("Ordinary", "Complex", "Major")

# States from which the mediation may end without an agreement.
MEDIATING_STATES = (JOINT_HANDLING, ESCALATED)

OUTCOME_AGREEMENT = "Agreement Reached"
OUTCOME_REFERRED = "Referred"
OUTCOMES_WITHOUT_AGREEMENT = ("Withdrawn by Parties", "Not Resolved")

# The four steps of the method, as logged in the step log.
STEP_DISCOVERY = "Discovery"
STEP_ARRIVAL = "Arrival on Site"
STEP_JOINT_HANDLING = "Joint Handling"
STEP_FOLLOW_UP = "Follow-up Visit"

# The time targets of Mediation Settings, stored on the case (wangge_app/utils/due_times.py).
TARGET_ARRIVAL = "Arrival on Site"
TARGET_SETTLEMENT = "Settlement"
TARGET_FOLLOW_UP = "Follow-up Visit"
ARRIVAL_DUE = DueTarget(TARGET_ARRIVAL, "arrival_due_by", "arrived_at", "arrival_missed")
SETTLEMENT_DUE = DueTarget(TARGET_SETTLEMENT, "settlement_due_by", "settled_at", "settlement_missed")
FOLLOW_UP_DUE = DueTarget(TARGET_FOLLOW_UP, "follow_up_due_by", "followed_up_at", "follow_up_missed")
DUE_TARGETS = (ARRIVAL_DUE, SETTLEMENT_DUE, FOLLOW_UP_DUE)


class DisputeCase(GridCase):
	# The stamps the controller writes as the case moves on (arrived_at, escalated_at, settled_at,
	# followed_up_at, closed_at, the step log, the due times) and the overdue job's (is_overdue, the
	# missed flags, the missed time targets, alert_to) are at
	# permission level 2, which every role reads and none writes: Frappe resets them to their
	# saved values before `validate` on every save but Administrator's and ignore_permissions ones.
	initial_state = REPORTED
	new_case_keeps_given_state = True
	closed_states = (CLOSED,)
	due_targets = DUE_TARGETS

	def validate(self):
		self.check_workflow_save()
		self.keep_tier()
		self.validate_grid()
		self.validate_parties()
		self.collect_households()
		self.validate_handlers()
		self.apply_state_change()
		self.validate_times()
		self.log_follow_up_visits()
		self.validate_outcome()
		self.set_due_times()

	def keep_tier(self):
		"""The tier is chosen when the case is registered; afterwards only escalation and referral
		raise it (in `apply_state_change`), and no save changes it."""
		if self.is_new():
			self.tier = self.tier or TIERS[0]
			return
		before = self.get_doc_before_save()
		if before and self.tier != before.tier:
			frappe.throw(
				_(
					"The tier of case {0} is {1}. It is set when the case is registered; afterwards only escalation and referral raise it."
				).format(frappe.bold(self.name), frappe.bold(_(before.tier))),
				title=_("Tier Cannot Be Changed"),
			)

	def validate_grid(self):
		if not self.grid and self.households:
			self.grid = frappe.db.get_value("Household", self.households[0].household, "grid")
		if not self.grid:
			frappe.throw(_("Choose the grid where the dispute happened."))

	def validate_parties(self):
		if not self.parties:
			frappe.throw(_("Name at least one party of the dispute."))
		for row in self.parties:
			row.party_name = (row.party_name or "").strip()
			if row.resident:
				resident = frappe.db.get_value("Resident", row.resident, ["full_name", "household", "mobile"])
				row.party_name = row.party_name or resident[0]
				row.household = resident[1]
				row.phone = row.phone or resident[2]
			elif not row.party_name:
				frappe.throw(
					_("Parties, row {0}: choose a resident or enter the name of the party.").format(row.idx)
				)
			row.phone_masked = mask_phone(row.phone)

	def collect_households(self):
		"""The households of resident parties are involved in the dispute."""
		involved = {row.household for row in self.households}
		for row in self.parties:
			if row.household and row.household not in involved:
				self.append("households", {"household": row.household})
				involved.add(row.household)

	def validate_handlers(self):
		for row in self.handlers:
			if row.user and not row.handler_name:
				row.handler_name = frappe.db.get_value("User", row.user, "full_name")
			if not (row.handler_name or "").strip():
				frappe.throw(
					_("Handlers, row {0}: choose a user or enter the handler's name.").format(row.idx)
				)

	def enter_state(self, state: str, now):
		if self.is_new():
			self.log_step(STEP_DISCOVERY, self.discovered_at)
		elif state == ON_SITE:
			self.arrived_at = self.arrived_at or now
			self.log_step(STEP_ARRIVAL, self.arrived_at)
		elif state == JOINT_HANDLING:
			self.log_step(STEP_JOINT_HANDLING, now)
		elif state == ESCALATED:
			self.raise_tier("Complex")
			self.escalated_at = now
		elif state == REFERRED:
			self.raise_tier("Major")
			self.outcome = OUTCOME_REFERRED
			self.settled_at = now
		elif state == AGREEMENT_REACHED:
			self.outcome = OUTCOME_AGREEMENT
			self.settled_at = now
			self.agreement_reached_by = frappe.session.user
		elif state == FOLLOW_UP and self.previous_state in MEDIATING_STATES:
			if self.outcome not in OUTCOMES_WITHOUT_AGREEMENT:
				frappe.throw(
					_(
						"To end the mediation without an agreement, first set the outcome to {0} or {1}."
					).format(*(frappe.bold(_(outcome)) for outcome in OUTCOMES_WITHOUT_AGREEMENT))
				)
			self.settled_at = now
		elif state == CLOSED:
			if not self.follow_up_visits:
				frappe.throw(
					_("A case can only be closed after at least one follow-up visit."),
					title=_("Follow-up Visit Missing"),
				)
			self.closed_at = now

	def raise_tier(self, tier: str):
		if TIERS.index(tier) > TIERS.index(self.tier or TIERS[0]):
			self.tier = tier

	def log_step(self, step: str, at, note: str | None = None):
		self.append(
			"step_log", {"step": step, "step_time": at, "recorded_by": frappe.session.user, "note": note}
		)

	def validate_times(self):
		discovered_at = get_datetime(self.discovered_at)
		if discovered_at > now_datetime():
			frappe.throw(_("The time of discovery cannot be in the future."))
		if self.arrived_at and get_datetime(self.arrived_at) < discovered_at:
			frappe.throw(
				_("Arrival on site ({0}) cannot be before the dispute was discovered ({1}).").format(
					frappe.format(self.arrived_at, "Datetime"), frappe.format(self.discovered_at, "Datetime")
				),
				title=_("Arrival Before Discovery"),
			)
		for row in self.follow_up_visits:
			if getdate(row.visit_date) < discovered_at.date():
				frappe.throw(
					_(
						"Follow-up visits, row {0}: the visit cannot be before the dispute was discovered."
					).format(row.idx)
				)

	def log_follow_up_visits(self):
		before = self.get_doc_before_save()
		known = {row.name for row in before.follow_up_visits} if before else set()
		for row in self.follow_up_visits:
			if row.name not in known:
				row.visited_by = row.visited_by or frappe.session.user
				self.log_step(STEP_FOLLOW_UP, now_datetime(), row.result)
				self.followed_up_at = self.followed_up_at or now_datetime()

	def validate_outcome(self):
		self.agreement_terms = (self.agreement_terms or "").strip()
		if self.outcome == OUTCOME_AGREEMENT and not self.agreement_terms:
			frappe.throw(_("An agreement needs its agreed terms."), title=_("Agreed Terms Missing"))
		if self.workflow_state == CLOSED and not self.outcome:
			frappe.throw(_("Set the outcome before closing the case."))

	def due_time_inputs(self, doc) -> tuple:
		"""The time targets are the tier's, counted from discovery; the state says which are met.
		Escalation raises the tier, so the targets move."""
		return (doc.tier, doc.workflow_state, get_datetime(doc.discovered_at))

	def compute_due_times(self, met_too: bool = False):
		target = get_time_targets()[self.tier]
		start = self.discovered_at
		set_due_time(self, ARRIVAL_DUE, start, hours=target.arrival_hours, met_too=met_too)
		set_due_time(self, SETTLEMENT_DUE, start, days=target.settlement_days, met_too=met_too)
		set_due_time(self, FOLLOW_UP_DUE, self.settled_at, days=target.follow_up_days, met_too=met_too)

	def after_state_change(self):
		super().after_state_change()
		if self.workflow_state in (ESCALATED, REFERRED) and self.previous_state not in (ESCALATED, REFERRED):
			self.hand_over_to_community()

	def assignment_description(self) -> str:
		return _("Dispute case {0}: {1}").format(self.name, self.subject)

	def hand_over_to_community(self):
		"""The community mediators take over; the grid workers' assignments end."""
		mediators = community_mediators(self.grid)
		for user in self.open_assignees():
			if user not in mediators:
				unassign(self, user)
		self.assign(mediators)

	def print_details(self) -> dict:
		"""What the agreement and the registration form print besides the case's own fields."""
		return {
			"addresses": [
				frappe.db.get_value("Household", row.household, "address") or row.household
				for row in self.households
			],
			"mediators": self.agreement_mediators(),
		}

	def agreement_mediators(self) -> list[str]:
		"""Who signs the agreement as 人民调解员: whoever reached it, with the community mediators who
		handled the case; the handlers of the case, for a case that has no agreement yet."""
		handlers = [
			row.handler_name
			for row in self.handlers
			if row.handler_role in (GRID_WORKER, MEDIATOR) and row.handler_name
		]
		if not self.agreement_reached_by:
			return handlers
		mediators = [frappe.utils.get_fullname(self.agreement_reached_by)]
		for row in self.handlers:
			if row.handler_role == MEDIATOR and row.handler_name and row.handler_name not in mediators:
				mediators.append(row.handler_name)
		return mediators


def on_doctype_update():
	add_due_time_indexes("Dispute Case", DUE_TARGETS)


def community_mediators(grid: str | None = None) -> list[str]:
	"""The mediators who take over the grid's cases: on a district's site, those of its community
	(a mediator with a User Permission on another community does not see the case)."""
	return sorted(
		user
		for user in get_users_with_role(MEDIATOR)
		if grid is None or (grids := user_grids(user)) is None or grid in grids
	)
