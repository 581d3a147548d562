# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Number cards of the 志愿服务 workspace that a count over one DocType cannot give."""

import frappe

from wangge_app.volunteer import points
from wangge_app.volunteer.report.volunteering_summary.volunteering_summary import (
	get_member_figures,
	get_totals,
)


@frappe.whitelist()
def get_total_points_earned(filters=None) -> dict:
	frappe.has_permission(points.MEMBER, "read", throw=True)
	return {"value": get_totals(get_member_figures({}))["earned"], "fieldtype": "Int"}


@frappe.whitelist()
def get_average_activities_per_member(filters=None) -> dict:
	frappe.has_permission(points.MEMBER, "read", throw=True)
	# One decimal, as people read an average (the system's float precision would show 17.200).
	return {
		"value": get_totals(get_member_figures({}))["average_activities"],
		"fieldtype": "Float",
		"precision": 1,
	}
