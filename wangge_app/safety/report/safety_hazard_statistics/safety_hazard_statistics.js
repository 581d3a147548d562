// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Safety Hazard Statistics"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Count By"),
			fieldtype: "Select",
			options: [
				{ value: "Grid", label: __("Grid") },
				{ value: "Hazard Category", label: __("Hazard Category") },
				{ value: "Risk Level", label: __("Risk Level") },
				{ value: "Month", label: __("Month") },
				{ value: "Status", label: __("Status") },
			],
			default: "Grid",
			reqd: 1,
		},
		{
			fieldname: "grid",
			label: __("Grid"),
			fieldtype: "Link",
			options: "Grid",
		},
		{
			fieldname: "from_date",
			label: __("Found From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("Found To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
	],
};
