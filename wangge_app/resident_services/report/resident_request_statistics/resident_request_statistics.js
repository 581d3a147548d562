// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Resident Request Statistics"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Grid", label: __("Grid") },
				{ value: "Community", label: __("Community") },
				{ value: "Category", label: __("Category") },
				{ value: "Grade", label: __("Grade") },
				{ value: "Month", label: __("Month") },
			],
			default: "Grid",
		},
		{ fieldname: "grid", label: __("Grid"), fieldtype: "Link", options: "Grid" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
	],
	// Each group opens to its requests.
	tree: true,
	name_field: "group",
	initial_depth: 0,
};
