# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Community activity summary (社区活动统计): per month and target group, the activities held or
planned (called-off and cancelled ones left out), their places, sign-ups, attendance (check-ins) and
the residents reached (each resident counted once per row, however many activities they attended).

Sign-ups are read within the user's permissions: a grid worker's figures are those of their grids'
residents.
"""

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, nowdate

from wangge_app.community_life import sign_ups
from wangge_app.community_life.eligibility import TARGET_GROUPS
from wangge_app.utils.report_filters import checked_filters


def execute(filters=None):
	filters = checked_filters(filters, numbers=("year",))
	year = cint(filters.get("year")) or get_datetime(nowdate()).year
	if not 1900 <= year <= 2999:
		frappe.throw(_("Give a year from 1900 to 2999."), title=_("Invalid Input"))
	rows = summary_rows(year, filters.get("target_group"))
	return columns(), rows, None, None, report_summary(year, filters.get("target_group"))


def columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Int", "width": 80},
		{"fieldname": "target_group", "label": _("Target Group"), "fieldtype": "Data", "width": 160},
		{"fieldname": "activities", "label": _("Activities"), "fieldtype": "Int", "width": 100},
		{"fieldname": "places", "label": _("Places"), "fieldtype": "Int", "width": 100},
		{"fieldname": "signed_up", "label": _("Signed Up"), "fieldtype": "Int", "width": 100},
		{"fieldname": "attended", "label": _("Attended"), "fieldtype": "Int", "width": 100},
		{"fieldname": "residents_reached", "label": _("Residents Reached"), "fieldtype": "Int", "width": 140},
	]


def activities_of(year: int, target_group=None) -> list:
	filters = [
		["start_time", ">=", f"{year}-01-01 00:00:00"],
		["start_time", "<", f"{year + 1}-01-01 00:00:00"],
		["status", "!=", "Cancelled"],
	]
	if target_group:
		if target_group not in TARGET_GROUPS:
			frappe.throw(_("Unknown target group {0}.").format(target_group))
		filters.append(["target_group", "=", target_group])
	return frappe.get_list(
		"Community Activity",
		filters=filters,
		fields=["name", "start_time", "target_group", "capacity"],
		limit_page_length=0,
	)


def sign_ups_of(activity_names) -> list:
	if not activity_names:
		return []
	return frappe.get_list(
		"Activity Sign-up",
		filters={"activity": ("in", activity_names), "status": sign_ups.SIGNED_UP},
		fields=["activity", "resident", "checked_in"],
		limit_page_length=0,
	)


def summary_rows(year: int, target_group=None) -> list[dict]:
	activities = activities_of(year, target_group)
	rows: dict[tuple, dict] = {}
	row_of_activity = {}
	for activity in activities:
		key = (get_datetime(activity.start_time).month, activity.target_group)
		row = rows.setdefault(
			key,
			{
				"month": key[0],
				"target_group": _(key[1]),
				"activities": 0,
				"places": 0,
				"signed_up": 0,
				"attended": 0,
				"reached": set(),
			},
		)
		row["activities"] += 1
		row["places"] += cint(activity.capacity)
		row_of_activity[activity.name] = row
	for sign_up in sign_ups_of(list(row_of_activity)):
		row = row_of_activity[sign_up.activity]
		row["signed_up"] += 1
		if sign_up.checked_in:
			row["attended"] += 1
			row["reached"].add(sign_up.resident)
	order = {group: index for index, group in enumerate(TARGET_GROUPS)}
	result = []
	for key in sorted(rows, key=lambda key: (key[0], order.get(key[1], 99))):
		row = rows[key]
		row["residents_reached"] = len(row.pop("reached"))
		result.append(row)
	return result


def report_summary(year: int, target_group=None) -> list[dict]:
	"""The year's residents reached, each counted once whatever they attended."""
	activities = activities_of(year, target_group)
	attended = [row for row in sign_ups_of([a.name for a in activities]) if row.checked_in]
	return [
		{"value": len(activities), "label": _("Activities"), "datatype": "Int"},
		{"value": len(attended), "label": _("Attended"), "datatype": "Int"},
		{
			"value": len({row.resident for row in attended}),
			"label": _("Residents Reached"),
			"datatype": "Int",
		},
	]
