// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Grid Scorecard"] = {
	filters: [
		{
			fieldname: "rows",
			label: __("Rows"),
			fieldtype: "Select",
			options: [
				{ value: "By Grid", label: __("By Grid") },
				{ value: "By Community", label: __("By Community") },
			],
			// District staff compare communities; a community's staff compare its grids.
			default: frappe.user.has_role("District Manager") ? "By Community" : "By Grid",
			reqd: 1,
		},
	],
};
