# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""What installing the app sets up on a site, besides its DocTypes and its roles (a fixture)."""

import frappe

from wangge_app.alerts import make_missed_due_time_notification
from wangge_app.desk_setup import set_up_desk
from wangge_app.party_building.install import after_install as make_party_building_install_data
from wangge_app.resident_services.install import after_install as make_resident_services_install_data
from wangge_app.roles import COMMUNITY_MANAGER
from wangge_app.safety.install import after_install as make_safety_install_data
from wangge_app.volunteer.install import after_install as make_volunteer_install_data
from wangge_app.workflows import make_workflows

# What Customize Form needs: the form itself, and the Custom Fields it inserts and deletes and the
# Property Setters it writes. What the Workflow form needs to change the app's workflows: the workflows
# (of the app's DocTypes only: wangge_app.workflows.check_workflow_editor), new states and actions, and
# roles to choose from. Nothing else: no DocPerm, Role, User, User Permission or settings.
FORM_CUSTOMISATION_PERMISSIONS = {
	"Customize Form": ("read", "write", "create"),
	"Custom Field": ("read", "write", "create", "delete"),
	"Property Setter": ("read", "write", "create", "delete"),
	"Workflow": ("read", "write"),
	"Workflow State": ("read", "create", "select"),
	"Workflow Action Master": ("read", "create", "select"),
	"Role": ("select",),
}
FORM_CUSTOMISER_ROLE = COMMUNITY_MANAGER
PERMISSION_TYPES = ("read", "write", "create", "delete", "submit", "cancel", "amend", "report", "export")
PERMISSION_TYPES += ("import", "share", "print", "email", "select")


def after_install() -> None:
	hide_error_tracebacks()
	name_the_app()
	make_workflows()
	make_party_building_install_data()
	grant_form_customisation()
	make_volunteer_install_data()
	make_missed_due_time_notification("Dispute Case")
	make_safety_install_data()
	make_resident_services_install_data()
	set_up_desk()


def hide_error_tracebacks() -> None:
	"""Error answers carry the server's traceback while System Settings allow it (Frappe's default):
	code paths and values that guests, merchants and every other user must not see."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)


# The name the login page shows ("登录网格化治理"); Frappe's default is "Frappe".
APP_NAME = "网格化治理"


def name_the_app() -> None:
	"""The login page names the app Website Settings name, else System Settings (both "Frappe" unless
	someone set them), and the website's footer says what it is built on: the Frappe defaults become the
	app's name, what someone chose stays."""
	for settings in ("Website Settings", "System Settings"):
		if frappe.db.get_single_value(settings, "app_name") in (None, "", "Frappe"):
			frappe.db.set_single_value(settings, "app_name", APP_NAME)
	# The website pages' footer ("Built on Frappe", unless a site wrote its own).
	if not frappe.db.get_single_value("Website Settings", "footer_powered"):
		frappe.db.set_single_value("Website Settings", "footer_powered", APP_NAME)


def grant_form_customisation() -> None:
	"""Community Managers customise forms and workflows without System Manager: Frappe gives those
	DocTypes to System Manager only, in core. A Custom DocPerm rule per DocType adds the role; the standard rules
	are copied first (a DocType with Custom DocPerm rules reads only those), as the Role Permission
	Manager does."""
	from frappe.permissions import add_permission, update_permission_property

	for doctype, ptypes in FORM_CUSTOMISATION_PERMISSIONS.items():
		add_permission(doctype, FORM_CUSTOMISER_ROLE, 0)
		for ptype in PERMISSION_TYPES:
			granted = int(ptype in ptypes)
			update_permission_property(doctype, FORM_CUSTOMISER_ROLE, 0, ptype, granted, validate=False)
		frappe.clear_cache(doctype=doctype)
