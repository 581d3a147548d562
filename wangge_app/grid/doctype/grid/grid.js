// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Grid", {
	setup(frm) {
		// A grid hangs under a community, a micro-grid under a grid.
		frm.set_query("parent_grid", () => {
			const parent_level = { Grid: "Community", "Micro-grid": "Grid" }[frm.doc.grid_level];
			return { filters: { grid_level: parent_level || "__none__" } };
		});
		frm.set_query("user", "grid_workers", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { role: "Grid Worker" },
		}));
	},
});
