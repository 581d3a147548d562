# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime, getdate

from wangge_app.volunteer import points
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE


class VolunteerActivity(Document):
	def validate(self):
		if self.points_per_participant is None and self.service_type:
			self.points_per_participant = frappe.db.get_value(
				"Volunteer Service Type", self.service_type, "default_points"
			)
		if cint(self.points_per_participant) <= 0:
			frappe.throw(_("Points per participant must be greater than zero."))
		if get_datetime(self.end_time) < get_datetime(self.start_time):
			frappe.throw(_("The activity cannot end before it starts."))
		self.validate_participants()

	def validate_participants(self):
		seen = set()
		for row in self.participants:
			if row.member in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(
						row.idx, frappe.bold(row.member_name or row.member)
					)
				)
			seen.add(row.member)
			if row.hours and row.hours < 0:
				frappe.throw(_("Row {0}: hours cannot be negative.").format(row.idx))
		if self.capacity and len(self.participants) > self.capacity:
			frappe.throw(
				_("The activity takes {0} participants; {1} are listed.").format(
					self.capacity, len(self.participants)
				)
			)
		self.attendee_count = len(self.attendees())
		self.validate_attendees_are_active()

	def attendees(self):
		return [row for row in self.participants if row.attended]

	def validate_attendees_are_active(self):
		members = [row.member for row in self.attendees()]
		if not members:
			return
		statuses = dict(
			frappe.get_all(
				"In-service Party Member",
				filters={"name": ("in", members)},
				fields=["name", "status"],
				as_list=True,
			)
		)
		inactive = [row for row in self.attendees() if statuses.get(row.member) != ACTIVE]
		if inactive:
			frappe.throw(
				_("Only active members can earn points; not active: {0}").format(
					", ".join(
						f"{row.member_name or row.member} ({_(statuses.get(row.member) or '')})"
						for row in inactive
					)
				)
			)

	def before_submit(self):
		if not self.attendees():
			frappe.throw(_("Mark at least one participant as attended before submitting."))

	def on_submit(self):
		# In member order, as every writer locks members, so that concurrent submits cannot deadlock.
		for row in sorted(self.attendees(), key=lambda row: row.member):
			points.make_points_entry(
				row.member,
				self.points_per_participant,
				points.EARNED,
				self.doctype,
				self.name,
				posting_date=getdate(self.end_time),
				remarks=self.title,
			)

	def before_cancel(self):
		points.check_reversible(self.doctype, self.name)

	def on_cancel(self):
		points.reverse_voucher_entries(self.doctype, self.name)
