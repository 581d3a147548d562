# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import getdate

from wangge_app.utils.report_filters import checked_filters

RESIDENT = "Resident"


def execute(filters=None):
	filters = checked_filters(filters, dates=("from_date", "to_date"), names=("station",))
	return get_columns(), get_monthly_totals(filters)


def get_monthly_totals(filters) -> list[dict]:
	"""People served per month, station and service, residents and passers-by apart."""
	log_filters = {}
	if filters.station:
		log_filters["station"] = filters.station
	if filters.from_date and filters.to_date:
		log_filters["log_date"] = ("between", [filters.from_date, filters.to_date])
	entries = frappe.get_list(
		"Service Station Log",
		filters=log_filters,
		fields=["station", "service", "visitor_type", "log_date", "people_count"],
		limit_page_length=0,
	)

	totals = defaultdict(lambda: {"residents": 0, "passers_by": 0})
	for entry in entries:
		key = (getdate(entry.log_date).strftime("%Y-%m"), entry.station, entry.service)
		totals[key]["residents" if entry.visitor_type == RESIDENT else "passers_by"] += entry.people_count

	return [
		{
			"month": month,
			"station": station,
			"service": service,
			**people,
			"total": people["residents"] + people["passers_by"],
		}
		for (month, station, service), people in sorted(totals.items())
	]


def get_columns() -> list[dict]:
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "station",
			"label": _("Service Station"),
			"fieldtype": "Link",
			"options": "Party Mass Service Station",
			"width": 200,
		},
		{
			"fieldname": "service",
			"label": _("Service"),
			"fieldtype": "Link",
			"options": "Station Service",
			"width": 140,
		},
		{"fieldname": "residents", "label": _("Residents"), "fieldtype": "Int", "width": 110},
		{"fieldname": "passers_by", "label": _("Passers-by and Tourists"), "fieldtype": "Int", "width": 160},
		{"fieldname": "total", "label": _("Total People"), "fieldtype": "Int", "width": 110},
	]
