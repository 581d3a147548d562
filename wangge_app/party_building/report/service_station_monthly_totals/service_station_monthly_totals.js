// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Service Station Monthly Totals"] = {
	filters: [
		{
			fieldname: "station",
			label: __("Service Station"),
			fieldtype: "Link",
			options: "Party Mass Service Station",
		},
		{
			fieldname: "from_date",
			label: __("Start Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("End Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	],
};
