# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The scheduled check of the mediation time targets (Mediation Settings).

A case that misses a target gets a row in its *Missed Time Targets* table and is marked
overdue, and the users responsible for it get one notification. The row is the record of
the breach: a target already listed is not reported again.
"""

import datetime

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import add_to_date, get_datetime, now_datetime

from wangge_app.mediation.doctype.dispute_case.dispute_case import CLOSED
from wangge_app.mediation.doctype.mediation_settings.mediation_settings import get_time_targets

TARGET_ARRIVAL = "Arrival on Site"
TARGET_SETTLEMENT = "Settlement"
TARGET_FOLLOW_UP = "Follow-up Visit"


def mark_overdue_cases(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""Record and notify every newly missed target; return the (case, target) pairs found."""
	now = get_datetime(now) if now else now_datetime()
	targets = get_time_targets()
	breaches = []
	for case in frappe.get_all(
		"Dispute Case",
		{"workflow_state": ("!=", CLOSED)},
		["name", "tier", "discovered_at", "arrived_at", "settled_at"],
		order_by="discovered_at",
	):
		for target, due_at in missed_targets(case, targets[case.tier], now):
			if record_breach(case.name, target, due_at, now):
				breaches.append((case.name, target))
	return breaches


def missed_targets(case, target, now: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
	missed = []
	if not case.arrived_at:
		due_at = add_to_date(case.discovered_at, hours=target.arrival_hours)
		if now > due_at:
			missed.append((TARGET_ARRIVAL, due_at))
	if not case.settled_at:
		due_at = add_to_date(case.discovered_at, days=target.settlement_days)
		if now > due_at:
			missed.append((TARGET_SETTLEMENT, due_at))
	elif not frappe.db.exists("Dispute Case Follow-up", {"parent": case.name, "parenttype": "Dispute Case"}):
		due_at = add_to_date(case.settled_at, days=target.follow_up_days)
		if now > due_at:
			missed.append((TARGET_FOLLOW_UP, due_at))
	return missed


def record_breach(case_name: str, target: str, due_at, now) -> bool:
	"""Record one missed target and notify; False when it was recorded before."""
	if frappe.db.exists(
		"Dispute Case Overdue", {"parent": case_name, "parenttype": "Dispute Case", "target": target}
	):
		return False
	case = frappe.get_doc("Dispute Case", case_name)
	users = case.responsible_users()
	row = case.append(
		"overdue_log",
		{"target": target, "due_at": due_at, "noticed_at": now, "notified_users": "\n".join(users)},
	)
	# Straight to the database: the job must not stop at a case that would fail validation today.
	row.db_insert()
	case.db_set("is_overdue", 1, update_modified=False)
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": case.doctype,
			"document_name": case.name,
			"subject": _("Dispute case {0} ({1}) missed its time target: {2}, due {3}.").format(
				case.name, case.subject, _(target), frappe.format(due_at, "Datetime")
			),
			"from_user": "Administrator",
		},
		users,
	)
	return True
