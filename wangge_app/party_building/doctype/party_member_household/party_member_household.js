// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Party Member Household", {
	setup(frm) {
		frm.set_query("party_member", () => ({ filters: { is_party_member: 1 } }));
		// A central household does not serve itself.
		frm.set_query("household", "served_households", () => ({
			filters: { name: ["!=", frm.doc.household || ""] },
		}));
		// Contacts are logged with the households served.
		frm.set_query("household", "contact_log", () => ({
			filters: { name: ["in", (frm.doc.served_households || []).map((row) => row.household)] },
		}));
	},
});
