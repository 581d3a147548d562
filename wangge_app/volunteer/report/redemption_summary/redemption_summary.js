// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Redemption Summary"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
		{ fieldname: "merchant", label: __("Merchant"), fieldtype: "Link", options: "Partner Merchant" },
	],
};
