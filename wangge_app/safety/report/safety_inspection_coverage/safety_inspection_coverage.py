# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Inspection coverage per grid, plan cycle and hazard category: the places the plans made due and
how many of them were inspected (submitted). The usual target is 95%. Micro-grids count for their
grid; a grid worker sees the figures of their own grids."""

import frappe
from frappe import _
from frappe.utils import flt

from wangge_app.utils.report_filters import checked_filters, grid_and_period, top_grids

TARGET = 95


def execute(filters=None):
	filters = checked_filters(filters, dates=("from_date", "to_date"), names=("grid",))
	conditions = {
		"plan": ("is", "set"),
		"docstatus": ("<", 2),
		**grid_and_period(filters, "Safety Inspection", "due_date"),
	}
	inspections = frappe.get_list(
		"Safety Inspection",
		filters=conditions,
		fields=["grid", "period", "category", "docstatus", "hazard_count"],
		limit_page_length=0,
	)
	grid_of = top_grids()
	groups = {}
	for row in inspections:
		key = (grid_of.get(row.grid, row.grid), row.period, row.category)
		groups.setdefault(key, []).append(row)
	data = [summarise(key, rows) for key, rows in sorted(groups.items())]
	total = summarise(("", "", ""), inspections) if inspections else None
	return get_columns(), data, None, None, get_report_summary(total)


def summarise(key, rows) -> dict:
	grid, period, category = key
	done = [row for row in rows if row.docstatus == 1]
	coverage = flt(100 * len(done) / len(rows), 1) if rows else 0
	return {
		"grid": grid,
		"period": period,
		"category": _(category) if category else "",
		"due": len(rows),
		"inspected": len(done),
		"coverage": coverage,
		"meets_target": int(coverage >= TARGET),
		"hazards": sum(row.hazard_count or 0 for row in done),
	}


def get_columns() -> list[dict]:
	return [
		{"fieldname": "grid", "label": _("Grid"), "fieldtype": "Link", "options": "Grid", "width": 180},
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "category", "label": _("Hazard Category"), "fieldtype": "Data", "width": 130},
		{"fieldname": "due", "label": _("Places Due"), "fieldtype": "Int", "width": 100},
		{"fieldname": "inspected", "label": _("Places Inspected"), "fieldtype": "Int", "width": 120},
		{"fieldname": "coverage", "label": _("Coverage (%)"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "meets_target", "label": _("Meets 95% Target"), "fieldtype": "Check", "width": 120},
		{"fieldname": "hazards", "label": _("Hazards Found"), "fieldtype": "Int", "width": 110},
	]


def get_report_summary(total: dict | None) -> list[dict]:
	if not total:
		return []
	return [
		{"value": total["due"], "label": _("Places Due"), "datatype": "Int"},
		{"value": total["inspected"], "label": _("Places Inspected"), "datatype": "Int"},
		{
			"value": total["coverage"],
			"label": _("Coverage (%)"),
			"datatype": "Percent",
			"indicator": "Green" if total["meets_target"] else "Red",
		},
	]
