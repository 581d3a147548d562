# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The app's workflows, defined once.

Controllers, tests and the demo import the state and action names from here. The workflows, their
states and actions are created on install (and by a patch on sites installed before) only when they
are missing: a manager may then add transitions or change roles in the desk, and `migrate` keeps
them. A change to a shipped workflow goes out as a patch (wangge_app/patches.txt).
"""

from dataclasses import dataclass

import frappe
from frappe import _

# The roles of the transitions (wangge_app/roles.py), by the names the workflows below use.
from wangge_app.roles import BRANCH_SECRETARY, GRID_WORKER, MEDIATOR, PARTY_COMMITTEE, SYSTEM_MANAGER
from wangge_app.roles import COMMUNITY_MANAGER as MANAGER
from wangge_app.roles import PARTNER_MERCHANT as MERCHANT

# Party Member Household Approval: states
APPLIED = "Applied"
BRANCH_APPROVED = "Branch Approved"
# Approved by the community party committee: the central household is active.
DESIGNATED = "Designated"
WITHDRAWN = "Withdrawn"
REJECTED = "Rejected"  # Frappe's own state
# Party Member Household Approval: actions
PASS_BRANCH_REVIEW = "Pass Branch Review"
APPROVE = "Approve"  # Frappe's own action
REJECT = "Reject"  # Frappe's own action
WITHDRAW = "Withdraw"

# Dispute Case Workflow: states
REPORTED = "Reported"
ON_SITE = "On Site"
JOINT_HANDLING = "Joint Handling"
ESCALATED = "Escalated to Community"
AGREEMENT_REACHED = "Agreement Reached"
REFERRED = "Referred"
FOLLOW_UP = "Follow-up"
CASE_CLOSED = "Case Closed"
# Dispute Case Workflow: actions
ARRIVE_ON_SITE = "Arrive On Site"
START_JOINT_HANDLING = "Start Joint Handling"
REACH_AGREEMENT = "Reach Agreement"
ESCALATE_TO_COMMUNITY = "Escalate to Community"
REFER_TO_AUTHORITIES = "Refer to Authorities"
END_WITHOUT_AGREEMENT = "End Without Agreement"
START_FOLLOW_UP = "Start Follow-up"
CLOSE_CASE = "Close Case"

# Points Redemption: states
REQUESTED = "Requested"
ISSUED = "Issued"
# Redeemed at the merchant; named "Used" because the ledger's entry type "Redeemed" (积分兑换) is another thing.
USED = "Used"
CANCELLED = "Cancelled"
EXPIRED = "Expired"
# Points Redemption: actions
ISSUE_VOUCHER = "Issue Voucher"
REDEEM_VOUCHER = "Redeem Voucher"
CANCEL_VOUCHER = "Cancel Voucher"
EXPIRE_VOUCHER = "Expire Voucher"

# Safety Hazard Workflow: states
REGISTERED = "Registered"
NOTICE_ISSUED = "Notice Issued"
SECOND_NOTICE_ISSUED = "Second Notice Issued"
RECTIFYING = "Rectifying"
REINSPECTED = "Re-inspected"
# Closed (销号) after a passed acceptance check.
HAZARD_CLOSED = "Hazard Closed"
REFERRED_TO_DEPARTMENT = "Referred to Department"
# Safety Hazard Workflow: actions
ISSUE_NOTICE = "Issue Rectification Notice"
ISSUE_SECOND_NOTICE = "Issue Second Notice"
START_RECTIFICATION = "Start Rectification"
RECORD_REINSPECTION = "Record Re-inspection"
CONTINUE_RECTIFICATION = "Continue Rectification"
CLOSE_HAZARD = "Close Hazard"
REFER_TO_DEPARTMENT = "Refer to Department"

# Resident Request Workflow: states
RECEIVED = "Received"
# The resident has been contacted about the request.
ACKNOWLEDGED = "Acknowledged"
VISITED = "Visited"
COORDINATING = "Coordinating"
# The community called in departments (吹哨报到).
WHISTLE_BLOWN = "Whistle Blown"
RESOLVED = "Resolved"
FOLLOWED_UP = "Followed Up"
REQUEST_CLOSED = "Request Closed"
# Resident Request Workflow: actions
CONTACT_RESIDENT = "Contact Resident"
RECORD_VISIT = "Record Visit"
START_COORDINATING = "Start Coordinating"
BLOW_THE_WHISTLE = "Blow the Whistle"
RESOLVE_REQUEST = "Resolve Request"
COMPLETE_FOLLOW_UP = "Complete Follow-up"
CLOSE_REQUEST = "Close Request"
REOPEN_REQUEST = "Reopen Request"

# Assisted Service Workflow: states (and CANCELLED)
SERVICE_REQUESTED = "Service Requested"
AUTHORISED = "Authorised"
IN_PROGRESS = "In Progress"
SERVICE_COMPLETED = "Service Completed"
SERVICE_CLOSED = "Service Closed"
# Assisted Service Workflow: actions
RECORD_AUTHORISATION = "Record Authorisation"
START_SERVICE = "Start Service"
COMPLETE_SERVICE = "Complete Service"
CLOSE_SERVICE = "Close Service"
CANCEL_SERVICE = "Cancel Service"

# The style (colour) of each Workflow State the app creates.
STATE_STYLES = {
	APPLIED: "Warning",
	BRANCH_APPROVED: "Info",
	DESIGNATED: "Success",
	WITHDRAWN: "",
	REJECTED: "Danger",
	REPORTED: "Danger",
	ON_SITE: "Warning",
	JOINT_HANDLING: "Warning",
	ESCALATED: "Danger",
	AGREEMENT_REACHED: "Success",
	REFERRED: "Info",
	FOLLOW_UP: "Primary",
	CASE_CLOSED: "Inverse",
	REQUESTED: "Warning",
	ISSUED: "Primary",
	USED: "Success",
	CANCELLED: "Danger",
	EXPIRED: "Inverse",
	REGISTERED: "Danger",
	NOTICE_ISSUED: "Warning",
	SECOND_NOTICE_ISSUED: "Danger",
	RECTIFYING: "Warning",
	REINSPECTED: "Primary",
	HAZARD_CLOSED: "Success",
	REFERRED_TO_DEPARTMENT: "Info",
	RECEIVED: "Danger",
	ACKNOWLEDGED: "Warning",
	VISITED: "Warning",
	COORDINATING: "Primary",
	WHISTLE_BLOWN: "Info",
	RESOLVED: "Success",
	FOLLOWED_UP: "Primary",
	REQUEST_CLOSED: "Inverse",
	SERVICE_REQUESTED: "Warning",
	AUTHORISED: "Info",
	IN_PROGRESS: "Primary",
	SERVICE_COMPLETED: "Success",
	SERVICE_CLOSED: "Inverse",
}


@dataclass(frozen=True)
class State:
	"""A row of the workflow's states: who may edit a document in this state."""

	state: str
	allow_edit: str
	doc_status: str = "0"
	update_field: str | None = None
	update_value: str | None = None


