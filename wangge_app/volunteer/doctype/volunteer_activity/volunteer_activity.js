// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Volunteer Activity", {
	setup(frm) {
		frm.set_query("service_type", () => ({ filters: { disabled: 0 } }));
		// Attendees earn the points of their own grid's activities.
		frm.set_query("member", "participants", () => ({
			filters: frm.doc.grid
				? { status: "In Service", grid: ["descendants of (inclusive)", frm.doc.grid] }
				: { status: "In Service" },
		}));
	},
	async service_type(frm) {
		if (!frm.doc.service_type) return;
		const { message } = await frappe.db.get_value(
			"Volunteer Service Type",
			frm.doc.service_type,
			"default_points"
		);
		if (message) frm.set_value("points_per_participant", message.default_points);
	},
	start_time(frm) {
		if (frm.doc.start_time && !frm.doc.end_time) frm.set_value("end_time", frm.doc.start_time);
	},
});
