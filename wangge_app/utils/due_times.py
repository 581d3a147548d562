# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Due times stored on the document, and the one query that finds the missed ones.

A DocType with time targets (a dispute case's arrival, settlement and follow-up visit, a
resident's request's time limits, a safety hazard's deadline) declares each target as a `DueTarget`:
the Datetime field its controller stamps with the due time, the field that is set when the target is
met, and a Check that records that the miss was alerted. The controller (a GridCase,
wangge_app/cases.py) computes the due times with `set_due_time` when the record is registered and
whenever what they depend on changes; a met target keeps its due time for the record.

The scheduled job (wangge_app/overdue.py) calls `mark_missed_due_times`: per target one query on the
index that `add_due_time_indexes` creates (met field, alerted flag, due time), which reads only the
open, unalerted targets that are due. Each miss sets the alerted flag and `is_overdue`, then runs the
document's method `on_missed_due_time` (MISSED_METHOD): the controller records the miss there, and
Notifications with the event *Method* `on_missed_due_time` (wangge_app/alerts.py; a manager edits
them in the desk), doc event hooks, webhooks and server scripts of that method alert whom they name. A miss is alerted once.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, get_datetime, strip_html

from wangge_app.workflows import MANAGER, REGISTERED, SYSTEM_MANAGER

MISSED_METHOD = "on_missed_due_time"


@dataclass(frozen=True)
class DueTarget:
	target: str  # the name of the target, as logged and alerted (e.g. "Arrival on Site")
	due_field: str  # Datetime: when the target is due
	met_field: str  # set when the target is met
	alerted_field: str  # Check: the miss was alerted


def set_due_time(
	doc, target: DueTarget, start, hours: float = 0, days: float = 0, met_too: bool = False
) -> None:
	"""Stamp the target's due time, `hours` and `days` after `start` (none without a start);
	a target already met keeps the due time it was met against, unless `met_too` (a patch filling
	the due times of old records)."""
	if doc.get(target.met_field) and not met_too:
		return
	doc.set(target.due_field, add_to_date(start, days=days, hours=hours) if start else None)


def next_due_time(doc, targets: Iterable[DueTarget]) -> datetime.datetime | None:
	"""The earliest due time of the targets not yet met."""
	open_due_times = [
		get_datetime(doc.get(target.due_field))
		for target in targets
		if doc.get(target.due_field) and not doc.get(target.met_field)
	]
	return min(open_due_times, default=None)


def missed_query(doctype: str, target: DueTarget, now: datetime.datetime, exclude: dict | None = None):
	"""Records whose target is due before `now`, not met and not alerted: (name, due time)."""
	table = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(table)
		.select(table.name, table[target.due_field])
		.where(table[target.met_field].isnull())
		.where(table[target.alerted_field] == 0)
		.where(table[target.due_field] < now)
		.orderby(table[target.due_field])
	)
	for fieldname, values in (exclude or {}).items():
		query = query.where(table[fieldname].isnull() | table[fieldname].notin(values))
	return query


def mark_missed_due_times(
	doctype: str, targets: Iterable[DueTarget], now: datetime.datetime, exclude: dict | None = None
) -> list[tuple[str, str]]:
	"""Mark and alert every newly missed target of `doctype`; return the (record, target) pairs.

	`exclude` maps a field to values whose records are not checked (e.g. closed ones)."""
	missed = []
	for target in targets:
		for name, due_at in missed_query(doctype, target, now, exclude).run():
			doc = frappe.get_doc(doctype, name)
			# Straight to the database: the job must not stop at a record that would fail validation today.
			doc.db_set({target.alerted_field: 1, "is_overdue": 1}, update_modified=False)
			try:
				doc.run_method(MISSED_METHOD, target=target.target, due_at=due_at, now=now)
			except Exception:
				# A broken alert (e.g. a Notification's template) must not stop the other records.
				frappe.log_error(f"Alert of the missed {target.target} of {doctype} {name} failed")
			missed.append((name, target.target))
	return missed


def add_due_time_indexes(doctype: str, targets: Iterable[DueTarget]) -> None:
	"""For `on_doctype_update`: one index per target serving `missed_query`."""
	for target in targets:
		frappe.db.add_index(
			doctype,
			[target.met_field, target.alerted_field, target.due_field],
			index_name=f"{target.due_field}_open",
		)


