# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Dispute cases counted by grid, tier, category or state.

A case is *settled* once it has an outcome. It is *resolved in the grid* when it reached an
agreement while still an ordinary case, i.e. without escalation or referral; the share is
taken of the settled cases. Cases of micro-grids count for their grid. The cases counted
are those the user may read, so a grid worker sees the figures of their own grids.
"""

import statistics

import frappe
from frappe import _
from frappe.utils import flt, get_datetime

from wangge_app.mediation.doctype.dispute_case.dispute_case import OUTCOME_AGREEMENT
from wangge_app.utils.report_filters import checked_filters, grid_and_period, grouped

GROUP_FIELDS = {"Grid": "grid", "Tier": "tier", "Category": "category", "Status": "workflow_state"}


def execute(filters=None):
	filters = checked_filters(
		filters, dates=("from_date", "to_date"), names=("grid",), choices={"group_by": tuple(GROUP_FIELDS)}
	)
	group_by = filters.group_by or "Grid"
	cases = get_cases(filters)
	groups = grouped(cases, GROUP_FIELDS[group_by], by_grid=group_by == "Grid")
	data = [summarise(group, group_by, rows) for group, rows in sorted(groups.items())]
	summary = summarise(_("All Cases"), group_by, cases) if cases else None
	return get_columns(group_by), data, None, None, get_report_summary(summary)


def get_cases(filters) -> list:
	return frappe.get_list(
		"Dispute Case",
		filters=grid_and_period(filters, "Dispute Case", "discovered_at"),
		fields=[
			"name",
			"grid",
			"tier",
			"category",
			"workflow_state",
			"outcome",
			"escalated_at",
			"discovered_at",
			"arrived_at",
			"closed_at",
		],
		limit_page_length=0,
	)


def summarise(group: str, group_by: str, cases: list) -> dict:
	settled = [case for case in cases if case.outcome]
	in_grid = [
		case
		for case in settled
		if case.outcome == OUTCOME_AGREEMENT and case.tier == "Ordinary" and not case.escalated_at
	]
	return {
		"group": group,
		"group_label": group_label(group, group_by),
		"cases": len(cases),
		"settled": len(settled),
		"resolved_in_grid": len(in_grid),
		"share_in_grid": flt(100 * len(in_grid) / len(settled), 1) if settled else None,
		"median_hours_to_arrival": median_hours(cases, "arrived_at"),
		"median_hours_to_closure": median_hours(cases, "closed_at"),
	}


def group_label(group: str, group_by: str) -> str:
	if group_by == "Grid" and group and frappe.db.exists("Grid", group):
		return frappe.db.get_value("Grid", group, "grid_name")
	return _(group) if group else _("Not Set")


def median_hours(cases: list, fieldname: str) -> float | None:
	hours = [
		(get_datetime(case[fieldname]) - get_datetime(case.discovered_at)).total_seconds() / 3600
		for case in cases
		if case[fieldname]
	]
	return flt(statistics.median(hours), 1) if hours else None


def get_columns(group_by: str) -> list[dict]:
	return [
		{"fieldname": "group_label", "label": _(group_by), "fieldtype": "Data", "width": 220},
		{"fieldname": "cases", "label": _("Cases"), "fieldtype": "Int", "width": 90},
		{"fieldname": "settled", "label": _("Settled"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "resolved_in_grid",
			"label": _("Resolved in the Grid"),
			"fieldtype": "Int",
			"width": 120,
		},
		{
			"fieldname": "share_in_grid",
			"label": _("Share Resolved in the Grid (%)"),
			"fieldtype": "Percent",
			"width": 160,
		},
		{
			"fieldname": "median_hours_to_arrival",
			"label": _("Median Hours to Arrival"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
		{
			"fieldname": "median_hours_to_closure",
			"label": _("Median Hours to Closure"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
	]


def get_report_summary(total: dict | None) -> list[dict]:
	if not total:
		return []
	return [
		{"value": total["cases"], "label": _("Cases"), "datatype": "Int"},
		{
			"value": total["share_in_grid"] or 0,
			"label": _("Share Resolved in the Grid (%)"),
			"datatype": "Percent",
		},
		{
			"value": hours_text(total["median_hours_to_arrival"]),
			"label": _("Median Hours to Arrival"),
			"datatype": "Data",
		},
		{
			"value": hours_text(total["median_hours_to_closure"]),
			"label": _("Median Hours to Closure"),
			"datatype": "Data",
		},
	]


def hours_text(hours: float | None) -> str:
	# The summary cards format floats with the system precision; hours read best with one decimal.
	return "—" if hours is None else f"{hours:.1f}"
