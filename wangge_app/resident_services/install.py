# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Install data of residents' requests: the stock grades with their time limits, the stock categories
and the overdue alert. Created only when missing (on install, and by a patch on older sites), so that
a manager's changes and additions stay."""

import frappe

from wangge_app.resident_services.alerts import make_overdue_notification

# name: (sort order, (contact, visit, resolve, follow up) as (limit, unit)), the community's rules:
# emergencies within 2 hours, water, power, gas and heating within 24 hours, ordinary requests within
# 7 days, complex ones within 15 days.
STANDARD_GRADES = {
	"Emergency": (1, ((0.5, "Hours"), (1, "Hours"), (2, "Hours"), (1, "Days"))),
	"Utilities": (2, ((2, "Hours"), (6, "Hours"), (24, "Hours"), (3, "Days"))),
	"Ordinary": (3, ((24, "Hours"), (2, "Days"), (7, "Days"), (3, "Days"))),
	"Complex": (4, ((24, "Hours"), (3, "Days"), (15, "Days"), (7, "Days"))),
}
# name: default grade
STANDARD_CATEGORIES = {
	"Environment and Sanitation": "Ordinary",
	"Traffic and Parking": "Complex",
	"Property Management": "Ordinary",
	"Neighbours": "Ordinary",
	"Public Facilities": "Ordinary",
	"Water, Power, Gas and Heating": "Utilities",
	"Social Security": "Ordinary",
	"Other": "Ordinary",
}


def after_install() -> None:
	make_standard_grades()
	make_standard_categories()
	make_overdue_notification()


def make_standard_grades() -> None:
	for name, (order, limits) in STANDARD_GRADES.items():
		if frappe.db.exists("Request Grade", name):
			continue
		values = {"doctype": "Request Grade", "grade_name": name, "sort_order": order}
		for stage, (limit, unit) in zip(
			("acknowledge", "visit", "resolve", "follow_up"), limits, strict=True
		):
			values[f"{stage}_within"] = limit
			values[f"{stage}_unit"] = unit
		frappe.get_doc(values).insert(ignore_permissions=True)


def make_standard_categories() -> None:
	for name, grade in STANDARD_CATEGORIES.items():
		if not frappe.db.exists("Request Category", name):
			frappe.get_doc(
				{"doctype": "Request Category", "category_name": name, "default_grade": grade}
			).insert(ignore_permissions=True)
