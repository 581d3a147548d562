// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Partner Merchant", {
	setup(frm) {
		frm.set_query("user", "users", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { ignore_user_type: 1 },
		}));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Redemption Offers"), () =>
				frappe.set_route("List", "Redemption Offer", { merchant: frm.doc.name })
			);
		}
	},
});
