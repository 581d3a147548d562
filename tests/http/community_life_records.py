"""The Community Life records of the permission matrix (test_permission_matrix): in each of the two
communities a space, a booking, a resident group, a programme and an activity with a volunteer, and a
sign-up of a resident of the community."""

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


def make_community_life_records(add, communities: dict, residents: dict, members: dict) -> None:
	"""`add(doc, label, grid)` records a document of the matrix. For each community label (C1, C2): a
	space, a resident group with a resident of the community (`residents`, by community label), a
	booking, a programme and an activity with a volunteer; then the sign-ups of the residents of A1 (in
	C1) and of B (in C2) to their community's activity. `members` are the party members by grid label."""
	member_of_community = {"C1": members["A1"].name, "C2": members["B"].name}
	day = datetime.date(2027, 6, 1)
	for label, community in communities.items():
		space = add(make_space(unique_code(f"矩阵舞蹈室{label}"), community=community), label, label)
		group = add(
			frappe.get_doc(
				{
					"doctype": "Resident Group",
					"group_name": unique_code(f"矩阵艺术团{label}"),
					"group_type": "Art Troupe",
					"community": community,
					"leader": residents[label],
					"members": [{"resident": residents[label]}],
					"regular_spaces": [{"space": space.name}],
				}
			).insert(),
			label,
			label,
		)
		add(
			make_booking(
				space.name,
				datetime.datetime.combine(day, datetime.time(19)),
				datetime.datetime.combine(day, datetime.time(21)),
				purpose=f"矩阵排练{label}",
				booked_for="Resident Group",
				resident_group=group.name,
				repeats=1,
				repeat_tuesday=1,
				repeat_until=day + datetime.timedelta(days=14),
			),
			label,
			label,
		)
		add(
			frappe.get_doc(
				{
					"doctype": "Activity Programme",
					"series": unique_code(f"矩阵系列{label}"),
					"year": 2027,
					"community": community,
					"months": [{"month": "June", "theme": f"矩阵主题{label}", "target_group": "Elderly"}],
				}
			).insert(),
			label,
			label,
		)
		activity = add(
			make_community_activity(
				datetime.datetime(2027, 6, 3, 9),
				title=unique_code(f"矩阵活动{label}"),
				community=community,
				capacity=10,
				points_per_volunteer=1,
				volunteers=[{"member": member_of_community[label], "task": "矩阵引导"}],
			),
			label,
			label,
		)
		grid_label = {"C1": "A1", "C2": "B"}[label]
		add(sign_up(activity.name, residents[label]), grid_label, grid_label)


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
