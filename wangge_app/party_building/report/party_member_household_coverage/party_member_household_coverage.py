# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe import _

from wangge_app.party_building.coverage import get_coverage
from wangge_app.utils.report_filters import checked_filters


def execute(filters=None):
	filters = checked_filters(filters, names=("community",))
	return get_columns(), get_coverage(filters.get("community"))


def get_columns() -> list[dict]:
	return [
		# Plain text, not a link: the report shows every grid's aggregate to each of its roles, and
		# Frappe would drop rows of grids a user cannot open (party officers do not read grids).
		{"fieldname": "grid", "label": _("Grid Code"), "fieldtype": "Data", "width": 120},
		{"fieldname": "grid_name", "label": _("Grid Name"), "fieldtype": "Data", "width": 200},
		{"fieldname": "households", "label": _("Households"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "served_households",
			"label": _("Served by a Party Member Household"),
			"fieldtype": "Int",
			"width": 180,
		},
		{"fieldname": "coverage", "label": _("Coverage"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "party_member_households",
			"label": _("Number of Party Member Households"),
			"fieldtype": "Int",
			"width": 140,
		},
	]
