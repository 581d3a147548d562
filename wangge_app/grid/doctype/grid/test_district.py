# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""One site for a district: the grid tree above the community (district → sub-district → community),
and community staff scoped to their community as grid workers are to their grids."""

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.mediation.report.dispute_case_statistics import dispute_case_statistics
from wangge_app.party_building.report.party_member_household_coverage import (
	party_member_household_coverage,
)
from wangge_app.permissions import user_grids
from wangge_app.test_utils import (
	make_community_tree,
	make_grid,
	make_household,
	make_resident,
	make_user,
	random_birth_date,
	scope_user_to_grid,
)

MANAGER_A = "district-manager-of-a@example.com"
MEDIATOR_A = "district-mediator-of-a@example.com"
COMMITTEE_A = "district-committee-of-a@example.com"
DISTRICT_MANAGER = "district-manager@example.com"
SINGLE_SITE_MANAGER = "district-unscoped-manager@example.com"


def make_district():
	"""A district with one sub-district holding two communities (A and B), each with a grid and a
	micro-grid, a household with a resident and a dispute case in each grid."""
	district = make_grid("District", grid_name="城关区")
	sub_district = make_grid("Sub-district", district.name, grid_name="八廓街道")
	tree = frappe._dict(district=district.name, sub_district=sub_district.name)
	for key in ("a", "b"):
		community, grid, micro = make_community_tree()
		community = frappe.get_doc("Grid", community.name)
		community.parent_grid = sub_district.name
		community.save()
		household = make_household(micro.name)
		tree[f"community_{key}"] = community.name
		tree[f"grid_{key}"] = grid.name
		tree[f"micro_{key}"] = micro.name
		tree[f"household_{key}"] = household.name
		tree[f"resident_{key}"] = make_resident(household.name, date_of_birth=random_birth_date()).name
		tree[f"case_{key}"] = make_dispute_case(grid.name).name
	return tree


class TestGridTreeAboveTheCommunity(FrappeTestCase):
	def test_levels_from_district_to_micro_grid(self):
		tree = make_district()
		levels = [
			frappe.db.get_value("Grid", tree[key], "grid_level")
			for key in ("district", "sub_district", "community_a", "grid_a", "micro_a")
		]
		self.assertEqual(levels, ["District", "Sub-district", "Community", "Grid", "Micro-grid"])
		lft, rgt = frappe.db.get_value("Grid", tree.district, ["lft", "rgt"])
		for key in ("sub_district", "community_a", "grid_b", "micro_b"):
			self.assertTrue(lft < frappe.db.get_value("Grid", tree[key], "lft") < rgt, key)
		# Households count up the whole tree.
		self.assertEqual(frappe.get_doc("Grid", tree.district).household_count, 2)
		self.assertEqual(frappe.get_doc("Grid", tree.community_a).household_count, 1)

	def test_wrong_places_are_refused(self):
		tree = make_district()
		for level, parent in (
			("Community", tree.district),
			("Sub-district", tree.community_a),
			("Grid", tree.sub_district),
			("Community", tree.grid_a),
		):
			with self.assertRaisesRegex(frappe.ValidationError, "must be placed under"):
				make_grid(level, parent)
		with self.assertRaisesRegex(frappe.ValidationError, "top of the grid tree"):
			make_grid("District", tree.district)
		# A community without a district stays a root, as on a site of one community.
		self.assertFalse(make_grid("Community").parent_grid)
		for area in (tree.district, tree.sub_district, tree.community_a):
			with self.assertRaisesRegex(frappe.ValidationError, "belongs to a grid or micro-grid"):
				make_household(area)
		# A sub-district with communities under it keeps its level (a sub-district may be a root too).
		sub_district = make_grid("Sub-district")
		make_grid("Community", sub_district.name)
		sub_district.grid_level = "District"
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
			sub_district.save()

	def test_contact_card_names_the_grids_below_the_community(self):
		tree = make_district()
		details = frappe.get_doc("Grid", tree.micro_a).get_contact_card_details()
		community, grid, micro = (
			frappe.db.get_value("Grid", tree[key], "grid_name")
			for key in ("community_a", "grid_a", "micro_a")
		)
		self.assertEqual(details["community"], community)
		self.assertEqual(details["grid_path"], f"{grid} / {micro}")
		self.assertEqual(details["hotline"], "0891-6888888")


class TestCommunityScope(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_district()
		for user, role in (
			(MANAGER_A, "Community Manager"),
			(MEDIATOR_A, "Community Mediator"),
			(COMMITTEE_A, "Community Party Committee"),
		):
			make_user(user, [role])
			scope_user_to_grid(user, cls.tree.community_a)
		make_user(DISTRICT_MANAGER, ["District Manager"])
		make_user(SINGLE_SITE_MANAGER, ["Community Manager"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def subtree(self, key):
		return set(
			frappe.get_all("Grid", {"name": ("descendants of (inclusive)", self.tree[key])}, pluck="name")
		)

	def test_community_staff_with_a_community_see_its_subtree_only(self):
		for user in (MANAGER_A, MEDIATOR_A, COMMITTEE_A):
			self.assertEqual(user_grids(user), self.subtree("community_a"), user)
		# Without any User Permission on Grid: every grid, as on a site of one community.
		self.assertIsNone(user_grids(SINGLE_SITE_MANAGER))
		self.assertIsNone(user_grids(DISTRICT_MANAGER))

	def test_manager_of_a_reads_nothing_of_b(self):
		tree = self.tree
		frappe.set_user(MANAGER_A)
		for doctype, own, other in (
			("Grid", tree.grid_a, tree.grid_b),
			("Household", tree.household_a, tree.household_b),
			("Resident", tree.resident_a, tree.resident_b),
			("Dispute Case", tree.case_a, tree.case_b),
		):
			names = set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
			self.assertIn(own, names, doctype)
			self.assertNotIn(other, names, doctype)
			self.assertEqual(frappe.db.count(doctype, {"name": other}), 1)  # it exists
			self.assertFalse(frappe.get_list(doctype, {"name": other}, pluck="name"), doctype)
			self.assertTrue(frappe.has_permission(doctype, "read", doc=own), doctype)
			self.assertFalse(frappe.has_permission(doctype, "read", doc=other), doctype)
		# The grids above the community are outside it too.
		self.assertFalse(frappe.has_permission("Grid", "read", doc=tree.district))

	def test_reports_of_the_manager_of_a_leave_b_out(self):
		tree = self.tree
		frappe.set_user(MANAGER_A)
		_columns, rows, *_ = dispute_case_statistics.execute({"group_by": "Grid"})
		self.assertEqual({row["group"] for row in rows}, {tree.grid_a})
		_columns, rows = party_member_household_coverage.execute({})
		self.assertEqual({row["grid"] for row in rows if row["grid"]}, {tree.grid_a})
		frappe.set_user(DISTRICT_MANAGER)
		_columns, rows, *_ = dispute_case_statistics.execute({"group_by": "Grid"})
		self.assertLessEqual({tree.grid_a, tree.grid_b}, {row["group"] for row in rows})

	def test_district_manager_reads_both_communities_without_personal_data(self):
		tree = self.tree
		frappe.set_user(DISTRICT_MANAGER)
		for doctype, key in (("Household", "household"), ("Dispute Case", "case"), ("Resident", "resident")):
			names = set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
			self.assertLessEqual({tree[f"{key}_a"], tree[f"{key}_b"]}, names, doctype)
			self.assertFalse(frappe.has_permission(doctype, "write", doc=tree[f"{key}_a"]), doctype)
		resident = frappe.get_doc("Resident", tree.resident_a)
		resident.apply_fieldlevel_read_permissions()
		self.assertFalse(resident.get("id_number"))

	def test_district_manager_scoped_to_one_district(self):
		other_district = make_grid("District")
		user = "district-manager-elsewhere@example.com"
		make_user(user, ["District Manager"])
		scope_user_to_grid(user, other_district.name)
		frappe.set_user(user)
		self.assertFalse(frappe.get_list("Household", {"name": self.tree.household_a}, pluck="name"))
		frappe.set_user(DISTRICT_MANAGER)
		self.assertTrue(frappe.get_list("Household", {"name": self.tree.household_a}, pluck="name"))

	def test_manager_of_a_cannot_move_or_link_records_into_b(self):
		tree = self.tree
		frappe.set_user(MANAGER_A)
		household = frappe.get_doc("Household", tree.household_a)
		household.grid = tree.grid_b
		with self.assertRaises(frappe.PermissionError):
			household.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Household", tree.household_a, "grid"), tree.micro_a)

		frappe.set_user(MANAGER_A)
		with self.assertRaises(frappe.PermissionError):
			make_dispute_case(tree.grid_a, parties=[{"party_role": "Applicant", "resident": tree.resident_b}])
		# Inside the community, the manager works as before.
		self.assertEqual(make_household(tree.grid_a).grid, tree.grid_a)
		grid = frappe.get_doc("Grid", tree.grid_a)
		grid.party_branch = "第一网格党支部"
		grid.save()

	def test_unscoped_manager_sees_both_communities(self):
		frappe.set_user(SINGLE_SITE_MANAGER)
		names = set(frappe.get_list("Household", pluck="name", limit_page_length=0))
		self.assertLessEqual({self.tree.household_a, self.tree.household_b}, names)

	def test_escalated_cases_go_to_the_mediators_of_their_community(self):
		from wangge_app.mediation.doctype.dispute_case.dispute_case import community_mediators

		mediators = community_mediators(self.tree.grid_a)
		self.assertIn(MEDIATOR_A, mediators)
		self.assertNotIn(MEDIATOR_A, community_mediators(self.tree.grid_b))
		# A mediator without a community (a site of one community) takes over every grid's cases.
		unscoped = "district-unscoped-mediator@example.com"
		make_user(unscoped, ["Community Mediator"])
		self.assertIn(unscoped, community_mediators(self.tree.grid_b))
