# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Safety hazards counted by grid, category, risk level, month found or state.

A hazard is *open* until it is closed (销号) or referred to a department. It was *rectified on
time* when it was closed by the end of its rectification deadline; the share is taken of the
closed hazards. Hazards of micro-grids count for their grid. The hazards counted are those the
user may read, so a grid worker sees the figures of their own grids.
"""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate

from wangge_app.safety.doctype.safety_hazard.safety_hazard import RISK_LEVELS
from wangge_app.utils.report_filters import checked_filters, grid_and_period, grouped
from wangge_app.workflows import HAZARD_CLOSED, REFERRED_TO_DEPARTMENT

GROUP_FIELDS = {
	"Grid": "grid",
	"Hazard Category": "category",
	"Risk Level": "risk_level",
	"Month": "month",
	"Status": "workflow_state",
}
TRANSLATED_GROUPS = ("Hazard Category", "Risk Level", "Status")


def execute(filters=None):
	filters = checked_filters(filters, dates=("from_date", "to_date"), names=("grid",))
	group_by = filters.group_by or "Grid"
	if group_by not in GROUP_FIELDS:
		frappe.throw(_("The report counts by grid, hazard category, risk level, month or status."))
	hazards = get_hazards(filters)
	groups = grouped(hazards, GROUP_FIELDS[group_by], by_grid=group_by == "Grid")
	data = [
		summarise(group, groups[group], group_by)
		for group in sorted(groups, key=RISK_LEVELS.index if group_by == "Risk Level" else None)
	]
	summary = summarise(_("All Hazards"), hazards, None) if hazards else None
	return get_columns(group_by), data, None, None, get_report_summary(summary)


def get_hazards(filters) -> list:
	hazards = frappe.get_list(
		"Safety Hazard",
		filters=grid_and_period(filters, "Safety Hazard", "found_on"),
		fields=[
			"name",
			"grid",
			"category",
			"risk_level",
			"workflow_state",
			"found_on",
			"is_overdue",
			"rectification_due_by",
			"rectified_at",
		],
		limit_page_length=0,
	)
	for hazard in hazards:
		hazard.month = getdate(hazard.found_on).strftime("%Y-%m")
	return hazards


def is_open(hazard) -> bool:
	return hazard.workflow_state not in (HAZARD_CLOSED, REFERRED_TO_DEPARTMENT)


def on_time(hazard) -> bool:
	return bool(
		hazard.rectified_at
		and hazard.rectification_due_by
		and get_datetime(hazard.rectified_at) <= get_datetime(hazard.rectification_due_by)
	)


def summarise(group: str, hazards: list, group_by: str | None) -> dict:
	closed = [hazard for hazard in hazards if hazard.workflow_state == HAZARD_CLOSED]
	closed_on_time = [hazard for hazard in closed if on_time(hazard)]
	return {
		"group": _(group) if group_by in TRANSLATED_GROUPS else group,
		"hazards": len(hazards),
		"open": sum(1 for hazard in hazards if is_open(hazard)),
		"overdue": sum(1 for hazard in hazards if is_open(hazard) and hazard.is_overdue),
		"closed": len(closed),
		"closed_on_time": len(closed_on_time),
		"on_time_rate": flt(100 * len(closed_on_time) / len(closed), 1) if closed else None,
		"referred": sum(1 for hazard in hazards if hazard.workflow_state == REFERRED_TO_DEPARTMENT),
	}


def get_columns(group_by: str) -> list[dict]:
	group_column = {"fieldname": "group", "label": _(group_by), "width": 200}
	if group_by == "Grid":
		group_column.update(fieldtype="Link", options="Grid")
	else:
		group_column["fieldtype"] = "Data"
	return [
		group_column,
		{"fieldname": "hazards", "label": _("Hazards", context="Count"), "fieldtype": "Int", "width": 100},
		{"fieldname": "open", "label": _("Open"), "fieldtype": "Int", "width": 100},
		{"fieldname": "overdue", "label": _("Overdue"), "fieldtype": "Int", "width": 100},
		{"fieldname": "closed", "label": _("Closed"), "fieldtype": "Int", "width": 100},
		{"fieldname": "closed_on_time", "label": _("Rectified on Time"), "fieldtype": "Int", "width": 130},
		{"fieldname": "on_time_rate", "label": _("On-time Rate (%)"), "fieldtype": "Percent", "width": 130},
		{"fieldname": "referred", "label": _("Referred to Department"), "fieldtype": "Int", "width": 140},
	]


def get_report_summary(summary: dict | None) -> list[dict]:
	if not summary:
		return []
	return [
		{"value": summary["hazards"], "label": _("Hazards", context="Count"), "datatype": "Int"},
		{"value": summary["open"], "label": _("Open"), "datatype": "Int", "indicator": "Orange"},
		{"value": summary["overdue"], "label": _("Overdue"), "datatype": "Int", "indicator": "Red"},
		{"value": summary["on_time_rate"] or 0, "label": _("On-time Rate (%)"), "datatype": "Percent"},
	]
