// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Community Activity Summary"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			default: new Date().getFullYear(),
			reqd: 1,
		},
		{
			fieldname: "target_group",
			label: __("Target Group"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "All Residents", label: __("All Residents") },
				{ value: "Elderly", label: __("Elderly") },
				{ value: "Children under 6", label: __("Children under 6") },
				{ value: "Parents with Children", label: __("Parents with Children") },
			],
		},
	],
};
