# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""A booking of a community space: one time slot, or a weekly series of them.

No two booked occurrences of one space overlap. MariaDB has no exclusion constraint, so every save
locks the space's row first (`SELECT … FOR UPDATE`): saves of one space run one after the other, and
each checks its occurrences against what the others committed (a locking read sees the latest rows).
"""

import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import format_datetime, get_datetime, get_time, getdate

from wangge_app.community_life.inputs import date_argument, datetime_argument, name_argument

BOOKED = "Booked"
CANCELLED = "Cancelled"
STAFF = "Community Staff"
RESIDENT_GROUP = "Resident Group"
COMMUNITY_ACTIVITY = "Community Activity"
WEEKDAY_FIELDS = (
	"repeat_monday",
	"repeat_tuesday",
	"repeat_wednesday",
	"repeat_thursday",
	"repeat_friday",
	"repeat_saturday",
	"repeat_sunday",
)
# Fields whose change works the occurrences out afresh (single occurrences' changes are lost then).
RULE_FIELDS = ("start_time", "end_time", "repeats", "repeat_until", *WEEKDAY_FIELDS)
# A weekly series is planned at most a year ahead.
MAX_REPEAT_DAYS = 366
# Who may book which space: the space's flag for each kind of booking.
BOOKABLE_FLAGS = {
	STAFF: "bookable_by_staff",
	RESIDENT_GROUP: "bookable_by_groups",
	COMMUNITY_ACTIVITY: "bookable_for_activities",
}


class SpaceBooking(Document):
	def validate(self):
		start, end = get_datetime(self.start_time), get_datetime(self.end_time)
		if end <= start:
			frappe.throw(_("A booking must end after it starts."))
		if start.date() != end.date():
			frappe.throw(_("A booking starts and ends on the same day; book each day's slot on its own."))
		if self.booked_for != RESIDENT_GROUP:
			self.resident_group = None
		if self.booked_for == RESIDENT_GROUP and not self.resident_group:
			frappe.throw(_("Choose the resident group the space is booked for."))
		if self.booked_for == COMMUNITY_ACTIVITY and not (
			self.community_activity and self.flags.from_activity
		):
			frappe.throw(_("A booking for a community activity is made and changed from the activity."))
		if self.is_new() or not self.booked_by:
			self.booked_by = frappe.session.user
		if self.rule_changed():
			self.make_occurrences()
		self.mark_moved_occurrences()
		space = self.lock_space()
		if self.status == BOOKED:
			self.check_space_allows(space)
			self.check_opening_hours(space)
			self.check_overlaps()

	def rule_changed(self) -> bool:
		before = self.get_doc_before_save()
		if not before or not self.occurrences:
			return True
		return any(rule_value(before, field) != rule_value(self, field) for field in RULE_FIELDS)

	def occurrence_dates(self) -> list[datetime.date]:
		first = getdate(self.start_time)
		if not self.repeats:
			return [first]
		weekdays = {index for index, field in enumerate(WEEKDAY_FIELDS) if self.get(field)}
		if not weekdays:
			frappe.throw(_("Choose the weekdays the booking repeats on."))
		if not self.repeat_until:
			frappe.throw(_("Say until when the booking repeats."))
		until = getdate(self.repeat_until)
		if until < first:
			frappe.throw(_("A booking cannot repeat until a day before it starts."))
		if (until - first).days > MAX_REPEAT_DAYS:
			frappe.throw(_("A booking repeats for a year at most."))
		days = [first + datetime.timedelta(days=offset) for offset in range((until - first).days + 1)]
		return [day for day in days if day.weekday() in weekdays]

	def make_occurrences(self):
		start, end = get_time(self.start_time), get_time(self.end_time)
		self.set("occurrences", [])
		for day in self.occurrence_dates():
			self.append(
				"occurrences",
				{
					"occurrence_date": day,
					"start_time": datetime.datetime.combine(day, start),
					"end_time": datetime.datetime.combine(day, end),
					"status": BOOKED,
				},
			)
		if not self.occurrences:
			frappe.throw(_("None of the chosen weekdays falls between the start and the repeat end."))

	def mark_moved_occurrences(self):
		start, end = get_time(self.start_time), get_time(self.end_time)
		for row in self.occurrences:
			row_start, row_end = get_datetime(row.start_time), get_datetime(row.end_time)
			if row_end <= row_start:
				frappe.throw(_("Row {0}: an occurrence must end after it starts.").format(row.idx))
			if row_start.date() != row_end.date():
				frappe.throw(_("Row {0}: an occurrence starts and ends on the same day.").format(row.idx))
			row.moved = int(
				row_start.date() != getdate(row.occurrence_date)
				or (row_start.time(), row_end.time()) != (start, end)
			)

	def active_occurrences(self):
		return [row for row in self.occurrences if row.status == BOOKED]

	def lock_space(self):
		"""Lock the space's row until this transaction ends: bookings of one space are checked one at a time."""
		rows = frappe.db.sql(
			"""select name, space_name, is_active, opening_time, closing_time,
				bookable_by_staff, bookable_by_groups, bookable_for_activities
			from `tabCommunity Space` where name = %s for update""",
			self.space,
			as_dict=True,
		)
		if not rows:
			frappe.throw(_("The space {0} does not exist.").format(frappe.bold(self.space)))
		return rows[0]

	def check_space_allows(self, space):
		if not space.is_active:
			frappe.throw(_("{0} is not open for bookings.").format(frappe.bold(space.space_name)))
		if not space.get(BOOKABLE_FLAGS.get(self.booked_for, "")):
			frappe.throw(
				_("{0} cannot be booked for {1}.").format(frappe.bold(space.space_name), _(self.booked_for))
			)

	def check_opening_hours(self, space):
		opening, closing = get_time(space.opening_time), get_time(space.closing_time)
		for row in self.active_occurrences():
			start, end = get_datetime(row.start_time).time(), get_datetime(row.end_time).time()
			if start < opening or end > closing:
				frappe.throw(
					_("{0} is open from {1} to {2}; the booking on {3} is outside these hours.").format(
						frappe.bold(space.space_name),
						opening.strftime("%H:%M"),
						closing.strftime("%H:%M"),
						format_datetime(row.start_time, "yyyy-MM-dd HH:mm"),
					),
					title=_("Outside Opening Hours"),
				)

	def check_overlaps(self):
		"""Every booked occurrence against the space's other booked occurrences (read under the lock)."""
		occurrences = self.active_occurrences()
		if not occurrences:
			return
		own = [(get_datetime(row.start_time), get_datetime(row.end_time)) for row in occurrences]
		own.sort()
		for (_start, end), (next_start, _end) in zip(own, own[1:], strict=False):
			if next_start < end:
				frappe.throw(_("Two occurrences of this booking overlap on {0}.").format(next_start.date()))
		others = frappe.db.sql(
			"""select b.name, b.purpose, o.start_time, o.end_time
			from `tabSpace Booking` b
			join `tabSpace Booking Occurrence` o on o.parent = b.name and o.parenttype = 'Space Booking'
			where b.space = %(space)s and b.name != %(name)s and b.status = %(booked)s and o.status = %(booked)s
				and o.start_time < %(until)s and o.end_time > %(since)s
			order by o.start_time
			for update""",
			{
				"space": self.space,
				"name": self.name or "",
				"booked": BOOKED,
				"since": own[0][0],
				"until": own[-1][1],
			},
			as_dict=True,
		)
		for other in others:
			for start, end in own:
				if start < other.end_time and other.start_time < end:
					frappe.throw(
						_("{0} is already booked from {1} to {2} ({3}).").format(
							frappe.bold(frappe.db.get_value("Community Space", self.space, "space_name")),
							format_datetime(other.start_time, "yyyy-MM-dd HH:mm"),
							format_datetime(other.end_time, "HH:mm"),
							other.purpose,
						),
						title=_("Space Already Booked"),
					)

	def get_occurrence(self, occurrence_date):
		day = getdate(occurrence_date)
		for row in self.occurrences:
			if getdate(row.occurrence_date) == day:
				return row
		frappe.throw(_("The booking has no occurrence on {0}.").format(day))


