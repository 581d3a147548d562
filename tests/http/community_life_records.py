"""The Community Life records of the permission matrix (test_permission_matrix): community-wide
spaces, bookings, a resident group, a programme and an activity with a volunteer, and a sign-up of
the residents of A1 and of B."""

import datetime

import frappe

from wangge_app.community_life.test_utils import make_booking, make_community_activity, make_space, sign_up
from wangge_app.test_utils import unique_code

COMMUNITY_LIFE_DOCTYPES = (
	"Activity Sign-up",
	"Community Activity",
	"Space Booking",
	"Resident Group",
	"Activity Programme",
	"Community Space",
)


def make_community_life_records(add, residents: dict, member: str) -> None:
	"""`add(doc, label, grid)` records a document of the matrix; residents and the member by grid label."""
	space = add(make_space(unique_code("矩阵舞蹈室")), "community")
	group = add(
		frappe.get_doc(
			{
				"doctype": "Resident Group",
				"group_name": unique_code("矩阵艺术团"),
				"group_type": "Art Troupe",
				"leader": residents["A1"].name,
				"members": [{"resident": resident.name} for resident in residents.values()],
				"regular_spaces": [{"space": space.name}],
			}
		).insert(),
		"community",
	)
	day = datetime.date(2027, 6, 1)
	add(
		make_booking(
			space.name,
			datetime.datetime.combine(day, datetime.time(19)),
			datetime.datetime.combine(day, datetime.time(21)),
			purpose="矩阵排练",
			booked_for="Resident Group",
			resident_group=group.name,
			repeats=1,
			repeat_tuesday=1,
			repeat_until=day + datetime.timedelta(days=14),
		),
		"community",
	)
	add(
		frappe.get_doc(
			{
				"doctype": "Activity Programme",
				"series": unique_code("矩阵系列"),
				"year": 2027,
				"months": [{"month": "June", "theme": "矩阵主题", "target_group": "Elderly"}],
			}
		).insert(),
		"community",
	)
	activity = add(
		make_community_activity(
			datetime.datetime(2027, 6, 3, 9),
			title=unique_code("矩阵活动"),
			capacity=10,
			points_per_volunteer=1,
			volunteers=[{"member": member, "task": "矩阵引导"}],
		),
		"community",
	)
	for label in ("A1", "B"):
		add(sign_up(activity.name, residents[label].name), label, label)


def delete_community_life_records(records: dict) -> None:
	for doctype in COMMUNITY_LIFE_DOCTYPES:
		names = [record.name for record in records.get(doctype, [])]
		if not names:
			continue
		for child in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(child.options, {"parenttype": doctype, "parent": ("in", names)})
		if doctype == "Community Activity":
			bookings = frappe.get_all("Space Booking", {"community_activity": ("in", names)}, pluck="name")
			frappe.db.delete("Space Booking Occurrence", {"parent": ("in", bookings or [""])})
			frappe.db.delete("Space Booking", {"name": ("in", bookings or [""])})
		frappe.db.delete(doctype, {"name": ("in", names)})
