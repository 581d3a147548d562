// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Dispute Case Statistics"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Count By"),
			fieldtype: "Select",
			options: [
				{ value: "Grid", label: __("Grid") },
				{ value: "Tier", label: __("Tier") },
				{ value: "Category", label: __("Dispute Category") },
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
			label: __("Discovered From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("Discovered To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
	],
};