def rule_value(doc, fieldname):
	value = doc.get(fieldname)
	if fieldname in ("start_time", "end_time"):
		return get_datetime(value)
	if fieldname == "repeat_until":
		return getdate(value) if value else None
	return int(value or 0)


def check_can_change(booking) -> None:
	name_argument(booking, "Space Booking")
	if not frappe.has_permission("Space Booking", "write", doc=booking):
		frappe.throw(
			_("You are not permitted to change the booking {0}.").format(frappe.bold(booking)),
			frappe.PermissionError,
		)


@frappe.whitelist()
def cancel_occurrence(booking, occurrence_date):
	"""Cancel one occurrence of a booking; the others stay."""
	check_can_change(booking)
	occurrence_date = date_argument(occurrence_date)
	doc = frappe.get_doc("Space Booking", booking)
	doc.get_occurrence(occurrence_date).status = CANCELLED
	doc.save()
	return doc


@frappe.whitelist()
def move_occurrence(booking, occurrence_date, start_time, end_time):
	"""Move one occurrence of a booking to another time (checked for overlaps like any booking)."""
	check_can_change(booking)
	occurrence_date = date_argument(occurrence_date)
	start_time, end_time = datetime_argument(start_time), datetime_argument(end_time)
	doc = frappe.get_doc("Space Booking", booking)
	row = doc.get_occurrence(occurrence_date)
	row.start_time, row.end_time = start_time, end_time
	row.status = BOOKED
	doc.save()
	return doc
