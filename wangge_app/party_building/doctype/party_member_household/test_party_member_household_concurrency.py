# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import threading

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)

SECRETARY = "pmh-race-secretary@example.com"
COMMITTEE = "pmh-race-committee@example.com"


def approve_in_own_connection(site: str, sites_path: str, name: str, barrier, outcomes: dict) -> None:
	"""The committee approves one application from a separate database connection."""
	frappe.init(site=site, sites_path=sites_path)
	try:
		frappe.connect()
		frappe.set_user(COMMITTEE)
		doc = frappe.get_doc("Party Member Household", name)
		barrier.wait(timeout=30)
		apply_workflow(doc, "Approve")
		frappe.db.commit()
		outcomes[name] = "approved"
	except frappe.ValidationError as error:
		frappe.db.rollback()
		outcomes[name] = "refused" if "already served" in str(error) else error
	except Exception as error:
		outcomes[name] = error
	finally:
		frappe.destroy()


class TestConcurrentApprovals(FrappeTestCase):
	"""Approvals in separate connections commit for real; the data is removed at the end."""

	def setUp(self):
		make_user(SECRETARY, ["Grid Party Branch Secretary"])
		make_user(COMMITTEE, ["Community Party Committee"])
		self.community, grid, micro_grid = make_community_tree()
		self.grids = [micro_grid.name, grid.name, self.community.name]
		scope_user_to_grid(SECRETARY, grid.name)
		shared = [make_household(micro_grid.name).name for _ in range(10)]
		self.applications = []
		for name in ("旦增", "尼玛"):
			member = make_resident(make_household(grid.name).name, full_name=name, is_party_member=1)
			doc = make_party_member_household(member.name, shared)
			apply_workflow_as(SECRETARY, doc, "Pass Branch Review")
			self.applications.append(doc.name)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		for name in self.applications:
			frappe.delete_doc("Party Member Household", name, force=True, ignore_permissions=True)
		for doctype in ("Resident", "Household"):
			for name in frappe.get_all(doctype, {"grid": ("in", self.grids)}, pluck="name"):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for name in frappe.get_all("User Permission", {"user": SECRETARY}, pluck="name"):
			frappe.delete_doc("User Permission", name, ignore_permissions=True)
		for name in self.grids:
			frappe.delete_doc("Grid", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_two_approvals_of_one_household_let_exactly_one_through(self):
		barrier = threading.Barrier(len(self.applications))
		outcomes = {}
		site, sites_path = frappe.local.site, frappe.local.sites_path
		threads = [
			threading.Thread(
				target=approve_in_own_connection, args=(site, sites_path, name, barrier, outcomes)
			)
			for name in self.applications
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=120)

		self.assertEqual(sorted(outcomes.values()), ["approved", "refused"])
		frappe.db.rollback()  # a fresh snapshot, to read what the threads committed
		statuses = sorted(
			frappe.db.get_value("Party Member Household", name, "status") for name in self.applications
		)
		self.assertEqual(statuses, ["Branch Approved", "Designated"])
