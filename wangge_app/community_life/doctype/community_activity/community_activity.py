# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""A community activity (社区活动). Submitting it marks it completed, which awards its volunteers'
points through the ledger; cancelling the completed activity reverses them. An activity in one of
the community's spaces books the space (a Space Booking kept in step with the activity), so that it
cannot clash with a group's or another activity's booking."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime

from wangge_app.community_life import sign_ups
from wangge_app.community_life.doctype.space_booking.space_booking import (
	BOOKED,
	COMMUNITY_ACTIVITY,
)
from wangge_app.community_life.doctype.space_booking.space_booking import CANCELLED as BOOKING_CANCELLED
from wangge_app.community_life.inputs import name_argument
from wangge_app.community_life.volunteer_points import (
	award_volunteer_points,
	check_volunteer_points_reversible,
	reverse_volunteer_points,
)
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE

PLANNED = "Planned"
COMPLETED = "Completed"
CANCELLED = "Cancelled"


class CommunityActivity(Document):
	def validate(self):
		before = self.get_doc_before_save()
		if before and before.status == CANCELLED and before.docstatus == 0:
			frappe.throw(_("{0} was called off and cannot be changed.").format(frappe.bold(self.title)))
		if self.docstatus == 0:
			self.status = PLANNED
		if get_datetime(self.end_time) <= get_datetime(self.start_time):
			frappe.throw(_("An activity must end after it starts."))
		if cint(self.capacity) < 0:
			frappe.throw(_("The number of places cannot be negative."))
		if self.waiting_list and cint(self.offer_hours) < 1:
			frappe.throw(_("Give residents at least one hour to accept an offered place."))
		if self.space:
			self.place = None
			space_capacity = cint(frappe.db.get_value("Community Space", self.space, "capacity"))
			if space_capacity and cint(self.capacity) > space_capacity:
				frappe.throw(
					_("{0} holds {1} people; the activity cannot offer {2} places.").format(
						frappe.bold(self.space), space_capacity, self.capacity
					)
				)
		if self.is_new():
			self.signed_up_count = self.waiting_count = self.attended_count = 0
		else:
			self.check_capacity_covers_sign_ups()
			sign_ups.set_counts(self)
		self.validate_volunteers()
		self.check_space_booking()

	def check_capacity_covers_sign_ups(self):
		holding = sign_ups.count_holding_places(self.name)
		if cint(self.capacity) and holding > cint(self.capacity):
			frappe.throw(
				_("{0} residents already hold a place; the activity cannot have fewer places.").format(
					holding
				)
			)

	def validate_volunteers(self):
		seen = set()
		for row in self.volunteers:
			if row.member in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(
						row.idx, frappe.bold(row.member_name or row.member)
					)
				)
			seen.add(row.member)
		attended = [row.member for row in self.volunteers if row.attended]
		if not attended:
			return
		if cint(self.points_per_volunteer) <= 0:
			frappe.throw(_("Points per volunteer must be greater than zero."))
		statuses = dict(
			frappe.get_all(
				"In-service Party Member", {"name": ("in", attended)}, ["name", "status"], as_list=True
			)
		)
		inactive = [member for member in attended if statuses.get(member) != ACTIVE]
		if inactive:
			frappe.throw(
				_("Only active members can earn points; not active: {0}").format(", ".join(inactive))
			)

	def on_update(self):
		if self.docstatus == 0:
			self.book_space()

	def space_booking_to_save(self):
		"""The activity's booking of its space as it must be (unsaved), or None when there is nothing to book
		or free. Checked in validate, so a clash refuses the activity before anything is written."""
		booking = frappe.get_doc("Space Booking", self.space_booking) if self.space_booking else None
		if not self.space:
			if booking and booking.status != BOOKING_CANCELLED:
				booking.status = BOOKING_CANCELLED
				return booking
			return None
		if not booking:
			booking = frappe.new_doc("Space Booking")
			booking.booked_for = COMMUNITY_ACTIVITY
			booking.community_activity = self.name
		booking.update(
			{
				"space": self.space,
				"purpose": self.title,
				"start_time": self.start_time,
				"end_time": self.end_time,
				"status": BOOKED,
			}
		)
		booking.flags.from_activity = True
		return booking

	def check_space_booking(self):
		if self.docstatus != 0:
			return
		booking = self.space_booking_to_save()
		if booking:
			booking.validate()

	def book_space(self):
		"""Keep the activity's booking of its space in step with its space and time."""
		booking = self.space_booking_to_save()
		if not booking:
			return
		booking.flags.from_activity = True
		booking.save(ignore_permissions=True)
		if self.space_booking != booking.name:
			self.db_set("space_booking", booking.name, update_modified=False)

	def before_submit(self):
		self.status = COMPLETED

	def on_submit(self):
		award_volunteer_points(self)

	def before_cancel(self):
		check_volunteer_points_reversible(self)

	def on_cancel(self):
		self.db_set("status", CANCELLED)
		reverse_volunteer_points(self)


@frappe.whitelist()
def call_off(activity):
	"""Call off a planned activity: its sign-ups are cancelled and its space is freed."""
	name_argument(activity, "Community Activity")
	if not frappe.has_permission("Community Activity", "write", doc=activity):
		frappe.throw(
			_("You are not permitted to call off {0}.").format(frappe.bold(activity)), frappe.PermissionError
		)
	doc = frappe.get_doc("Community Activity", activity)
	if doc.docstatus != 0 or doc.status != PLANNED:
		frappe.throw(_("Only a planned activity can be called off."))
	sign_ups.lock_activity(doc.name)
	sign_ups.cancel_all(doc.name)
	if doc.space_booking:
		booking = frappe.get_doc("Space Booking", doc.space_booking)
		booking.status = BOOKING_CANCELLED
		booking.flags.from_activity = True
		booking.save(ignore_permissions=True)
	doc.db_set("status", CANCELLED)
	return doc.status
