# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.grid.doctype.grid.grid import get_children
from wangge_app.permissions import user_grids
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_resident, make_user


class TestGrid(FrappeTestCase):
	def test_levels_hang_in_order(self):
		community, grid, micro_grid = make_community_tree()
		self.assertEqual(grid.parent_grid, community.name)
		self.assertEqual((community.is_group, grid.is_group, micro_grid.is_group), (1, 1, 0))
		micro = frappe.get_doc("Grid", micro_grid.name)
		self.assertTrue(
			community.lft < micro.lft < micro.rgt < frappe.db.get_value("Grid", community.name, "rgt")
		)

	def test_wrong_parent_level_is_refused(self):
		community, grid, _ = make_community_tree()
		with self.assertRaisesRegex(frappe.ValidationError, "must be placed under"):
			make_grid("Micro-grid", community.name)
		with self.assertRaisesRegex(frappe.ValidationError, "must be placed under"):
			make_grid("Grid", None)
		with self.assertRaisesRegex(frappe.ValidationError, "must be placed under"):
			make_grid("Community", grid.name)
		with self.assertRaisesRegex(frappe.ValidationError, "top of the grid tree"):
			make_grid("District", community.name)

	def test_tree_loop_is_refused_and_nothing_changes(self):
		community, grid, micro_grid = make_community_tree()
		other_grid = make_grid("Grid", community.name)
		second_micro = make_grid("Micro-grid", other_grid.name)

		grid.parent_grid = grid.name
		with self.assertRaisesRegex(frappe.ValidationError, "own parent"):
			grid.save()

		# A grid moved under a micro-grid of its own subtree would close a loop.
		micro = frappe.get_doc("Grid", micro_grid.name)
		micro.grid_level = "Grid"
		with self.assertRaises(frappe.ValidationError):
			micro.save()
		self.assertEqual(frappe.db.get_value("Grid", micro_grid.name, "grid_level"), "Micro-grid")

		# Moving a micro-grid between grids keeps the tree consistent.
		moved = frappe.get_doc("Grid", second_micro.name)
		moved.parent_grid = grid.name
		moved.save()
		lft, rgt = frappe.db.get_value("Grid", grid.name, ["lft", "rgt"])
		self.assertTrue(lft < frappe.db.get_value("Grid", second_micro.name, "lft") < rgt)

	def test_duplicate_grid_code_is_refused(self):
		community, _, _ = make_community_tree()
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already used"):
			make_grid("Grid", community.name, grid_code=community.grid_code)
		self.assertEqual(frappe.db.count("Grid", {"grid_code": community.grid_code}), 1)

	def test_counts_include_micro_grids(self):
		community, grid, micro_grid = make_community_tree()
		in_grid = make_household(grid.name)
		in_micro = make_household(micro_grid.name)
		make_resident(in_grid.name)
		make_resident(in_micro.name, full_name="扎西顿珠", gender="Male")
		make_resident(in_micro.name, full_name="格桑卓玛")

		self.assertEqual(frappe.get_doc("Grid", grid.name).household_count, 2)
		self.assertEqual(frappe.get_doc("Grid", grid.name).resident_count, 3)
		self.assertEqual(frappe.get_doc("Grid", micro_grid.name).resident_count, 2)
		self.assertEqual(frappe.get_doc("Grid", community.name).household_count, 2)

	def test_worker_needs_the_grid_worker_role(self):
		community, _, _ = make_community_tree()
		make_user("not-a-worker@example.com", ["Community Manager"])
		with self.assertRaisesRegex(frappe.ValidationError, "does not have the role"):
			make_grid("Grid", community.name, workers=["not-a-worker@example.com"])

	def test_tree_roots_are_communities_for_managers(self):
		community, grid, _ = make_community_tree()
		roots = {node.value for node in get_children("Grid", "")}
		self.assertIn(community.name, roots)
		self.assertNotIn(grid.name, roots)


class TestGridWorkerPermissions(FrappeTestCase):
	def test_finding_09_grid_save_keeps_other_user_permissions(self):
		"""Saving a grid revokes only the User Permissions its worker table granted."""
		kept, removed = "gp-kept-worker@example.com", "gp-removed-worker@example.com"
		secretary, unlisted = "gp-secretary@example.com", "gp-unlisted-worker@example.com"
		manager = "gp-manager@example.com"
		for user in (kept, removed, unlisted):
			make_user(user, ["Grid Worker"])
		make_user(secretary, ["Grid Party Branch Secretary"])
		make_user(manager, ["Community Manager"])
		_community, grid, micro = make_community_tree(workers=[kept, removed])

		def permissions() -> set[str]:
			return set(
				frappe.get_all("User Permission", {"allow": "Grid", "for_value": grid.name}, pluck="user")
			)

		self.assertEqual(permissions(), {kept, removed})
		# An administrator scopes the branch secretary and a grid worker outside the table to this grid.
		for user in (secretary, unlisted):
			frappe.get_doc(
				{"doctype": "User Permission", "user": user, "allow": "Grid", "for_value": grid.name}
			).insert()

		frappe.set_user(manager)
		doc = frappe.get_doc("Grid", grid.name)
		doc.service_hotline = "0891-6000000"
		doc.save()
		self.assertEqual(permissions(), {kept, removed, secretary, unlisted})

		# Taking a worker off the table revokes that worker's permission, and only that one.
		doc = frappe.get_doc("Grid", grid.name)
		doc.grid_workers = [row for row in doc.grid_workers if row.user == kept]
		doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(permissions(), {kept, secretary, unlisted})
		# The secretary stays restricted to this grid (and the micro-grids under it).
		self.assertEqual(
			{p.doc for p in frappe.permissions.get_user_permissions(secretary).get("Grid", [])},
			{grid.name, micro.name},
		)
		# Assigned again, the worker gets the permission back.
		doc = frappe.get_doc("Grid", grid.name)
		doc.append("grid_workers", {"user": removed})
		doc.save()
		self.assertEqual(permissions(), {kept, removed, secretary, unlisted})

	def test_a_new_or_moved_micro_grid_is_in_its_workers_scope_at_once(self):
		worker = "grid-scope-cache@example.com"
		make_user(worker, ["Grid Worker"])
		community, grid, _ = make_community_tree(workers=[worker])
		other_grid = make_grid("Grid", community.name)
		self.assertIn(grid.name, user_grids(worker))  # the worker's permissions are now cached

		added = make_grid("Micro-grid", grid.name)
		self.assertIn(added.name, user_grids(worker))

		moved = make_grid("Micro-grid", other_grid.name)
		self.assertNotIn(moved.name, user_grids(worker))
		moved.parent_grid = grid.name
		moved.save()
		self.assertIn(moved.name, user_grids(worker))
