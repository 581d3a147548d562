# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Install data of the Party Building module.

The stock services of a party-mass service station are created once, on install (and by a patch on
sites installed before), only when missing: a manager may rename them or add others, and `migrate`
keeps the changes.
"""

import frappe

STANDARD_STATION_SERVICES = ("Drinking Water", "Phone Charging", "Reading", "Policy Consultation")


def make_standard_station_services() -> None:
	for name in STANDARD_STATION_SERVICES:
		if not frappe.db.exists("Station Service", name):
			frappe.get_doc({"doctype": "Station Service", "service_name": name}).insert(
				ignore_permissions=True
			)


def after_install() -> None:
	make_standard_station_services()