@dataclass(frozen=True)
class DueInputs:
	"""The fields a record's due times are computed from (a request's grade and time of receipt, a
	hazard's rectification deadline). Once the record is registered they change only through
	`change_due_input`: the community manager's action, with a reason, which the record's timeline and
	version history keep with the old and the new value. A plain save that changes one is refused, so
	that a time limit cannot be lengthened, nor a missed one hidden, by editing the record.

	open_in_states: workflow states in which the fields are still a draft (a hazard's deadline until its
	rectification notice goes out)."""

	fields: tuple[str, ...]
	open_in_states: tuple[str, ...] = ()


DUE_INPUTS: dict[str, DueInputs] = {
	"Resident Request": DueInputs(("grade", "received_at")),
	"Safety Hazard": DueInputs(("rectification_deadline",), open_in_states=(REGISTERED,)),
}
# Who may change a registered time limit.
DUE_INPUT_APPROVERS = frozenset({MANAGER, SYSTEM_MANAGER})
MAX_REASON = 500


def keep_due_inputs(doc, method=None):
	"""doc_events before_validate of the DocTypes in DUE_INPUTS: a stored record's due inputs stay as
	they are, unless `change_due_input` changes the one it names."""
	inputs = DUE_INPUTS[doc.doctype]
	before = None if doc.is_new() else doc.get_doc_before_save()
	if not before or before.get("workflow_state") in inputs.open_in_states:
		return
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return
	for fieldname in inputs.fields:
		if fieldname == doc.flags.approved_due_input:
			continue
		if same_value(doc.meta.get_field(fieldname), before.get(fieldname), doc.get(fieldname)):
			continue
		frappe.throw(
			_(
				"{0} sets the record's time limits and is fixed once registered: the community manager changes it, with a reason, through {1}."
			).format(frappe.bold(_(doc.meta.get_label(fieldname))), frappe.bold(_("Change Time Limit"))),
			frappe.ValidationError,
			title=_("Time Limit Fixed"),
		)


def same_value(df, old, new) -> bool:
	if df.fieldtype == "Datetime":
		return (get_datetime(old) if old else None) == (get_datetime(new) if new else None)
	if df.fieldtype == "Date":
		return (frappe.utils.getdate(old) if old else None) == (frappe.utils.getdate(new) if new else None)
	return (old or None) == (new or None)


@frappe.whitelist(methods=["POST"])
def change_due_input(doctype: str, name: str, fieldname: str, value: str, reason: str) -> dict:
	"""The community manager's change of what sets a registered record's time limits (延期, a new grade,
	a corrected time of receipt): the record's own validation applies to the new value, and the
	timeline says who changed what from what to what, and why."""
	inputs = DUE_INPUTS.get(doctype)
	if not inputs or fieldname not in inputs.fields:
		frappe.throw(_("This field does not set a time limit."))
	if not DUE_INPUT_APPROVERS & set(frappe.get_roles()):
		frappe.throw(_("Only the community manager changes a registered time limit."), frappe.PermissionError)
	reason = strip_html(reason or "").strip()
	if not reason:
		frappe.throw(_("Write why the time limit changes."), title=_("Reason Missing"))
	if len(reason) > MAX_REASON:
		frappe.throw(_("The reason is longer than {0} characters.").format(MAX_REASON))
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("write")
	df = doc.meta.get_field(fieldname)
	old = doc.get(fieldname)
	doc.set(fieldname, checked_value(df, value))
	if same_value(df, old, doc.get(fieldname)):
		frappe.throw(_("The new value is the same as the current one."))
	doc.flags.approved_due_input = fieldname
	doc.save()
	doc.add_comment(
		"Info",
		_("{0} changed {1} from {2} to {3}. Reason: {4}").format(
			escape_html(frappe.utils.get_fullname()),
			escape_html(_(df.label)),
			escape_html(shown_value(df, old)),
			escape_html(shown_value(df, doc.get(fieldname))),
			escape_html(reason),
		),
	)
	return {"name": doc.name, fieldname: doc.get(fieldname)}


def checked_value(df, value):
	"""The value as the field stores it, or a message: a date or time that does not parse is no value."""
	if not isinstance(value, str) or not value.strip():
		frappe.throw(_("Give the new value of {0}.").format(frappe.bold(_(df.label))))
	try:
		if df.fieldtype == "Datetime":
			return get_datetime(value)
		if df.fieldtype == "Date":
			return frappe.utils.getdate(value)
	except Exception:
		frappe.throw(
			_("{0} is not a valid value of {1}.").format(frappe.bold(value), frappe.bold(_(df.label)))
		)
	return value.strip()


def shown_value(df, value) -> str:
	if value in (None, ""):
		return _("Not Set")
	if df.fieldtype == "Link":
		return _(str(value))
	return frappe.format(value, df)
