"""Site set-up shared by tests and the demo: what the setup wizard would otherwise ask."""

import frappe
from frappe.desk.page.setup_wizard.setup_wizard import disable_future_access

TEST_SYSTEM_MANAGER = "test-system-manager@example.com"


def mark_setup_complete() -> None:
	"""The desk opens the setup wizard until System Settings says the setup is complete."""
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		frappe.db.set_single_value("System Settings", "setup_complete", 1)
		# The wizard's last step: workspace as home page, wizard page for Administrator only.
		disable_future_access()


def before_tests() -> None:
	"""Browser tests open the desk of a freshly created test site."""
	from wangge_app.test_utils import make_user

	mark_setup_complete()
	# Once setup is complete, Frappe makes the first user it creates a System Manager
	# unless someone besides Administrator is one: test users keep only their own roles.
	make_user(TEST_SYSTEM_MANAGER, ["System Manager"], first_name="Test System Manager")
	frappe.db.commit()
