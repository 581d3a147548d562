"""Workflow rules that Frappe checks only in the desk form."""

import frappe
from frappe import _
from frappe.model import display_fieldtypes, table_fields
from frappe.model.workflow import get_workflow
from frappe.utils import cint, cstr, flt, get_datetime, get_timedelta, getdate

from wangge_app.roles import COMMUNITY_MANAGER, SYSTEM_MANAGER

# Community staff may correct any record, whatever its state.
STATE_INDEPENDENT_ROLES = {COMMUNITY_MANAGER, SYSTEM_MANAGER}


def validate_workflow_save(doc) -> str | None:
	"""The workflow's rules for any save of a workflow document (REST API included); call it first
	thing in `validate`. Returns the state the document was in before this save (None when new)."""
	workflow = get_workflow(doc.doctype)
	previous = doc.get_doc_before_save()
	previous_state = previous.get(workflow.workflow_state_field) if previous else None
	check_state_owner(doc, previous_state)
	check_transition_alone(doc, previous, workflow)
	return previous_state


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


def check_transition_alone(doc, previous, workflow=None) -> None:
	"""A save that changes the workflow state changes nothing else.

	A workflow action (`apply_workflow`) reloads the document from the database, sets the state
	(and the next state's *update field*) and saves, so it carries no edits. A save that sets the
	state itself (a REST PUT with the state field) is held to the same: otherwise one request could
	pass a transition together with edits that the state being left, or the one entered, forbids the
	user to make. Edits are saved first, in the state the user may edit, and the action follows.

	Saves of the app's own code (`ignore_permissions`) are not checked; the controller's own changes
	come after this check, in `validate`."""
	if previous is None or doc.is_new() or doc.flags.ignore_permissions:
		return
	workflow = workflow or get_workflow(doc.doctype)
	state_field = workflow.workflow_state_field
	state = doc.get(state_field)
	if state == previous.get(state_field):
		return
	allowed = {state_field}
	allowed.update(row.update_field for row in workflow.states if row.state == state and row.update_field)
	changed = [
		_(df.label or df.fieldname)
		for df in doc.meta.fields
		if df.fieldname not in allowed and value_changed(df, previous, doc)
	]
	if changed:
		frappe.throw(
			_(
				"A workflow action changes only the state of the record. Save your changes to {0} first, then apply the action."
			).format(", ".join(frappe.bold(label) for label in changed)),
			frappe.ValidationError,
			title=_("Save Changes First"),
		)


def value_changed(df, before, after) -> bool:
	"""Whether a field (a child table: any of its rows) differs between two versions of a document."""
	if df.fieldtype in display_fieldtypes or (df.fetch_from and not df.fetch_if_empty):
		# Fetched values follow their link: Frappe sets them on every save.
		return False
	if df.fieldtype in table_fields:
		return table_rows(df, before) != table_rows(df, after)
	return comparable(df, before.get(df.fieldname)) != comparable(df, after.get(df.fieldname))


def table_rows(df, doc) -> list[tuple]:
	child_fields = [
		child_df
		for child_df in frappe.get_meta(df.options).fields
		if child_df.fieldtype not in display_fieldtypes
	]
	return [
		(row.get("name"), *(comparable(child_df, row.get(child_df.fieldname)) for child_df in child_fields))
		for row in doc.get(df.fieldname) or []
	]


def comparable(df, value):
	"""A field's value in one form, whether it came from the database or as text from a request."""
	if value is None or value == "":
		return 0 if df.fieldtype in ("Check", "Int", "Long Int") else None
	try:
		if df.fieldtype in ("Check", "Int", "Long Int"):
			return cint(value)
		if df.fieldtype in ("Float", "Currency", "Percent"):
			return flt(value, 9)
		if df.fieldtype == "Date":
			return getdate(value)
		if df.fieldtype == "Datetime":
			return get_datetime(value)
		if df.fieldtype == "Time":
			return get_timedelta(cstr(value))
	except (ValueError, TypeError, OverflowError):
		pass  # not a value of its type: as text, it differs from any stored value
	return cstr(value)
