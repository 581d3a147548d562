# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""What installing the app sets up on a site, besides its DocTypes and its roles (a fixture)."""

import frappe

from wangge_app.mediation.alerts import make_overdue_notification
from wangge_app.party_building.install import after_install as make_party_building_install_data
from wangge_app.volunteer.install import after_install as make_volunteer_install_data
from wangge_app.workflows import make_workflows


def after_install() -> None:
	hide_error_tracebacks()
	make_workflows()
	make_party_building_install_data()
	make_volunteer_install_data()
	make_overdue_notification()


def hide_error_tracebacks() -> None:
	"""Error answers carry the server's traceback while System Settings allow it (Frappe's default):
	code paths and values that guests, merchants and every other user must not see."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)
