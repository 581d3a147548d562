# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Builders for the Community Life module's test data."""

import datetime

import frappe

from wangge_app.naming import community_of
from wangge_app.test_utils import default_test_community, unique_code


def make_space(space_name: str | None = None, **fields):
	return frappe.get_doc(
		{
			"doctype": "Community Space",
			"space_name": space_name or unique_code("舞蹈室"),
			"space_type": fields.pop("space_type", "Room"),
			"capacity": fields.pop("capacity", 40),
			"opening_time": fields.pop("opening_time", "08:00:00"),
			"closing_time": fields.pop("closing_time", "21:30:00"),
			"community": fields.pop("community", None) or default_test_community(),
			**fields,
		}
	).insert()


def make_booking(space: str, start: datetime.datetime, end: datetime.datetime, **fields):
	return frappe.get_doc(
		{
			"doctype": "Space Booking",
			"space": space,
			"purpose": fields.pop("purpose", "排练"),
			"booked_for": fields.pop("booked_for", "Community Staff"),
			"start_time": start,
			"end_time": end,
			**fields,
		}
	).insert()


def make_community_activity(start: datetime.datetime | None = None, **fields):
	"""An activity of the given community, else of its volunteers' (they must be of its community), else
	the tests' community; one with a space takes the space's."""
	start = start or datetime.datetime(2026, 12, 10, 9, 30)
	if not fields.get("community") and not fields.get("space"):
		volunteers = fields.get("volunteers") or []
		grid = volunteers and frappe.db.get_value("In-service Party Member", volunteers[0]["member"], "grid")
		fields["community"] = community_of(grid) or default_test_community()
	return frappe.get_doc(
		{
			"doctype": "Community Activity",
			"title": fields.pop("title", "重阳节健康徒步"),
			"series": fields.pop("series", "情满四季·月月有活动"),
			"target_group": fields.pop("target_group", "Elderly"),
			"start_time": start,
			"end_time": fields.pop("end_time", start + datetime.timedelta(hours=2)),
			"capacity": fields.pop("capacity", 2),
			"organiser": fields.pop("organiser", "社区居委会"),
			**fields,
		}
	).insert()


def sign_up(activity: str, resident: str, now=None):
	doc = frappe.get_doc({"doctype": "Activity Sign-up", "activity": activity, "resident": resident})
	doc.flags.now = now
	return doc.insert()
