// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

// Customize Form's form builder writes each property's description as the meta has it, untranslated
// (its controls put df.description into the page as it is); the fields' own labels and descriptions
// come translated from the server (wangge_app/customize_form.py). The descriptions of the properties
// are translated once in the desk's copy of the meta, as the desk's forms show them.
frappe.ui.form.on("Customize Form", {
	onload() {
		frappe.model.with_doctype("Customize Form Field", () => {
			const meta = frappe.get_meta("Customize Form Field");
			if (meta.wangge_descriptions_translated) return;
			meta.fields.forEach((df) => {
				if (df.description) df.description = __(df.description, null, meta.name);
			});
			meta.wangge_descriptions_translated = true;
		});
	},
});
