// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Resident Request", {
	onload(frm) {
		// One key per new form: saving it twice (a double click, a retry) makes one request.
		if (frm.is_new() && !frm.doc.submission_key) {
			frm.doc.submission_key = frappe.utils.get_random(20);
		}
	},
	refresh(frm) {
		const handling = ["Received", "Acknowledged", "Visited", "Coordinating", "Whistle Blown"];
		if (!frm.is_new() && handling.includes(frm.doc.workflow_state)) {
			frm.add_custom_button(__("Chase"), () => {
				frappe.prompt(
					{ fieldname: "note", fieldtype: "Small Text", label: __("Note") },
					(values) =>
						frappe
							.call("wangge_app.resident_services.doctype.resident_request.resident_request.chase", {
								name: frm.doc.name,
								note: values.note,
							})
							.then(() => frm.reload_doc()),
					__("Chase Request"),
					__("Chase")
				);
			});
		}
		if (frm.doc.chase_count) {
			frm.dashboard.add_comment(
				__("This request was chased {0} times.", [frm.doc.chase_count]),
				"orange",
				true
			);
		}
	},
	household(frm) {
		if (frm.doc.household && !frm.doc.grid) {
			frappe.db.get_value("Household", frm.doc.household, "grid").then((r) => {
				if (r.message && r.message.grid) frm.set_value("grid", r.message.grid);
			});
		}
	},
});
