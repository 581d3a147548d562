# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Assisted services (帮办代办) by service, resident category (elderly, disabled), mode or month: how many were
asked for, completed, completed within the service's time limit, and how many have documents still out.
The services counted are those the user may read."""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate

from wangge_app.engine_guards import readable
from wangge_app.utils.report_filters import checked_filters, grid_and_period
from wangge_app.workflows import SERVICE_CLOSED, SERVICE_COMPLETED

GROUP_FIELDS = {
	"Service": "service_type",
	"Resident Category": "resident_group",
	"Mode": "mode",
	"Month": "requested_on",
}
DONE_STATES = (SERVICE_COMPLETED, SERVICE_CLOSED)
SERVICE = "Assisted Service Request"


def execute(filters=None):
	filters = checked_filters(filters, names=("grid",), choices={"group_by": tuple(GROUP_FIELDS)})
	group_by = filters.group_by or "Service"
	# The resident category is personal data (permission level 1): those who may not read it (a
	# District Manager) may not count by it either.
	if not readable(SERVICE, GROUP_FIELDS[group_by]):
		frappe.throw(
			_("You cannot filter, group or sort by {0}.").format(frappe.bold(_(group_by))),
			frappe.PermissionError,
		)
	services = frappe.get_list(
		SERVICE,
		filters=grid_and_period(filters, SERVICE),
		fields=[
			"name",
			"service_type",
			"resident_group",
			"mode",
			"requested_on",
			"workflow_state",
			"due_date",
			"completed_on",
			"documents_out",
		],
		order_by="requested_on asc, name asc",
	)
	groups: dict[str, list] = {}
	for service in services:
		value = service[GROUP_FIELDS[group_by]]
		key = getdate(value).strftime("%Y-%m") if group_by == "Month" else (value or "")
		groups.setdefault(key, []).append(service)
	data = [
		{"group": key if group_by == "Month" else _(key), "group_value": key, **figures(rows)}
		for key, rows in sorted(groups.items())
	]
	return get_columns(group_by), data


def figures(services: list) -> dict:
	done = [service for service in services if service.workflow_state in DONE_STATES]
	on_time = [
		service
		for service in done
		if service.completed_on
		and service.due_date
		and getdate(get_datetime(service.completed_on)) <= getdate(service.due_date)
	]
	return {
		"services": len(services),
		"completed": len(done),
		"on_time_share": flt(100 * len(on_time) / len(done), 1) if done else None,
		"documents_out": sum(1 for service in services if service.documents_out),
	}


def get_columns(group_by: str) -> list[dict]:
	return [
		{"fieldname": "group", "label": _(group_by), "fieldtype": "Data", "width": 200},
		{"fieldname": "services", "label": _("Assisted Services"), "fieldtype": "Int", "width": 110},
		{"fieldname": "completed", "label": _("Completed"), "fieldtype": "Int", "width": 100},
		{"fieldname": "on_time_share", "label": _("On-time Share (%)"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "documents_out", "label": _("With Documents Out"), "fieldtype": "Int", "width": 130},
	]
