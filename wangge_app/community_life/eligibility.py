# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Who an activity of 一老一小 is for, worked out from residents' ages and their households' flags:

- Elderly: 60 or older on the day of the activity (those living alone first, from the household flag);
- Children under 6: younger than 6 on the day;
- Parents with Children: adults (18 or older) of a household with a child under 6, by the household's
  flag or by a child's age;
- All Residents: everyone.

Only users who may read residents' dates of birth (Community Manager, Grid Worker: their own grids)
may ask, and they see the residents of their own scope only.
"""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from wangge_app.community_life.inputs import name_argument
from wangge_app.grid.doctype.resident.resident import ELDERLY_AGE, age_on

ALL_RESIDENTS = "All Residents"
ELDERLY = "Elderly"
CHILDREN_UNDER_6 = "Children under 6"
PARENTS_WITH_CHILDREN = "Parents with Children"
TARGET_GROUPS = (ALL_RESIDENTS, ELDERLY, CHILDREN_UNDER_6, PARENTS_WITH_CHILDREN)
YOUNG_CHILD_AGE = 6
ADULT_AGE = 18


def check_can_read_ages() -> None:
	meta = frappe.get_meta("Resident")
	if not frappe.has_permission("Resident", "read") or 1 not in meta.get_permlevel_access("read"):
		frappe.throw(_("You are not permitted to see residents' ages."), frappe.PermissionError)


def eligible_residents(target_group: str, on_date=None) -> list[dict]:
	"""The residents in the user's scope whom an activity for `target_group` on `on_date` is for."""
	if target_group not in TARGET_GROUPS:
		frappe.throw(_("Unknown target group {0}.").format(target_group))
	check_can_read_ages()
	day = getdate(on_date or nowdate())
	residents = frappe.get_list(
		"Resident",
		fields=["name", "full_name", "household", "grid", "date_of_birth"],
		order_by="grid, household, name",
		limit_page_length=0,
	)
	for resident in residents:
		resident.age = age_on(getdate(resident.date_of_birth), day) if resident.date_of_birth else None
	households = {resident.household for resident in residents if resident.household}
	flags = {
		row.name: row
		for row in frappe.get_list(
			"Household",
			filters={"name": ("in", list(households) or [""])},
			fields=["name", "elderly_living_alone", "has_children_under_6"],
			limit_page_length=0,
		)
	}
	with_young_child = {
		resident.household
		for resident in residents
		if resident.age is not None and resident.age < YOUNG_CHILD_AGE
	}
	with_young_child |= {name for name, row in flags.items() if row.has_children_under_6}

	chosen = []
	for resident in residents:
		age = resident.age
		household = flags.get(resident.household) or frappe._dict()
		if target_group == ALL_RESIDENTS:
			eligible = True
		elif age is None:
			eligible = False
		elif target_group == ELDERLY:
			eligible = age >= ELDERLY_AGE
		elif target_group == CHILDREN_UNDER_6:
			eligible = age < YOUNG_CHILD_AGE
		else:
			eligible = age >= ADULT_AGE and resident.household in with_young_child
		if eligible:
			chosen.append(
				{
					"resident": resident.name,
					"full_name": resident.full_name,
					"grid": resident.grid,
					"household": resident.household,
					"age": age,
					"living_alone": int(bool(household.get("elderly_living_alone"))),
				}
			)
	if target_group == ELDERLY:
		chosen.sort(key=lambda row: -row["living_alone"])
	return chosen


@frappe.whitelist()
def get_eligible_residents(activity) -> list[dict]:
	"""The residents of the user's grids an activity is for, not yet signed up."""
	name_argument(activity, "Community Activity")
	if not frappe.has_permission("Community Activity", "read", doc=activity):
		frappe.throw(_("You are not permitted to read this activity."), frappe.PermissionError)
	details = frappe.db.get_value(
		"Community Activity", activity, ["target_group", "start_time"], as_dict=True
	)
	signed_up = set(
		frappe.get_list(
			"Activity Sign-up",
			filters={"activity": activity, "status": ("in", ("Signed Up", "Waiting", "Offered"))},
			pluck="resident",
			limit_page_length=0,
		)
	)
	return [
		row
		for row in eligible_residents(details.target_group, details.start_time)
		if row["resident"] not in signed_up
	]
