import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.patches.v1 import rename_household_party_member_field as patch
from wangge_app.test_utils import make_community_tree, make_household


class TestHasPartyMemberPatch(FrappeTestCase):
	"""A site from before the rename keeps its 有党员 flags, now in `has_party_member`."""

	def setUp(self):
		community, grid, micro_grid = make_community_tree()
		self.grids = [micro_grid.name, grid.name, community.name]
		self.with_member = make_household(grid.name).name
		self.without = make_household(grid.name).name
		# Adding the old column is DDL, which commits: the cleanup removes what this test made.
		self.addCleanup(self.remove_old_state)
		frappe.db.sql_ddl(
			f"alter table `tabHousehold` add column `{patch.OLD_FIELD}` int(1) not null default 0"
		)
		frappe.db.sql(
			f"update `tabHousehold` set `{patch.OLD_FIELD}` = (name = %s), `{patch.NEW_FIELD}` = 0"
			" where name in (%s, %s)",
			(self.with_member, self.with_member, self.without),
		)

	def remove_old_state(self):
		if frappe.db.has_column("Household", patch.OLD_FIELD):
			frappe.db.sql_ddl(f"alter table `tabHousehold` drop column `{patch.OLD_FIELD}`")
		for household in (self.with_member, self.without):
			frappe.delete_doc("Household", household, force=True, ignore_permissions=True)
		for grid in self.grids:
			frappe.delete_doc("Grid", grid, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_patch_copies_the_flags_into_the_new_field(self):
		patch.execute()
		self.assertEqual(frappe.db.get_value("Household", self.with_member, patch.NEW_FIELD), 1)
		self.assertEqual(frappe.db.get_value("Household", self.without, patch.NEW_FIELD), 0)

	def test_field_has_its_own_english_label(self):
		field = frappe.get_meta("Household").get_field(patch.NEW_FIELD)
		self.assertEqual((field.label, field.permlevel), ("Has Party Member", 1))
		self.assertIsNone(frappe.get_meta("Household").get_field(patch.OLD_FIELD))
