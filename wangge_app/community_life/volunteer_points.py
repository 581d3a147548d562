# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Volunteers of a community activity earn points through the volunteer points ledger
(`wangge_app.volunteer.points`): when the activity is completed, never before; cancelling the
completed activity writes reversing entries."""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from wangge_app.volunteer import points

COMMUNITY_ACTIVITY = "Community Activity"


def award_volunteer_points(activity) -> list:
	"""One Earned entry per volunteer who attended a completed activity; returns the entries."""
	if activity.docstatus != 1:
		frappe.throw(
			_("Volunteer points are awarded when the activity is completed; {0} is not.").format(
				frappe.bold(activity.title)
			),
			title=_("Activity Not Completed"),
		)
	if frappe.db.exists(points.ENTRY, {"voucher_type": COMMUNITY_ACTIVITY, "voucher_no": activity.name}):
		frappe.throw(
			_("The volunteers of {0} already have their points.").format(frappe.bold(activity.title))
		)
	attended = sorted({row.member for row in activity.volunteers if row.attended})
	return [
		points.make_points_entry(
			member,
			cint(activity.points_per_volunteer),
			points.EARNED,
			COMMUNITY_ACTIVITY,
			activity.name,
			posting_date=getdate(activity.end_time),
			remarks=activity.title,
		)
		for member in attended
	]


def reverse_volunteer_points(activity) -> list:
	return points.reverse_voucher_entries(COMMUNITY_ACTIVITY, activity.name)


def check_volunteer_points_reversible(activity) -> None:
	points.check_reversible(COMMUNITY_ACTIVITY, activity.name)
