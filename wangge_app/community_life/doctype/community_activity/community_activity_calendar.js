// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.views.calendar["Community Activity"] = {
	field_map: {
		id: "name",
		start: "start_time",
		end: "end_time",
		title: "title",
		allDay: "all_day",
	},
	get_events_method: "wangge_app.community_life.calendar.get_activity_events",
};
