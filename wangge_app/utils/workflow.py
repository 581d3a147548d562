"""Workflow rules that Frappe checks only in the desk form."""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow

# Community staff may correct any record, whatever its state.
STATE_INDEPENDENT_ROLES = {"Community Manager", "System Manager"}


def check_state_owner(doc, previous_state: str | None) -> None:
	"""Only the roles the workflow lets edit the current state may change the document.

	Transitions are checked by the workflow itself; this covers plain edits (the REST API
	included), which the desk forbids in the form but Frappe does not check on the server."""
	workflow = get_workflow(doc.doctype)
	state = doc.get(workflow.workflow_state_field)
	if doc.is_new() or previous_state != state or frappe.session.user == "Administrator":
		return
	roles = set(frappe.get_roles())
	if roles & STATE_INDEPENDENT_ROLES:
		return
	owners = {row.allow_edit for row in workflow.states if row.state == state}
	if not roles & owners:
		frappe.throw(
			_("In the state {0} this record is handled by {1}; you cannot change it.").format(
				frappe.bold(_(state)), ", ".join(_(role) for role in sorted(owners))
			),
			frappe.PermissionError,
		)
