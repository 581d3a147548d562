# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Grid Scorecard (网格工作评分表): one row per grid, or per community for district staff, with the
figures of the seven areas that exist so far, and the cases at risk of missing a time target.

Each figure is counted in one grouped query per DocType, within the user's scope (the permission
layer's conditions), so the district's scorecard costs the same number of queries as a community's.
Records of micro-grids count for their grid; every grid counts for its community.

- Central household coverage: households served by a designated central household ÷ households.
- In-grid share: settled cases that reached an agreement in the grid without escalation ÷ settled cases.
- At risk: open cases not yet overdue whose next time target falls within `AT_RISK_HOURS`.
- Points held and activities per member come from the members' kept balances and activity counts.
- Visit coverage: households visited this quarter (Household Visit) ÷ households.
"""

import frappe
from frappe import _
from frappe.utils import add_to_date, flt, get_quarter_start, getdate, now_datetime

from wangge_app.grid.doctype.grid.grid import COMMUNITY, GRID_LEVEL, MICRO_GRID
from wangge_app.mediation.doctype.dispute_case.dispute_case import OUTCOME_AGREEMENT
from wangge_app.permissions import scope_conditions, user_grids
from wangge_app.roles import DISTRICT_MANAGER
from wangge_app.utils.report_filters import checked_filters
from wangge_app.workflows import CASE_CLOSED, DESIGNATED, REQUEST_CLOSED, USED

BY_GRID = "By Grid"
BY_COMMUNITY = "By Community"
AT_RISK_HOURS = 24
COUNTS = (
	"households",
	"served_households",
	"central_households",
	"cases",
	"cases_in_hand",
	"overdue",
	"at_risk",
	"requests_at_risk",
	"visited_households",
	"settled",
	"resolved_in_grid",
	"members",
	"points_balance",
	"activities",
	"vouchers_used",
)


def execute(filters=None):
	filters = checked_filters(filters, choices={"rows": (BY_GRID, BY_COMMUNITY)})
	rows_by = filters.rows or default_rows()
	places = place_map()
	keys = row_keys(places, rows_by)
	totals = {key: dict.fromkeys(COUNTS, 0) for key in keys}
	for fieldname, counts in grid_counts().items():
		for grid, value in counts.items():
			key = row_key(places, grid, rows_by)
			if key in totals:
				totals[key][fieldname] += value
	data = [scorecard_row(places, key, totals[key], rows_by) for key in keys]
	return get_columns(rows_by), data


def default_rows() -> str:
	return BY_COMMUNITY if DISTRICT_MANAGER in frappe.get_roles() else BY_GRID


def place_map() -> dict[str, frappe._dict]:
	"""Every grid with its level, its grid (a micro-grid's parent) and its community."""
	grids = {
		grid.name: grid
		for grid in frappe.get_all(
			"Grid", fields=["name", "grid_name", "grid_level", "parent_grid", "lft"], order_by="lft"
		)
	}
	for grid in grids.values():
		own_grid = grid.parent_grid if grid.grid_level == MICRO_GRID else grid.name
		grid.grid = own_grid if grid.grid_level in (GRID_LEVEL, MICRO_GRID) else None
		parent_of_grid = grids.get(own_grid, frappe._dict()).get("parent_grid")
		grid.community = (
			grid.name
			if grid.grid_level == COMMUNITY
			else parent_of_grid
			if grid.grid_level in (GRID_LEVEL, MICRO_GRID)
			else None
		)
	return grids


def row_key(places, grid: str | None, rows_by: str) -> str | None:
	place = places.get(grid)
	if not place:
		return None
	return place.community if rows_by == BY_COMMUNITY else place.grid


def row_keys(places, rows_by: str) -> list[str]:
	"""The rows: the grids the user may see (a community: any of whose grids the user may see)."""
	visible = user_grids()
	keys = []
	for name, place in places.items():
		if place.grid_level != GRID_LEVEL or (visible is not None and name not in visible):
			continue
		key = place.community if rows_by == BY_COMMUNITY else name
		if key and key not in keys:
			keys.append(key)
	return keys


def scoped(doctype: str) -> str:
	condition = scope_conditions(doctype)
	return f"and {condition}" if condition else ""


def grouped(query: str, values: dict | None = None) -> dict[str, int]:
	return {row[0]: row[1] for row in frappe.db.sql(query, values or {})}


def grid_counts() -> dict[str, dict[str, int]]:
	"""Each figure, counted per grid (as stored on the records), within the user's scope."""
	now = now_datetime()
	values = {
		"closed": CASE_CLOSED,
		"agreement": OUTCOME_AGREEMENT,
		"designated": DESIGNATED,
		"used": USED,
		"request_closed": REQUEST_CLOSED,
		"quarter_start": get_quarter_start(getdate(now)),
		"now": now,
		"at_risk_until": add_to_date(now, hours=AT_RISK_HOURS),
	}
	counts = {
		"households": grouped(
			f"select grid, count(*) from `tabHousehold` where 1=1 {scoped('Household')} group by grid"
		),
		"served_households": grouped(
			f"""select `tabHousehold`.grid, count(distinct served.household)
			from `tabServed Household` served
			join `tabParty Member Household` central on central.name = served.parent
				and served.parenttype = 'Party Member Household'
			join `tabHousehold` on `tabHousehold`.name = served.household
			where central.status = %(designated)s {scoped("Household")}
			group by `tabHousehold`.grid""",
			values,
		),
		"central_households": grouped(
			f"""select grid, count(*) from `tabParty Member Household`
			where status = %(designated)s {scoped("Party Member Household")} group by grid""",
			values,
		),
		"members": grouped(
			f"""select grid, count(*) from `tabIn-service Party Member`
			where 1=1 {scoped("In-service Party Member")} group by grid"""
		),
		"points_balance": grouped(
			f"""select grid, sum(points_balance) from `tabIn-service Party Member`
			where 1=1 {scoped("In-service Party Member")} group by grid"""
		),
		"activities": grouped(
			f"""select grid, sum(activity_count) from `tabIn-service Party Member`
			where 1=1 {scoped("In-service Party Member")} group by grid"""
		),
		"visited_households": grouped(
			f"""select `tabHousehold`.grid, count(distinct visit.household)
			from `tabHousehold Visit` visit
			join `tabHousehold` on `tabHousehold`.name = visit.household
			where visit.visit_date >= %(quarter_start)s {scoped("Household")}
			group by `tabHousehold`.grid""",
			values,
		),
		"requests_at_risk": grouped(
			f"""select grid, count(*) from `tabResident Request`
			where workflow_state != %(request_closed)s and is_overdue = 0
				and next_due_by between %(now)s and %(at_risk_until)s {scoped("Resident Request")}
			group by grid""",
			values,
		),
		"vouchers_used": grouped(
			f"""select member.grid, count(*) from `tabPoints Redemption`
			join `tabIn-service Party Member` member on member.name = `tabPoints Redemption`.member
			where `tabPoints Redemption`.status = %(used)s {scoped("Points Redemption")}
			group by member.grid""",
			values,
		),
	}
	cases = frappe.db.sql(
		f"""select grid, count(*) as cases,
			sum(workflow_state != %(closed)s) as cases_in_hand,
			sum(workflow_state != %(closed)s and is_overdue = 1) as overdue,
			sum(workflow_state != %(closed)s and is_overdue = 0
				and next_due_by between %(now)s and %(at_risk_until)s) as at_risk,
			sum(ifnull(outcome, '') != '') as settled,
			sum(outcome = %(agreement)s and tier = 'Ordinary' and escalated_at is null) as resolved_in_grid
		from `tabDispute Case` where 1=1 {scoped("Dispute Case")} group by grid""",
		values,
		as_dict=True,
	)
	for fieldname in ("cases", "cases_in_hand", "overdue", "at_risk", "settled", "resolved_in_grid"):
		counts[fieldname] = {row.grid: int(row[fieldname] or 0) for row in cases}
	return counts


def scorecard_row(places, key: str, totals: dict, rows_by: str) -> dict:
	place = places[key]
	community = places.get(place.community) if rows_by == BY_GRID else place
	return {
		"place": key,
		"place_name": place.grid_name,
		"community_name": community.grid_name if community else None,
		**{fieldname: int(totals[fieldname] or 0) for fieldname in COUNTS},
		"coverage": share(totals["served_households"], totals["households"]),
		"share_in_grid": share(totals["resolved_in_grid"], totals["settled"]),
		"activities_per_member": flt(totals["activities"] / totals["members"], 1) if totals["members"] else 0,
		"visit_coverage": share(totals["visited_households"], totals["households"]),
	}


def share(part: int, whole: int) -> float | None:
	return flt(100 * part / whole, 1) if whole else None


def get_columns(rows_by: str) -> list[dict]:
	place = (
		[{"fieldname": "place_name", "label": _("Community"), "fieldtype": "Data", "width": 180}]
		if rows_by == BY_COMMUNITY
		else [
			{"fieldname": "community_name", "label": _("Community"), "fieldtype": "Data", "width": 150},
			{"fieldname": "place_name", "label": _("Grid"), "fieldtype": "Data", "width": 180},
		]
	)

	def column(fieldname, label, fieldtype="Int", width=100, **extra):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width, **extra}

	return [
		# Names as plain text: the rows are aggregates, and a link would send readers to grids their
		# role may not open.
		*place,
		column("households", "Households"),
		column("coverage", "Central Household Coverage (%)", "Percent", 150),
		column("central_households", "Designated Party Member Households", width=150),
		column("cases", "Cases"),
		column("cases_in_hand", "Dispute Cases in Hand", width=120),
		column("overdue", "Overdue Dispute Cases", width=120),
		column("at_risk", "Cases at Risk of Missing a Time Target", width=170),
		column("requests_at_risk", "Requests at Risk of Missing a Time Limit", width=170),
		column("share_in_grid", "Share Resolved in the Grid (%)", "Percent", 160),
		column("members", "In-service Party Members", width=130),
		column("points_balance", "Points Held", width=110),
		column("activities_per_member", "Activities per Member", "Float", 130, precision=1),
		column("vouchers_used", "Vouchers Used", width=110),
		column("visit_coverage", "Visit Coverage (%)", "Percent", 130),
	]
