// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Space Booking", {
	setup(frm) {
		frm.set_query("space", () => ({ filters: { is_active: 1 } }));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Calendar"), () => frappe.set_route("List", "Space Booking", "Calendar"));
		}
	},
	start_time(frm) {
		if (frm.doc.start_time && !frm.doc.end_time) {
			frm.set_value("end_time", moment(frm.doc.start_time).add(1, "hours").format("YYYY-MM-DD HH:mm:ss"));
		}
	},
});
