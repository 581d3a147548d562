// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

// The Workflow form's button to the documents' list names their DocType as stored ("Go to Resident
// Request List"); the desk shows DocType names translated everywhere else.
frappe.ui.form.on("Workflow", {
	refresh(frm) {
		const doctype = frm.doc.document_type;
		if (!doctype || frm.is_new() || __(doctype) === doctype) return;
		frm.remove_custom_button(__("Go to {0} List", [doctype]));
		frm.add_custom_button(__("Go to {0} List", [__(doctype)]), () => {
			frappe.set_route("List", doctype);
		});
	},
});