@dataclass(frozen=True)
class Transition:
	state: str
	action: str
	next_state: str
	allowed: str
	condition: str | None = None
	allow_self_approval: int = 1


@dataclass(frozen=True)
class WorkflowDefinition:
	name: str
	document_type: str
	state_field: str
	states: tuple[State, ...]
	transitions: tuple[Transition, ...]

	@property
	def state_names(self) -> set[str]:
		return {row.state for row in self.states}

	@property
	def action_names(self) -> set[str]:
		return {row.action for row in self.transitions}


def _for_roles(roles, make):
	return tuple(make(role) for role in roles)


PARTY_MEMBER_HOUSEHOLD_APPROVAL = WorkflowDefinition(
	name="Party Member Household Approval",
	document_type="Party Member Household",
	state_field="status",
	states=(
		State(APPLIED, GRID_WORKER),
		State(BRANCH_APPROVED, PARTY_COMMITTEE),
		State(DESIGNATED, GRID_WORKER),
		State(WITHDRAWN, PARTY_COMMITTEE),
		State(REJECTED, PARTY_COMMITTEE),
	),
	transitions=(
		Transition(APPLIED, PASS_BRANCH_REVIEW, BRANCH_APPROVED, BRANCH_SECRETARY),
		Transition(APPLIED, REJECT, REJECTED, BRANCH_SECRETARY),
		Transition(BRANCH_APPROVED, APPROVE, DESIGNATED, PARTY_COMMITTEE),
		Transition(BRANCH_APPROVED, REJECT, REJECTED, PARTY_COMMITTEE),
		Transition(DESIGNATED, WITHDRAW, WITHDRAWN, PARTY_COMMITTEE),
	),
)

