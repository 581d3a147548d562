# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""History rows are append-only: the child tables declared in `wangge_app.scopes.HISTORY` (steps,
follow-ups, acceptance checks, custody logs, chases, overdue logs, contacts) keep what was recorded.

`keep_history` runs as the `before_validate` and `validate` doc_events of every record with history
tables (hooks.py), on every write path that saves the record (REST PUT, `frappe.client.save` and
`set_value`, `savedocs`, `apply_workflow`): a stored row may not change in any field, be removed or be
moved; new rows come after the stored ones. Before the controller's `validate` it also stamps each new
row with who recorded it and when (the declared fields, and the row's `owner` and `creation`), so that
the controller reads the server's stamps, never the request's. `refuse_row_deletion` stops a history
row from being deleted on its own (a child row named by REST)."""

import datetime

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.utils import cint, cstr, flt, get_datetime, get_time, getdate, now

from wangge_app.scopes import HISTORY, History, history_parents

_HISTORY_PARENTS = history_parents()


class HistoryRowError(frappe.ValidationError):
	"""A save that would change, move or remove a recorded history row."""


def system_write() -> bool:
	"""Installing, migrating and patches write as the system: they may repair history."""
	return bool(frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch)


def keep_history(doc, method=None):
	"""doc_events before_validate and validate of the records with history tables.

	Before the controller's validate: the stored rows are checked and the new ones stamped (and a row
	sent into a table only the app writes is refused). After it: the stored rows are checked again, so
	that nothing the controller did changed them either."""
	tables = _HISTORY_PARENTS.get(doc.doctype)
	if not tables:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	stamping = method == "before_validate"
	for child in tables:
		history = HISTORY[child]
		stored = list(before.get(history.table_field) or []) if before else []
		if not system_write():
			check_rows(doc, child, stored, refuse_new=stamping and history.by_app)
		if stamping:
			stamp_new_rows(doc, history, len(stored))


def check_rows(doc, child: str, stored: list, refuse_new: bool = False):
	"""The stored rows, unchanged, in their places; the new ones after them, numbered on from there."""
	history = HISTORY[child]
	rows = doc.get(history.table_field) or []
	label = _(doc.meta.get_label(history.table_field))
	names = [row.name for row in rows]
	fields = comparable_fields(child)
	for position, old in enumerate(stored):
		if old.name not in names:
			refuse(
				_(
					"{0}, row {1}: a recorded row cannot be removed; add a new row that says what it corrects."
				).format(label, old.idx)
			)
		row = rows[position]
		if row.name != old.name or cint(row.idx) != cint(old.idx):
			refuse(_("{0}: recorded rows cannot be moved; new rows are added after them.").format(label))
		for df in fields:
			old_value = comparable(old.get(df.fieldname), df.fieldtype)
			if comparable(row.get(df.fieldname), df.fieldtype) == old_value:
				continue
			if df.fieldname in history.fill_once and old_value in (None, ""):
				continue
			refuse(
				_(
					"{0}, row {1}: a recorded row cannot be changed; add a new row that says what it corrects."
				).format(label, old.idx)
			)
		# Who wrote the row and when are the stored ones, whatever the request sent.
		row.owner, row.creation = old.owner, old.creation
	stored_names = {old.name for old in stored}
	next_idx = max([cint(old.idx) for old in stored] + [len(stored)])
	for row in rows[len(stored) :]:
		if row.name in stored_names:
			refuse(_("{0}: recorded rows cannot be moved; new rows are added after them.").format(label))
		if not row.is_new():
			refuse(
				_("{0}, row {1}: this row is not one of the record's; add a new row instead.").format(
					label, row.idx
				)
			)
		if refuse_new and not doc.flags.ignore_permissions:
			refuse(_("{0}: rows are added by the system only.").format(label))
		next_idx += 1
		row.idx = next_idx


def stamp_new_rows(doc, history: History, stored_count: int):
	"""Who recorded each new row and when: the current user, now (Frappe's clock, which tests may set).
	Rows of tables only the app writes carry the controller's stamps."""
	if history.by_app:
		return
	user = frappe.session.user
	at = get_datetime(now())
	for row in (doc.get(history.table_field) or [])[stored_count:]:
		for fieldname in history.stamped_by:
			row.set(fieldname, user)
		for fieldname in history.stamped_at:
			row.set(fieldname, at)
		row.owner = user
		row.creation = at


def refuse_row_deletion(row, method=None):
	"""doc_events on_trash of the history tables: a row deleted on its own (REST DELETE of the row).
	Rows go with their record when the record is deleted, which calls no on_trash of its rows."""
	if system_write() or row.flags.ignore_permissions:
		return
	label = _(row.doctype)
	refuse(
		_("{0}, row {1}: a recorded row cannot be removed; add a new row that says what it corrects.").format(
			label, row.idx
		)
	)


def refuse(message: str):
	frappe.throw(message, HistoryRowError, title=_("Recorded History"))


def comparable_fields(child: str) -> list:
	"""Every field of the row that holds a value."""
	return [df for df in frappe.get_meta(child).fields if df.fieldtype not in no_value_fields]


def comparable(value, fieldtype: str):
	"""A field's value as stored and as sent compare alike (dates as text, 0 as an empty check)."""
	if fieldtype in ("Check", "Int"):
		return cint(value)
	if fieldtype in ("Float", "Currency", "Percent"):
		return flt(value)
	if value in (None, ""):
		return None
	try:
		if fieldtype == "Date":
			return getdate(value)
		if fieldtype == "Datetime":
			return get_datetime(value)
		if fieldtype == "Time":
			return get_time(value)
	except Exception:
		return cstr(value)
	return cstr(value)


def server_time(row, history: History | None = None) -> tuple:
	"""The order of history rows by the server's stamps: the declared time stamp (`recorded_at`),
	then the row's creation, then its place (rows stored before the stamps were kept tie on both)."""
	history = history or HISTORY[row.doctype]
	stamps = [row.get(fieldname) for fieldname in history.stamped_at] + [row.get("creation")]
	stamp = next((value for value in stamps if value), None)
	return (get_datetime(stamp) if stamp else datetime.datetime.min, cint(row.idx))


def latest(rows: list):
	"""The row recorded last, by the server's stamps (None for no rows)."""
	return max(rows, key=server_time, default=None)


def records_kept_boot(bootinfo):
	"""extend_bootinfo: the rules the desk form shows (public/js/records_kept.js), from the declarations."""
	from wangge_app.utils.due_times import DUE_INPUT_APPROVERS, DUE_INPUTS

	history: dict[str, list[str]] = {}
	for declared in HISTORY.values():
		history.setdefault(declared.parent, []).append(declared.table_field)
	bootinfo.wangge_records_kept = {
		"history": history,
		"due_inputs": {
			doctype: {"fields": list(inputs.fields), "open_in_states": list(inputs.open_in_states)}
			for doctype, inputs in DUE_INPUTS.items()
		},
		"approvers": sorted(DUE_INPUT_APPROVERS),
	}
