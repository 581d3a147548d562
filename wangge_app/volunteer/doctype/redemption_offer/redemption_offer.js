// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Redemption Offer", {
	setup(frm) {
		frm.set_query("merchant", () => ({ filters: { is_active: 1 } }));
	},
});
