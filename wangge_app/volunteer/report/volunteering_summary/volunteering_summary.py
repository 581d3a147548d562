# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Volunteering summary (志愿服务统计): members registered and active, points earned and redeemed,
and activities per member, by work unit or by grid, or the top volunteers.

Figures come from the points ledger within the period (posting date); a reversal counts against
the kind of entry it reverses, so a cancelled activity neither earns points nor counts as attended.
A member is active when in service (status In Service) and attended at least one activity in the period.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from wangge_app.permissions import scope_conditions
from wangge_app.utils.report_filters import checked_filters
from wangge_app.volunteer import points
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE

BY_WORK_UNIT = "By Work Unit"
BY_GRID = "By Grid"
TOP_VOLUNTEERS = "Top Volunteers"


def execute(filters=None):
	filters = checked_filters(
		filters,
		dates=("from_date", "to_date"),
		numbers=("top",),
		names=("work_unit", "grid"),
		choices={"view": (BY_WORK_UNIT, BY_GRID, TOP_VOLUNTEERS)},
	)
	members = get_member_figures(filters)
	summary = get_report_summary(members)
	view = filters.get("view") or BY_WORK_UNIT
	if view == TOP_VOLUNTEERS:
		return (
			top_volunteer_columns(),
			top_volunteers(members, cint(filters.get("top")) or 20),
			None,
			None,
			summary,
		)
	return group_columns(view), group_rows(members, view), None, None, summary


def get_member_figures(filters) -> list[dict]:
	"""One row per registered member with their earned and redeemed points and activities in the period."""
	conditions, values = (
		[],
		{
			"activity": points.ACTIVITY,
			"earned": points.EARNED,
			"redeemed": points.REDEEMED,
			"reversal": points.REVERSAL,
		},
	)
	if filters.get("from_date"):
		conditions.append("e.posting_date >= %(from_date)s")
		values["from_date"] = getdate(filters.from_date)
	if filters.get("to_date"):
		conditions.append("e.posting_date <= %(to_date)s")
		values["to_date"] = getdate(filters.to_date)
	# Only the members the user may see (the workspace's number cards use these figures too); their
	# entries only, so that a community's figures do not read the whole district's ledger.
	member_conditions = (
		[f"m.name in (select `name` from `tab{points.MEMBER}` where {scope})"]
		if (scope := scope_conditions(points.MEMBER))
		else []
	)
	if scope:
		conditions.append(f"e.member in (select `name` from `tab{points.MEMBER}` where {scope})")
	if filters.get("to_date"):
		member_conditions.append("m.registration_date <= %(to_date)s")
	if filters.get("work_unit"):
		member_conditions.append("m.work_unit = %(work_unit)s")
		values["work_unit"] = filters.work_unit
	if filters.get("grid"):
		# A grid that does not exist has no members (as one the user cannot see).
		lft, rgt = frappe.db.get_value("Grid", filters.grid, ["lft", "rgt"]) or (0, -1)
		member_conditions.append(
			"m.grid in (select name from `tabGrid` where lft >= %(lft)s and rgt <= %(rgt)s)"
		)
		values.update(lft=lft, rgt=rgt)
	where = ("where " + " and ".join(conditions)) if conditions else ""
	member_where = ("where " + " and ".join(member_conditions)) if member_conditions else ""

	members = frappe.db.sql(
		f"""
		select m.name as member, m.full_name, m.work_unit, m.grid, m.status, m.points_balance,
			coalesce(l.earned, 0) as earned, coalesce(l.redeemed, 0) as redeemed,
			coalesce(l.activities, 0) as activities
		from `tab{points.MEMBER}` m
		left join (
			select e.member,
				sum(case when coalesce(o.entry_type, e.entry_type) = %(earned)s then e.points else 0 end) as earned,
				-sum(case when coalesce(o.entry_type, e.entry_type) = %(redeemed)s then e.points else 0 end)
					as redeemed,
				sum(case when e.voucher_type = %(activity)s and e.entry_type = %(earned)s then 1
					when e.voucher_type = %(activity)s and e.entry_type = %(reversal)s then -1 else 0 end)
					as activities
			from `tab{points.ENTRY}` e
			left join `tab{points.ENTRY}` o on o.name = e.reversal_of
			{where}
			group by e.member
		) l on l.member = m.name
		{member_where}
		order by m.name
		""",
		values,
		as_dict=True,
	)
	for member in members:
		member.update(
			earned=cint(member.earned), redeemed=cint(member.redeemed), activities=cint(member.activities)
		)
	return members


