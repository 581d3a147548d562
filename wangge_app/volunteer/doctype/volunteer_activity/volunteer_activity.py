# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime, getdate

from wangge_app.roles import COMMUNITY_MANAGER, SYSTEM_MANAGER
from wangge_app.volunteer import points
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE
from wangge_app.volunteer.doctype.volunteer_service_type.volunteer_service_type import (
	get_max_points_per_participant,
)

# Who may award more points than a service type's limit.
POINTS_APPROVER_ROLES = (COMMUNITY_MANAGER, SYSTEM_MANAGER)


class VolunteerActivity(Document):
	def validate(self):
		if self.points_per_participant is None and self.service_type:
			self.points_per_participant = frappe.db.get_value(
				"Volunteer Service Type", self.service_type, "default_points"
			)
		if cint(self.points_per_participant) <= 0:
			frappe.throw(_("Points per participant must be greater than zero."))
		self.validate_points_limit()
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
		self.validate_attendees_are_in_grid()

	def validate_points_limit(self):
		"""Points are worth money at partner merchants: above the type's limit only a manager awards."""
		limit = get_max_points_per_participant(self.service_type)
		if cint(self.points_per_participant) <= limit:
			return
		if set(POINTS_APPROVER_ROLES) & set(frappe.get_roles()):
			return
		frappe.throw(
			_(
				"{0} points per participant is more than the {1} points allowed for {2}. A Community Manager must approve a larger award."
			).format(self.points_per_participant, limit, frappe.bold(self.service_type)),
			frappe.PermissionError,
			title=_("Points Above the Limit"),
		)

	def validate_attendees_are_in_grid(self):
		"""Attendees earn points for their own community work: members of the activity's grid."""
		members = [row.member for row in self.attendees()]
		if not members or not self.grid:  # the grid is mandatory: Frappe reports it missing
			return
		grids = set(frappe.get_all("Grid", {"name": ("descendants of (inclusive)", self.grid)}, pluck="name"))
		member_grids = dict(
			frappe.get_all(
				"In-service Party Member",
				filters={"name": ("in", members)},
				fields=["name", "grid"],
				as_list=True,
			)
		)
		outside = [row for row in self.attendees() if member_grids.get(row.member) not in grids]
		if outside:
			frappe.throw(
				_(
					"Only members registered in the grid {0} or its micro-grids can earn its points; not registered there: {1}"
				).format(
					frappe.bold(frappe.db.get_value("Grid", self.grid, "grid_name") or self.grid),
					", ".join(row.member_name or row.member for row in outside),
				),
				title=_("Member Outside the Grid"),
			)

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
