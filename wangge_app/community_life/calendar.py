# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The desk calendars of space bookings (one event per booked occurrence) and of community activities.
Read through `frappe.get_list`, within the user's permissions; dragging a booking's event moves that
one occurrence."""

import json

import frappe
from frappe import _

from wangge_app.community_life.doctype.space_booking.space_booking import BOOKED, move_occurrence
from wangge_app.community_life.inputs import datetime_argument, filters_argument

OCCURRENCE_SEPARATOR = "::"


@frappe.whitelist()
def get_booking_events(start, end, filters=None, **kwargs) -> list[dict]:
	start, end, filters = datetime_argument(start), datetime_argument(end), filters_argument(filters)
	occurrence = "`tabSpace Booking Occurrence`"
	rows = frappe.get_list(
		"Space Booking",
		fields=[
			"name",
			"space",
			"purpose",
			"booked_for",
			f"{occurrence}.occurrence_date as occurrence_date",
			f"{occurrence}.start_time as start_time",
			f"{occurrence}.end_time as end_time",
		],
		filters=[
			*filters,
			["Space Booking", "status", "=", BOOKED],
			["Space Booking Occurrence", "status", "=", BOOKED],
			["Space Booking Occurrence", "start_time", "<=", end],
			["Space Booking Occurrence", "end_time", ">=", start],
		],
		order_by=f"{occurrence}.start_time",
		limit_page_length=0,
	)
	return [
		{
			"name": row.name,
			"occurrence_id": f"{row.name}{OCCURRENCE_SEPARATOR}{row.occurrence_date}",
			"start_time": row.start_time,
			"end_time": row.end_time,
			"all_day": 0,
			"title": f"{row.space} · {row.purpose}",
			"color": "#7F56D9" if row.booked_for == "Resident Group" else None,
		}
		for row in rows
	]


@frappe.whitelist()
def move_booking_event(args, field_map=None):
	"""A booking's event dragged in the calendar: move that occurrence."""
	try:
		args = json.loads(args) if isinstance(args, str) else args
	except ValueError:
		args = None
	if not isinstance(args, dict) or not isinstance(args.get("name"), str):
		frappe.throw(_("Choose the occurrence to move."))
	booking, _separator, occurrence_date = args["name"].partition(OCCURRENCE_SEPARATOR)
	if not occurrence_date:
		frappe.throw(_("Choose the occurrence to move."))
	move_occurrence(booking, occurrence_date, args.get("start_time"), args.get("end_time"))


@frappe.whitelist()
def get_activity_events(start, end, filters=None, **kwargs) -> list[dict]:
	start, end, filters = datetime_argument(start), datetime_argument(end), filters_argument(filters)
	rows = frappe.get_list(
		"Community Activity",
		fields=["name", "title", "start_time", "end_time", "status", "docstatus"],
		filters=[
			*filters,
			["Community Activity", "start_time", "<=", end],
			["Community Activity", "end_time", ">=", start],
		],
		order_by="start_time",
		limit_page_length=0,
	)
	for row in rows:
		row.all_day = 0
		# Moved in the activity's form, which also moves its booking.
		row.docstatus = 1
	return rows