# Roles that take a record through the same steps.
_BOTH = (GRID_WORKER, MEDIATOR)
_WORKER_AND_MANAGER = (GRID_WORKER, MANAGER)
DISPUTE_CASE_WORKFLOW = WorkflowDefinition(
	name="Dispute Case Workflow",
	document_type="Dispute Case",
	state_field="workflow_state",
	states=(
		*_for_roles(_BOTH, lambda role: State(REPORTED, role)),
		*_for_roles(_BOTH, lambda role: State(ON_SITE, role)),
		*_for_roles(_BOTH, lambda role: State(JOINT_HANDLING, role)),
		State(ESCALATED, MEDIATOR),
		*_for_roles(_BOTH, lambda role: State(AGREEMENT_REACHED, role)),
		State(REFERRED, MEDIATOR),
		*_for_roles(_BOTH, lambda role: State(FOLLOW_UP, role)),
		State(CASE_CLOSED, MEDIATOR),
	),
	transitions=(
		*_for_roles(_BOTH, lambda role: Transition(REPORTED, ARRIVE_ON_SITE, ON_SITE, role)),
		*_for_roles(_BOTH, lambda role: Transition(ON_SITE, START_JOINT_HANDLING, JOINT_HANDLING, role)),
		*_for_roles(_BOTH, lambda role: Transition(JOINT_HANDLING, REACH_AGREEMENT, AGREEMENT_REACHED, role)),
		Transition(JOINT_HANDLING, ESCALATE_TO_COMMUNITY, ESCALATED, GRID_WORKER),
		Transition(JOINT_HANDLING, REFER_TO_AUTHORITIES, REFERRED, MEDIATOR),
		*_for_roles(_BOTH, lambda role: Transition(JOINT_HANDLING, END_WITHOUT_AGREEMENT, FOLLOW_UP, role)),
		Transition(ESCALATED, REACH_AGREEMENT, AGREEMENT_REACHED, MEDIATOR),
		Transition(ESCALATED, REFER_TO_AUTHORITIES, REFERRED, MEDIATOR),
		Transition(ESCALATED, END_WITHOUT_AGREEMENT, FOLLOW_UP, MEDIATOR),
		*_for_roles(_BOTH, lambda role: Transition(AGREEMENT_REACHED, START_FOLLOW_UP, FOLLOW_UP, role)),
		*_for_roles(_BOTH, lambda role: Transition(REFERRED, START_FOLLOW_UP, FOLLOW_UP, role)),
		# A grid worker closes only the cases that stayed in the grid.
		Transition(FOLLOW_UP, CLOSE_CASE, CASE_CLOSED, GRID_WORKER, condition='doc.tier == "Ordinary"'),
		Transition(FOLLOW_UP, CLOSE_CASE, CASE_CLOSED, MEDIATOR),
	),
)

