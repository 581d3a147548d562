// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Assisted Service Statistics"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Service", label: __("Service") },
				{ value: "Resident Category", label: __("Resident Category") },
				{ value: "Mode", label: __("Mode") },
				{ value: "Month", label: __("Month") },
			],
			default: "Service",
		},
		{ fieldname: "grid", label: __("Grid"), fieldtype: "Link", options: "Grid" },
	],
};
