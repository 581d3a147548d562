// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Household Visit", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.started_record) return;
		for (const doctype of ["Resident Request", "Dispute Case"]) {
			frm.add_custom_button(
				__(doctype),
				() =>
					frappe
						.call("wangge_app.resident_services.doctype.household_visit.household_visit.start_from_visit", {
							visit: frm.doc.name,
							doctype: doctype,
						})
						.then((r) => frappe.set_route("Form", r.message.doctype, r.message.name)),
				__("Start from the Visit")
			);
		}
	},
});
