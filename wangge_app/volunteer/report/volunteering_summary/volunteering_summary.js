// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Volunteering Summary"] = {
	filters: [
		{
			fieldname: "view",
			label: __("Summary View"),
			fieldtype: "Select",
			options: [
				{ value: "By Work Unit", label: __("By Work Unit") },
				{ value: "By Grid", label: __("By Grid") },
				{ value: "Top Volunteers", label: __("Top Volunteers") },
			],
			default: "By Work Unit",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
		},
		{
			fieldname: "work_unit",
			label: __("Work Unit"),
			fieldtype: "Link",
			options: "Work Unit",
		},
		{
			fieldname: "grid",
			label: __("Grid"),
			fieldtype: "Link",
			options: "Grid",
		},
		{
			fieldname: "top",
			label: __("Top Volunteers Listed"),
			fieldtype: "Int",
			default: 20,
			depends_on: "eval:doc.view == 'Top Volunteers'",
		},
	],
};
