# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Residents' requests by grid, community, category, grade or month, each group drillable to its requests
(a tree: the group's row, then one row per request).

- *Resolved*: the request reached Resolved (or was followed up and closed since).
- *In-grid share*: of the resolved requests, those resolved in the grid (Resident Request.resolved_in_grid,
  from each request's history).
- *On-time share*: of the resolved requests, those resolved by their resolution due time.
- The three rates by which Beijing's 接诉即办 judges its units, from the follow-up records: for each request
  its latest valid follow-up (the resident answered) counts once.
  响应率 (response rate) = contacted ÷ valid follow-ups; 解决率 (resolution rate) = resolved ÷ valid
  follow-ups; 满意率 (satisfaction rate) = (satisfied + 0.9 × basically satisfied) ÷ valid follow-ups.

The requests counted are those the user may read: a grid worker sees the figures of their own grids.
"""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate
from frappe.utils.nestedset import get_ancestors_of

from wangge_app.resident_services.doctype.resident_request.resident_request import (
	DONE_STATES,
	RESIDENT_REQUEST,
)
from wangge_app.utils.report_filters import checked_filters, grid_and_period

GROUPINGS = ("Grid", "Community", "Category", "Grade", "Month")
BASICALLY_SATISFIED_WEIGHT = 0.9


def execute(filters=None):
	filters = checked_filters(
		filters, dates=("from_date", "to_date"), names=("grid",), choices={"group_by": GROUPINGS}
	)
	group_by = filters.group_by if filters.group_by in GROUPINGS else "Grid"
	requests = get_requests(filters)
	add_latest_follow_ups(requests)
	key_of = group_key(group_by)
	groups: dict[str, list] = {}
	for request in requests:
		groups.setdefault(key_of(request), []).append(request)
	data = []
	for group, rows in sorted(groups.items()):
		data.append(
			{**figures(rows), "group": group_label(group, group_by), "group_value": group, "indent": 0}
		)
		data.extend(
			{**figures([request]), "group": request.name, "request": request.name, "indent": 1}
			for request in rows
		)
	summary = figures(requests) if requests else None
	return get_columns(group_by), data, None, None, report_summary(summary)


def get_requests(filters) -> list:
	return frappe.get_list(
		RESIDENT_REQUEST,
		filters=grid_and_period(filters, RESIDENT_REQUEST, "received_at"),
		fields=[
			"name",
			"grid",
			"category",
			"grade",
			"received_at",
			"workflow_state",
			"resolved_at",
			"resolve_due_by",
			"resolved_in_grid",
			"whistle_count",
		],
		order_by="received_at asc, name asc",
	)


def add_latest_follow_ups(requests: list) -> None:
	"""Each request's latest valid follow-up (the resident answered), as `follow_up`: latest by the
	server's stamp (follow-ups stored before it was kept have none, and come first), then by place."""
	names = [request.name for request in requests]
	latest = {}
	for row in frappe.get_list(
		"Resident Request Follow-up",
		filters={"parent": ["in", names or [""]], "parenttype": RESIDENT_REQUEST, "reached": 1},
		fields=["parent", "idx", "contacted", "resolved", "satisfaction"],
		parent_doctype=RESIDENT_REQUEST,
		order_by="parent asc, recorded_at asc, creation asc, idx asc",
	):
		latest[row.parent] = row
	for request in requests:
		request.follow_up = latest.get(request.name)


def group_key(group_by: str):
	if group_by == "Month":
		return lambda request: get_datetime(request.received_at).strftime("%Y-%m")
	if group_by in ("Grid", "Community"):
		levels = {
			grid.name: grid for grid in frappe.get_all("Grid", fields=["name", "grid_level", "parent_grid"])
		}

		wanted = "Community" if group_by == "Community" else "Grid"
		keys: dict[str, str] = {}

		def grid_key(request):
			if request.grid not in keys:
				chain = [request.grid, *get_ancestors_of("Grid", request.grid)]
				keys[request.grid] = next(
					(name for name in chain if levels[name].grid_level == wanted), request.grid
				)
			return keys[request.grid]

		return grid_key
	field = group_by.lower()
	return lambda request: request[field] or ""


def group_label(group: str, group_by: str) -> str:
	if group_by in ("Grid", "Community"):
		return frappe.db.get_value("Grid", group, "grid_name") or group
	if group_by == "Month":
		return group
	return _(group)


def share(part: int, whole: int) -> float | None:
	return flt(100 * part / whole, 1) if whole else None


def figures(requests: list) -> dict:
	resolved = [request for request in requests if request.workflow_state in DONE_STATES]
	on_time = [
		request
		for request in resolved
		if request.resolved_at
		and request.resolve_due_by
		and get_datetime(request.resolved_at) <= get_datetime(request.resolve_due_by)
	]
	follow_ups = [request.follow_up for request in requests if request.follow_up]
	satisfied = sum(1 for row in follow_ups if row.satisfaction == "Satisfied")
	basically = sum(1 for row in follow_ups if row.satisfaction == "Basically Satisfied")
	valid = len(follow_ups)
	return {
		"requests": len(requests),
		"resolved": len(resolved),
		"resolved_in_grid": sum(1 for request in resolved if request.resolved_in_grid),
		"in_grid_share": share(sum(1 for request in resolved if request.resolved_in_grid), len(resolved)),
		"on_time_share": share(len(on_time), len(resolved)),
		"whistles": sum(request.whistle_count or 0 for request in requests),
		"valid_follow_ups": valid,
		"response_rate": share(sum(1 for row in follow_ups if row.contacted), valid),
		"resolution_rate": share(sum(1 for row in follow_ups if row.resolved), valid),
		"satisfaction_rate": flt(100 * (satisfied + BASICALLY_SATISFIED_WEIGHT * basically) / valid, 1)
		if valid
		else None,
	}


def get_columns(group_by: str) -> list[dict]:
	return [
		{"fieldname": "group", "label": _(group_by), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "request",
			"label": _("Resident Request"),
			"fieldtype": "Link",
			"options": RESIDENT_REQUEST,
			"width": 150,
		},
		{"fieldname": "requests", "label": _("Requests"), "fieldtype": "Int", "width": 90},
		{"fieldname": "resolved", "label": _("Resolved"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "resolved_in_grid",
			"label": _("Resolved Inside the Grid"),
			"fieldtype": "Int",
			"width": 110,
		},
		{"fieldname": "in_grid_share", "label": _("In-grid Share (%)"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "on_time_share", "label": _("On-time Share (%)"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "whistles", "label": _("Whistles Blown"), "fieldtype": "Int", "width": 90},
		{"fieldname": "valid_follow_ups", "label": _("Valid Follow-ups"), "fieldtype": "Int", "width": 100},
		{"fieldname": "response_rate", "label": _("Response Rate (%)"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "resolution_rate",
			"label": _("Resolution Rate (%)"),
			"fieldtype": "Percent",
			"width": 110,
		},
		{
			"fieldname": "satisfaction_rate",
			"label": _("Satisfaction Rate (%)"),
			"fieldtype": "Percent",
			"width": 110,
		},
	]


def report_summary(summary: dict | None) -> list[dict]:
	if not summary:
		return []
	return [
		{"label": _("Requests"), "value": summary["requests"], "datatype": "Int"},
		{"label": _("In-grid Share (%)"), "value": summary["in_grid_share"], "datatype": "Percent"},
		{"label": _("On-time Share (%)"), "value": summary["on_time_share"], "datatype": "Percent"},
		{"label": _("Response Rate (%)"), "value": summary["response_rate"], "datatype": "Percent"},
		{"label": _("Resolution Rate (%)"), "value": summary["resolution_rate"], "datatype": "Percent"},
		{"label": _("Satisfaction Rate (%)"), "value": summary["satisfaction_rate"], "datatype": "Percent"},
	]


@frappe.whitelist()
def get_in_grid_rate_this_year(filters=None) -> dict:
	"""Number card: the share of this year's resolved requests resolved in the grid (the user's grids)."""
	if not frappe.has_permission(RESIDENT_REQUEST, "read"):
		frappe.throw(_("You cannot read residents' requests."), frappe.PermissionError)
	year = getdate().year
	requests = get_requests(frappe._dict(from_date=f"{year}-01-01", to_date=f"{year}-12-31"))
	return {"value": figures(requests)["in_grid_share"] or 0, "fieldtype": "Percent"}
