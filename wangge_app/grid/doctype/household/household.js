// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Household", {
	refresh(frm) {
		// The masked copies are for readers without access to the personal data (permission level 1).
		frm.toggle_display(["phone_masked"], !frm.perm[1]?.read);
	},
	setup(frm) {
		// Households live in grids and micro-grids, never directly in a community.
		frm.set_query("grid", () => ({ filters: { grid_level: ["in", ["Grid", "Micro-grid"]] } }));
		frm.set_query("head_of_household", () => ({ filters: { household: frm.doc.name } }));
	},
});
