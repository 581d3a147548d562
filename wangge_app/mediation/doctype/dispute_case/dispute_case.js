// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Dispute Case", {
	setup(frm) {
		// Parties and households come from the grid of the case, micro-grids included.
		const in_grid = () =>
			frm.doc.grid ? { filters: { grid: ["descendants of (inclusive)", frm.doc.grid] } } : {};
		frm.set_query("resident", "parties", in_grid);
		frm.set_query("households", in_grid);
		frm.set_query("referred_to", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		// Chosen at registration; afterwards escalation and referral raise it (the server refuses other changes).
		frm.set_df_property("tier", "read_only", frm.is_new() ? 0 : 1);
		if (frm.doc.is_overdue) {
			frm.dashboard.set_headline_alert(__("This case missed a time target."), "red");
		}
	},
});
