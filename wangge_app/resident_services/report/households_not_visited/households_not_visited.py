# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Households not visited for N days (入户走访), from the visit records: the households the user may
read whose latest visit is older than N days, or that were never visited, the longest first."""

import frappe
from frappe import _
from frappe.utils import cint, date_diff, getdate

from wangge_app.resident_services.doctype.household_visit.household_visit import last_visits
from wangge_app.utils.report_filters import checked_filters

DEFAULT_DAYS = 30


def execute(filters=None):
	filters = checked_filters(filters, dates=("today",), numbers=("days",), names=("grid",))
	days = cint(filters.days) if filters.days not in (None, "") else DEFAULT_DAYS
	if days < 0:
		frappe.throw(_("The number of days cannot be negative."))
	return get_columns(), not_visited(days, filters.grid, filters.get("today"))


def not_visited(days: int, grid: str | None = None, today=None) -> list[dict]:
	today = getdate(today)
	conditions = {"grid": ["descendants of (inclusive)", grid]} if grid else {}
	households = frappe.get_list(
		"Household",
		filters=conditions,
		fields=["name", "address", "grid", "head_of_household_name"],
		order_by="name asc",
	)
	visited = last_visits()
	rows = []
	for household in households:
		last = visited.get(household.name)
		since = date_diff(today, last) if last else None
		if since is None or since > days:
			rows.append({**household, "household": household.name, "last_visit": last, "days_since": since})
	# Never visited first, then the longest since.
	return sorted(rows, key=lambda row: (row["days_since"] is not None, -(row["days_since"] or 0)))


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "household",
			"label": _("Household"),
			"fieldtype": "Link",
			"options": "Household",
			"width": 130,
		},
		{"fieldname": "address", "label": _("Address"), "fieldtype": "Data", "width": 150},
		{"fieldname": "grid", "label": _("Grid"), "fieldtype": "Link", "options": "Grid", "width": 150},
		{
			"fieldname": "head_of_household_name",
			"label": _("Head of Household"),
			"fieldtype": "Data",
			"width": 120,
		},
		{"fieldname": "last_visit", "label": _("Last Visit"), "fieldtype": "Date", "width": 110},
		{
			"fieldname": "days_since",
			"label": _("Days Since the Last Visit"),
			"fieldtype": "Int",
			"width": 120,
		},
	]