POINTS_REDEMPTION = WorkflowDefinition(
	name="Points Redemption",
	document_type="Points Redemption",
	state_field="status",
	states=(
		State(REQUESTED, GRID_WORKER),
		State(ISSUED, MANAGER),
		State(USED, MANAGER),
		State(CANCELLED, MANAGER),
		State(EXPIRED, MANAGER),
	),
	transitions=(
		Transition(REQUESTED, ISSUE_VOUCHER, ISSUED, MANAGER),
		Transition(REQUESTED, CANCEL_VOUCHER, CANCELLED, MANAGER),
		Transition(REQUESTED, CANCEL_VOUCHER, CANCELLED, GRID_WORKER),
		Transition(ISSUED, REDEEM_VOUCHER, USED, MERCHANT),
		Transition(ISSUED, CANCEL_VOUCHER, CANCELLED, MANAGER),
		Transition(ISSUED, EXPIRE_VOUCHER, EXPIRED, SYSTEM_MANAGER),
	),
)

# Grid workers take their grids' hazards through every step; community managers may too. A notice
# needs the 五落实, closing a passed acceptance check, a referral a second notice (the controller
# says why a step is refused).
SAFETY_HAZARD_WORKFLOW = WorkflowDefinition(
	name="Safety Hazard Workflow",
	document_type="Safety Hazard",
	state_field="workflow_state",
	states=(
		*_for_roles(_WORKER_AND_MANAGER, lambda role: State(REGISTERED, role)),
		*_for_roles(_WORKER_AND_MANAGER, lambda role: State(NOTICE_ISSUED, role)),
		*_for_roles(_WORKER_AND_MANAGER, lambda role: State(SECOND_NOTICE_ISSUED, role)),
		*_for_roles(_WORKER_AND_MANAGER, lambda role: State(RECTIFYING, role)),
		*_for_roles(_WORKER_AND_MANAGER, lambda role: State(REINSPECTED, role)),
		State(HAZARD_CLOSED, MANAGER),
		State(REFERRED_TO_DEPARTMENT, MANAGER),
	),
	transitions=(
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(REGISTERED, ISSUE_NOTICE, NOTICE_ISSUED, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(NOTICE_ISSUED, START_RECTIFICATION, RECTIFYING, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(NOTICE_ISSUED, ISSUE_SECOND_NOTICE, SECOND_NOTICE_ISSUED, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(RECTIFYING, ISSUE_SECOND_NOTICE, SECOND_NOTICE_ISSUED, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(SECOND_NOTICE_ISSUED, START_RECTIFICATION, RECTIFYING, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(SECOND_NOTICE_ISSUED, REFER_TO_DEPARTMENT, REFERRED_TO_DEPARTMENT, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(RECTIFYING, RECORD_REINSPECTION, REINSPECTED, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(REINSPECTED, CONTINUE_RECTIFICATION, RECTIFYING, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(REINSPECTED, CLOSE_HAZARD, HAZARD_CLOSED, role)
		),
	),
)

RESIDENT_REQUEST_WORKFLOW = WorkflowDefinition(
	name="Resident Request Workflow",
	document_type="Resident Request",
	state_field="workflow_state",
	states=(
		*(
			State(state, role)
			for state in (RECEIVED, ACKNOWLEDGED, VISITED, COORDINATING, WHISTLE_BLOWN, RESOLVED, FOLLOWED_UP)
			for role in _WORKER_AND_MANAGER
		),
		State(REQUEST_CLOSED, MANAGER),
	),
	transitions=(
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(RECEIVED, CONTACT_RESIDENT, ACKNOWLEDGED, role)
		),
		*_for_roles(_WORKER_AND_MANAGER, lambda role: Transition(ACKNOWLEDGED, RECORD_VISIT, VISITED, role)),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(VISITED, START_COORDINATING, COORDINATING, role)
		),
		# Calling in departments is the community's decision.
		Transition(COORDINATING, BLOW_THE_WHISTLE, WHISTLE_BLOWN, MANAGER),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(COORDINATING, RESOLVE_REQUEST, RESOLVED, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(WHISTLE_BLOWN, RESOLVE_REQUEST, RESOLVED, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(RESOLVED, COMPLETE_FOLLOW_UP, FOLLOWED_UP, role)
		),
		# A resident who is not satisfied reopens the request instead of it being closed.
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(
				FOLLOWED_UP,
				CLOSE_REQUEST,
				REQUEST_CLOSED,
				role,
				condition='doc.satisfaction != "Not Satisfied"',
			),
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(
				FOLLOWED_UP,
				REOPEN_REQUEST,
				COORDINATING,
				role,
				condition='doc.satisfaction == "Not Satisfied"',
			),
		),
	),
)

ASSISTED_SERVICE_WORKFLOW = WorkflowDefinition(
	name="Assisted Service Workflow",
	document_type="Assisted Service Request",
	state_field="workflow_state",
	states=tuple(
		State(state, role)
		for state in (
			SERVICE_REQUESTED,
			AUTHORISED,
			IN_PROGRESS,
			SERVICE_COMPLETED,
			SERVICE_CLOSED,
			CANCELLED,
		)
		for role in _WORKER_AND_MANAGER
	),
	transitions=(
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(SERVICE_REQUESTED, RECORD_AUTHORISATION, AUTHORISED, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(AUTHORISED, START_SERVICE, IN_PROGRESS, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(IN_PROGRESS, COMPLETE_SERVICE, SERVICE_COMPLETED, role),
		),
		*_for_roles(
			_WORKER_AND_MANAGER,
			lambda role: Transition(SERVICE_COMPLETED, CLOSE_SERVICE, SERVICE_CLOSED, role),
		),
		# Not once documents may be out: a service in progress is completed, with every original returned.
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(SERVICE_REQUESTED, CANCEL_SERVICE, CANCELLED, role)
		),
		*_for_roles(
			_WORKER_AND_MANAGER, lambda role: Transition(AUTHORISED, CANCEL_SERVICE, CANCELLED, role)
		),
	),
)

WORKFLOWS = (
	PARTY_MEMBER_HOUSEHOLD_APPROVAL,
	DISPUTE_CASE_WORKFLOW,
	POINTS_REDEMPTION,
	SAFETY_HAZARD_WORKFLOW,
	RESIDENT_REQUEST_WORKFLOW,
	ASSISTED_SERVICE_WORKFLOW,
)


def make_workflows() -> None:
	"""Create the workflows, their states and their actions that the site does not have yet; never
	change the ones it has (a manager's changes stay)."""
	for definition in WORKFLOWS:
		for state in sorted(definition.state_names):
			if not frappe.db.exists("Workflow State", state):
				frappe.get_doc(
					{
						"doctype": "Workflow State",
						"workflow_state_name": state,
						"style": STATE_STYLES.get(state, ""),
					}
				).insert(ignore_permissions=True)
		for action in sorted(definition.action_names):
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
					ignore_permissions=True
				)
		if frappe.db.exists("Workflow", definition.name):
			continue
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": definition.name,
				"document_type": definition.document_type,
				"workflow_state_field": definition.state_field,
				"is_active": 1,
				"override_status": 0,
				"send_email_alert": 0,
				"states": [
					{
						"state": row.state,
						"doc_status": row.doc_status,
						"allow_edit": row.allow_edit,
						"update_field": row.update_field,
						"update_value": row.update_value,
						"is_optional_state": 0,
					}
					for row in definition.states
				],
				"transitions": [
					{
						"state": row.state,
						"action": row.action,
						"next_state": row.next_state,
						"allowed": row.allowed,
						"allow_self_approval": row.allow_self_approval,
						"condition": row.condition,
					}
					for row in definition.transitions
				],
			}
		).insert(ignore_permissions=True)


def check_workflow_editor(doc, method=None):
	"""doc_events validate of Workflow: a Community Manager (wangge_app.install grants the role the
	Workflow form) changes the workflows of the app's DocTypes, never one of another DocType (a User's,
	say), and never moves a workflow to another DocType."""
	if SYSTEM_MANAGER in frappe.get_roles() or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	from wangge_app.scopes import doctypes_on_disk

	before = doc.get_doc_before_save()
	for document_type in {doc.document_type, before.document_type if before else None} - {None}:
		if document_type not in doctypes_on_disk():
			frappe.throw(
				_("You may change the workflows of the community's records only."), frappe.PermissionError
			)
