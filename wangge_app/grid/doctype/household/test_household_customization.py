# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import subprocess
import sys

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import make_community_tree, make_household


class TestHouseholdCustomization(FrappeTestCase):
	"""A manager adds a field through Customize Form; `bench migrate` must keep it."""

	def tearDown(self):
		frappe.db.rollback()  # the test's households and grids; the customization was committed
		frappe.delete_doc_if_exists("Custom Field", "Household-custom_pet_count")
		frappe.clear_cache(doctype="Household")
		frappe.db.commit()

	def test_custom_field_survives_migrate(self):
		customize = frappe.get_doc("Customize Form")
		customize.doc_type = "Household"
		customize.fetch_to_customize()
		customize.append(
			"fields",
			{"label": "Pet Count", "fieldtype": "Int", "insert_after": "renter", "is_custom_field": 1},
		)
		customize.save_customization()
		frappe.db.commit()

		migrate = subprocess.run(
			[
				sys.executable,
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				frappe.local.site,
				"migrate",
			],
			cwd=frappe.local.sites_path,
			capture_output=True,
			text=True,
		)
		self.assertEqual(migrate.returncode, 0, migrate.stdout[-2000:] + migrate.stderr[-2000:])

		frappe.clear_cache(doctype="Household")
		field = frappe.get_meta("Household").get_field("custom_pet_count")
		self.assertIsNotNone(field)
		self.assertEqual(field.fieldtype, "Int")
		fields = [f.fieldname for f in frappe.get_meta("Household").fields]
		self.assertGreater(fields.index("custom_pet_count"), fields.index("renter"))

		_, grid, _ = make_community_tree()
		household = make_household(grid.name, custom_pet_count=2)
		self.assertEqual(frappe.db.get_value("Household", household.name, "custom_pet_count"), 2)
