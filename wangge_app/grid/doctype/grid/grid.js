// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Grid", {
	setup(frm) {
		// A micro-grid hangs under a grid, a grid under a community, a community under its
		// sub-district (街道) and a sub-district under its district (区), where the site has them.
		frm.set_query("parent_grid", () => {
			const parent_levels = {
				"Sub-district": ["District"],
				Community: ["Sub-district"],
				Grid: ["Community"],
				"Micro-grid": ["Grid"],
			}[frm.doc.grid_level];
			return { filters: { grid_level: ["in", parent_levels || ["__none__"]] } };
		});
		frm.set_query("user", "grid_workers", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { role: "Grid Worker" },
		}));
	},
});
