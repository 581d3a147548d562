// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

// Appended to Frappe's print page (hooks.py page_js) after it defines its view. Print Format is a
// translated DocType on this app's sites (custom/print_format.json): its Link control shows and
// searches the formats' Chinese names, while the record keeps its name. Frappe's print view reads and
// writes the selector's input box directly, which then holds the Chinese name: here it goes through
// the Link control, which maps what is shown back to the record's name.

(() => {
	const PrintView = frappe.ui.form.PrintView;
	if (!PrintView || PrintView.prototype.wangge_reads_print_format_control) return;

	const add_sidebar_item = PrintView.prototype.add_sidebar_item;
	PrintView.prototype.add_sidebar_item = function (df, is_dynamic) {
		const field = add_sidebar_item.call(this, df, is_dynamic);
		if (df.fieldname === "print_format" && !is_dynamic) {
			this.print_format_control = field;
		}
		return field;
	};

	PrintView.prototype.selected_format = function () {
		const control = this.print_format_control;
		return (control ? control.get_input_value() : this.print_format_selector.val()) || "Standard";
	};

	PrintView.prototype.set_default_print_format = function () {
		const control = this.print_format_control;
		const default_format = this.frm.meta.default_print_format;
		if (!control || !default_format) return;
		const chosen = control.get_input_value();
		if (chosen && frappe.meta.get_print_formats(this.frm.doctype).includes(chosen)) return;
		control.set_input(default_format);
	};

	PrintView.prototype.wangge_reads_print_format_control = true;
})();