def is_active(member) -> bool:
	return member.status == ACTIVE and member.activities > 0


def get_totals(members) -> dict:
	registered = len(members)
	activities = sum(member.activities for member in members)
	return {
		"registered": registered,
		"active": sum(1 for member in members if is_active(member)),
		"earned": sum(member.earned for member in members),
		"redeemed": sum(member.redeemed for member in members),
		"activities": activities,
		"average_activities": flt(activities / registered, 1) if registered else 0,
	}


def get_report_summary(members) -> list[dict]:
	totals = get_totals(members)
	return [
		{"label": _("Members Registered"), "value": totals["registered"], "datatype": "Int"},
		{"label": _("Active Members"), "value": totals["active"], "datatype": "Int", "indicator": "Green"},
		{"label": _("Points Earned"), "value": totals["earned"], "datatype": "Int", "indicator": "Blue"},
		{"label": _("Points Redeemed"), "value": totals["redeemed"], "datatype": "Int"},
		{
			"label": _("Average Activities per Member"),
			# As text with one decimal: the summary formats floats with the system's precision (17.200).
			"value": f"{totals['average_activities']:.1f}",
			"datatype": "Data",
		},
	]


def group_columns(view: str) -> list[dict]:
	group = (
		{
			"label": _("Work Unit"),
			"fieldname": "group",
			"fieldtype": "Link",
			"options": "Work Unit",
			"width": 240,
		}
		if view == BY_WORK_UNIT
		else {"label": _("Grid"), "fieldname": "group", "fieldtype": "Link", "options": "Grid", "width": 200}
	)
	return [
		group,
		{"label": _("Members Registered"), "fieldname": "registered", "fieldtype": "Int", "width": 130},
		{"label": _("Active Members"), "fieldname": "active", "fieldtype": "Int", "width": 120},
		{"label": _("Points Earned"), "fieldname": "earned", "fieldtype": "Int", "width": 120},
		{"label": _("Points Redeemed"), "fieldname": "redeemed", "fieldtype": "Int", "width": 120},
		{"label": _("Activities Attended"), "fieldname": "activities", "fieldtype": "Int", "width": 120},
		{
			"label": _("Average Activities per Member"),
			"fieldname": "average_activities",
			"fieldtype": "Float",
			"precision": 1,
			"width": 160,
		},
	]


def group_rows(members, view: str) -> list[dict]:
	key = (lambda member: member.work_unit) if view == BY_WORK_UNIT else grid_of(members)
	groups = {}
	for member in members:
		groups.setdefault(key(member) or "", []).append(member)
	rows = []
	for group, group_members in groups.items():
		rows.append({"group": group or _("Not Assigned"), **get_totals(group_members)})
	rows.sort(key=lambda row: (-row["earned"], row["group"]))
	return rows


def grid_of(members):
	"""Group members of a micro-grid under its grid, so the view reads grid by grid."""
	grids = {member.grid for member in members if member.grid}
	parents = (
		dict(
			frappe.get_all(
				"Grid",
				filters={"name": ("in", list(grids)), "grid_level": "Micro-grid"},
				fields=["name", "parent_grid"],
				as_list=True,
			)
		)
		if grids
		else {}
	)
	return lambda member: parents.get(member.grid, member.grid)


def top_volunteer_columns() -> list[dict]:
	return [
		{"label": _("Rank"), "fieldname": "rank", "fieldtype": "Int", "width": 70},
		{
			"label": _("Party Member"),
			"fieldname": "member",
			"fieldtype": "Link",
			"options": points.MEMBER,
			"width": 120,
		},
		{"label": _("Full Name"), "fieldname": "full_name", "fieldtype": "Data", "width": 110},
		{
			"label": _("Work Unit"),
			"fieldname": "work_unit",
			"fieldtype": "Link",
			"options": "Work Unit",
			"width": 220,
		},
		{"label": _("Grid"), "fieldname": "grid", "fieldtype": "Link", "options": "Grid", "width": 140},
		{"label": _("Activities Attended"), "fieldname": "activities", "fieldtype": "Int", "width": 120},
		{"label": _("Points Earned"), "fieldname": "earned", "fieldtype": "Int", "width": 120},
		{"label": _("Points Balance"), "fieldname": "points_balance", "fieldtype": "Int", "width": 120},
	]


def top_volunteers(members, top: int) -> list[dict]:
	ranked = sorted(
		(member for member in members if member.earned > 0),
		key=lambda member: (-member.earned, -member.activities, member.member),
	)[:top]
	return [{"rank": rank, **member} for rank, member in enumerate(ranked, start=1)]
