// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Points Redemption", {
	setup(frm) {
		frm.set_query("member", () => ({ filters: { status: "In Service" } }));
		frm.set_query("offer", () => ({ filters: { is_active: 1 } }));
	},
	refresh(frm) {
		if (frm.doc.member && !frm.is_new()) {
			frappe
				.xcall("wangge_app.volunteer.points.get_points_balance", { member: frm.doc.member })
				.then((balance) =>
					frm.dashboard.set_headline(__("Points balance of {0}: {1}", [frm.doc.member_name, balance]))
				);
		}
	},
});
