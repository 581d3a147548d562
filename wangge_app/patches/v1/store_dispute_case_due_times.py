# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Cases registered before their due times were stored: store them, mark the targets already
alerted (their rows in Missed Time Targets) so that they are not alerted again, stamp the first
follow-up visit, and create the Notification that now alerts a missed target."""

import frappe

from wangge_app.alerts import make_missed_due_time_notification
from wangge_app.mediation.doctype.dispute_case.dispute_case import DUE_TARGETS, STEP_FOLLOW_UP

FIELDS = ("followed_up_at", "next_due_by", *(f for t in DUE_TARGETS for f in (t.due_field, t.alerted_field)))


def execute():
	for name in frappe.get_all("Dispute Case", pluck="name", order_by="creation"):
		case = frappe.get_doc("Dispute Case", name)
		follow_ups = [row.step_time for row in case.step_log if row.step == STEP_FOLLOW_UP and row.step_time]
		if not case.followed_up_at and (follow_ups or case.follow_up_visits):
			case.followed_up_at = (
				min(follow_ups)
				if follow_ups
				else min(row.visit_date for row in case.follow_up_visits if row.visit_date)
			)
		alerted = {row.target for row in case.overdue_log}
		for target in DUE_TARGETS:
			case.set(target.alerted_field, int(target.target in alerted))
		case.set_due_times(force=True, met_too=True)
		case.db_set({field: case.get(field) for field in FIELDS}, update_modified=False)
	make_missed_due_time_notification("Dispute Case")
