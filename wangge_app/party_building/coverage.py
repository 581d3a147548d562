# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""How many households of each grid an active central household looks after.

Households of micro-grids count towards their grid, as a central household serves its whole grid.
"""

from collections import Counter

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import flt

from wangge_app.party_building.doctype.party_member_household.party_member_household import DESIGNATED
from wangge_app.permissions import user_grids


def get_coverage(community: str | None = None) -> list[dict]:
	"""One row per grid the user may see (a grid worker: their own), in tree order, then a totals row."""
	grid_filters = {"grid_level": "Grid"}
	if community:
		grid_filters["parent_grid"] = community
	visible = user_grids()
	if visible is not None:
		grid_filters["name"] = ("in", sorted(visible) or [""])
	grids = frappe.get_all("Grid", grid_filters, ["name", "grid_name"], order_by="lft")
	grid_of = grid_level_map()

	# Only the households of the grids shown: a community's coverage does not count a whole district.
	in_view = {} if visible is None else {"grid": ("in", sorted(visible) or [""])}
	households = Counter()
	for row in frappe.get_all(
		"Household", filters=in_view, fields=["grid", "count(name) as count"], group_by="grid"
	):
		households[grid_of.get(row.grid)] += row.count

	central = DocType("Party Member Household")
	served = DocType("Served Household")
	household = DocType("Household")
	served_households = (
		frappe.qb.from_(served)
		.join(central)
		.on(central.name == served.parent)
		.join(household)
		.on(household.name == served.household)
		.select(served.household, household.grid)
		.distinct()
		.where(served.parenttype == "Party Member Household")
		.where(central.status == DESIGNATED)
		.where(
			household.grid.isin(sorted(visible) or [""]) if visible is not None else household.grid.notnull()
		)
		.run(as_dict=True)
	)
	covered = Counter(grid_of.get(row.grid) for row in served_households)
	party_member_households = Counter(
		grid_of.get(grid)
		for grid in frappe.get_all("Party Member Household", {"status": DESIGNATED, **in_view}, pluck="grid")
	)

	rows = [
		coverage_row(
			grid.name,
			grid.grid_name,
			households[grid.name],
			covered[grid.name],
			party_member_households[grid.name],
		)
		for grid in grids
	]
	total = coverage_row(
		None,
		_("All Grids"),
		sum(row["households"] for row in rows),
		sum(row["served_households"] for row in rows),
		sum(row["party_member_households"] for row in rows),
	)
	total["is_total_row"] = 1
	return [*rows, total]


def coverage_row(grid, grid_name, households: int, served: int, central: int) -> dict:
	return {
		"grid": grid,
		"grid_name": grid_name,
		"households": households,
		"served_households": served,
		"coverage": flt(100 * served / households, 1) if households else 0,
		"party_member_households": central,
	}


def grid_level_map() -> dict[str, str]:
	"""Every grid and micro-grid, mapped to its grid."""
	return {
		grid.name: grid.parent_grid if grid.grid_level == "Micro-grid" else grid.name
		for grid in frappe.get_all(
			"Grid", {"grid_level": ("in", ("Grid", "Micro-grid"))}, ["name", "grid_level", "parent_grid"]
		)
	}


@frappe.whitelist()
def get_coverage_card(filters=None) -> dict:
	"""The coverage of the grids the user may see, for the number card on the Party Building workspace."""
	if not frappe.has_permission("Party Member Household", "read"):
		frappe.throw(
			_("You are not permitted to see the central household coverage."), frappe.PermissionError
		)
	return {"value": get_coverage()[-1]["coverage"], "fieldtype": "Percent"}
