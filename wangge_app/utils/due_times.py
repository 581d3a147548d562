# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Due times stored on the document, and the one query that finds the missed ones.

A DocType with time targets (a dispute case's arrival, settlement and follow-up visit; later a
resident's request, a safety hazard) declares each target as a `DueTarget`: the Datetime field its
controller stamps with the due time, the field that is set when the target is met, and a Check
that records that the miss was alerted. The controller computes the due times with `set_due_time`
when the record is registered and whenever what they depend on changes; a met target keeps its due
time for the record.

The scheduled job calls `mark_missed_due_times`: per target one query on the index that
`add_due_time_indexes` creates (met field, alerted flag, due time), which reads only the open,
unalerted targets that are due. Each miss sets the alerted flag and `is_overdue`, then runs the
document's method `on_missed_due_time` (MISSED_METHOD): the controller records the miss there, and
Notifications with the event *Method* `on_missed_due_time` (which a manager edits in the desk), doc
event hooks, webhooks and server scripts of that method alert whom they name. A miss is alerted once.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import frappe
from frappe.utils import add_to_date, get_datetime

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


# Jinja of a missed target in a Notification of a record that logs its misses in `overdue_log`.
MISSED_TARGET = "{{ _(doc.overdue_log[-1].target) }}"
MISSED_DUE_AT = "{{ frappe.format(doc.overdue_log[-1].due_at, 'Datetime') }}"


def make_missed_due_time_notification(name: str, doctype: str, texts) -> None:
	"""The alert of a missed due time: a Frappe Notification on MISSED_METHOD to the users the record
	names in `alert_to`, created once (on install, or by a patch on older sites) and then the manager's
	to edit in the desk. It is not shipped as a standard Notification: Frappe refuses edits to those and
	reloads them from the app, whereas updates leave this one's text, channel, recipients, condition or
	disabling alone. `texts(lang)` gives the subject (at most 140 characters) and the paragraphs of the
	message, in the site's language so that the manager edits a readable template."""
	if frappe.db.exists("Notification", name):
		return
	lang = frappe.db.get_single_value("System Settings", "language") or "en"
	subject, paragraphs = texts(lang)
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": name,
			"enabled": 1,
			"channel": "System Notification",
			"document_type": doctype,
			"event": "Method",
			"method": MISSED_METHOD,
			"subject": subject,
			"message": "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
			"recipients": [{"receiver_by_document_field": "alert_to"}],
		}
	).insert(ignore_permissions=True)
