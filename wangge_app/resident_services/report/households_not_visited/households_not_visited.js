// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Households Not Visited"] = {
	filters: [
		{ fieldname: "days", label: __("Not Visited For (Days)"), fieldtype: "Int", default: 30 },
		{ fieldname: "grid", label: __("Grid"), fieldtype: "Link", options: "Grid" },
	],
};
