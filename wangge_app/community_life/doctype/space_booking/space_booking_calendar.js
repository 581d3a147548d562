// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

// One event per booked occurrence; dragging an event moves that occurrence only.
frappe.views.calendar["Space Booking"] = {
	field_map: {
		id: "occurrence_id",
		start: "start_time",
		end: "end_time",
		title: "title",
		allDay: "all_day",
		color: "color",
	},
	get_events_method: "wangge_app.community_life.calendar.get_booking_events",
	update_event_method: "wangge_app.community_life.calendar.move_booking_event",
	options: {
		defaultView: "agendaWeek",
		minTime: "07:00:00",
		maxTime: "22:00:00",
	},
};
