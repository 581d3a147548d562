# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Visits recorded before the visiting worker's name was kept beside the login show the name too."""

import frappe


def execute():
	frappe.db.sql(
		"""
		update `tabHousehold Visit` visit
		join `tabUser` user on user.name = visit.visited_by
		set visit.visiting_worker_name = user.full_name
		where ifnull(visit.visiting_worker_name, '') = ''
		"""
	)
