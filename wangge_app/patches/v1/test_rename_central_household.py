"""The rename patch on a populated site: the DocType, its records, their child rows, workflow states and
comments, and what names the DocType, go back to their old names, then the patch brings them over."""

import frappe
from frappe.model.rename_doc import rename_doc
from frappe.model.workflow import get_transitions
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from wangge_app.patches.v1 import rename_central_household as patch
from wangge_app.test_utils import (
	activate_party_member_household,
	make_community_tree,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)

OLD, NEW = "Central Household", "Party Member Household"
SECRETARY = "rename-secretary@example.com"
COMMITTEE = "rename-committee@example.com"


class TestRenameCentralHousehold(FrappeTestCase):
	def setUp(self):
		make_user(SECRETARY, ["Grid Party Branch Secretary"])
		make_user(COMMITTEE, ["Community Party Committee"])
		self.grids = list(reversed([grid.name for grid in make_community_tree()]))
		scope_user_to_grid(SECRETARY, self.grids[-1])
		self.households = [make_household(self.grids[1]).name for _ in range(13)]
		members = [
			make_resident(make_household(self.grids[0]).name, full_name="强巴", is_party_member=1)
			for _ in range(2)
		]
		self.households += [member.household for member in members]
		self.residents = [member.name for member in members]

		designated = make_party_member_household(self.residents[0], self.households[:10])
		designated = activate_party_member_household(designated, SECRETARY, COMMITTEE)
		designated = frappe.get_doc(NEW, designated.name)
		designated.append(
			"contact_log", {"household": self.households[1], "topic": "邻里纠纷", "contact_date": today()}
		)
		designated.save()
		applied = make_party_member_household(self.residents[1], self.households[10:13])
		self.records = {designated.name: "Designated", applied.name: "Applied"}
		designated.add_comment("Comment", "入户走访")

		# Renaming a DocType renames its table, which commits: the cleanup restores the site.
		self.addCleanup(self.restore)
		frappe.flags.in_patch = True
		for doctype, old, new in reversed(patch.RENAMES):
			rename_doc(doctype, new, old, force=True, show_alert=False, rebuild_search=False)
		frappe.clear_cache()
		self.assertTrue(frappe.db.table_exists(OLD))
		self.assertFalse(frappe.db.table_exists(NEW))
		self.assertEqual(frappe.db.count(OLD, {"name": ("in", list(self.records))}), 2)

	def restore(self):
		if frappe.db.exists("DocType", OLD):
			patch.execute()
		frappe.flags.in_patch = False
		for name in self.records:
			frappe.delete_doc(NEW, name, force=True, ignore_permissions=True)
		for name in self.residents:
			frappe.delete_doc("Resident", name, force=True, ignore_permissions=True)
		for name in self.households:
			frappe.delete_doc("Household", name, force=True, ignore_permissions=True)
		for name in self.grids:
			frappe.delete_doc("Grid", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_patch_renames_the_doctype_with_its_records(self):
		patch.execute()

		for doctype, old, new in patch.RENAMES:
			self.assertFalse(frappe.db.exists(doctype, old), old)
			self.assertTrue(frappe.db.exists(doctype, new), new)
		self.assertFalse(frappe.db.table_exists(OLD))
		self.assertFalse(frappe.db.table_exists(f"{OLD} Contact"))

		for name, state in self.records.items():
			doc = frappe.get_doc(NEW, name)
			self.assertEqual(doc.status, state)
		designated, applied = (frappe.get_doc(NEW, name) for name in self.records)
		self.assertEqual([row.household for row in designated.served_households], self.households[:10])
		self.assertEqual([row.household for row in applied.served_households], self.households[10:13])
		self.assertEqual([row.topic for row in designated.contact_log], ["邻里纠纷"])
		self.assertEqual(designated.contact_log[0].doctype, f"{NEW} Contact")
		for child in ("Served Household", f"{NEW} Contact"):
			self.assertFalse(frappe.db.exists(child, {"parenttype": OLD}), child)
		# The timeline stays with the record.
		comments = {"reference_doctype": NEW, "reference_name": designated.name, "comment_type": "Comment"}
		self.assertEqual(frappe.get_all("Comment", comments, pluck="content"), ["入户走访"])
		self.assertFalse(frappe.db.exists("Comment", {"reference_doctype": OLD}))

		# The workflow goes on from the state each record was in.
		workflow = frappe.get_doc("Workflow", "Party Member Household Approval")
		self.assertEqual((workflow.document_type, workflow.is_active), (NEW, 1))
		frappe.set_user(COMMITTEE)
		try:
			self.assertEqual([t.action for t in get_transitions(designated)], ["Withdraw"])
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Print Format", "Party Member Household Notice", "doc_type"), NEW
		)
		self.assertEqual(frappe.db.get_value("Report", "Party Member Household Coverage", "ref_doctype"), NEW)
		self.assertEqual(
			frappe.db.get_value("Number Card", "Party Member Household Coverage", "document_type"), NEW
		)
		self.assertEqual(frappe.get_all("User Permission", {"allow": OLD}), [])

	def test_patch_does_nothing_on_a_renamed_site(self):
		patch.execute()
		tables = frappe.db.get_tables()
		patch.execute()
		self.assertEqual(frappe.db.get_tables(), tables)
		self.assertEqual(frappe.db.count(NEW, {"name": ("in", list(self.records))}), 2)
