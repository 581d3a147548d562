// The form shows what the server keeps: recorded history rows (wangge_app/history.py) stay as they
// are, and a registered time limit (wangge_app/utils/due_times.py) changes only through the community
// manager's action, with a reason. Loaded for each DocType concerned (hooks.py doctype_js); the
// rules come with the boot (history.records_kept_boot), from the server's declarations.
frappe.provide("wangge_app.records_kept");

wangge_app.records_kept.lock_history = function (frm, tables) {
	tables.forEach((table) => {
		const grid = frm.get_field(table)?.grid;
		if (!grid) return;
		frm.set_df_property(table, "cannot_delete_rows", 1);
		(frm.doc[table] || []).forEach((row) => {
			if (row.__islocal) return;
			grid.docfields.forEach((df) => {
				frm.set_df_property(table, "read_only", 1, frm.docname, df.fieldname, row.name);
			});
		});
	});
};

wangge_app.records_kept.lock_due_inputs = function (frm, inputs, approvers) {
	if (!inputs || frm.is_new() || inputs.open_in_states.includes(frm.doc.workflow_state)) return;
	inputs.fields.forEach((fieldname) => frm.set_df_property(fieldname, "read_only", 1));
	if (!approvers.some((role) => frappe.user.has_role(role))) return;
	frm.add_custom_button(__("Change Time Limit"), () => {
		const dialog = new frappe.ui.Dialog({
			title: __("Change Time Limit"),
			fields: [
				...inputs.fields.map((fieldname) => {
					const df = frappe.meta.get_docfield(frm.doctype, fieldname);
					return {
						fieldname,
						label: __(df.label),
						fieldtype: df.fieldtype,
						options: df.options,
						default: frm.doc[fieldname],
						reqd: 1,
					};
				}),
				{ fieldname: "reason", label: __("Reason"), fieldtype: "Small Text", reqd: 1 },
			],
			primary_action_label: __("Confirm Change"),
			async primary_action(values) {
				const changed = inputs.fields.filter(
					(fieldname) => String(values[fieldname] || "") !== String(frm.doc[fieldname] || "")
				);
				if (!changed.length) {
					frappe.msgprint(__("The new value is the same as the current one."));
					return;
				}
				for (const fieldname of changed) {
					await frappe.call({
						method: "wangge_app.utils.due_times.change_due_input",
						args: {
							doctype: frm.doctype,
							name: frm.docname,
							fieldname,
							value: values[fieldname],
							reason: values.reason,
						},
						freeze: true,
					});
				}
				dialog.hide();
				frm.reload_doc();
			},
		});
		dialog.show();
	});
};

if (!wangge_app.records_kept.registered) {
	wangge_app.records_kept.registered = true;
	const rules = frappe.boot.wangge_records_kept || { history: {}, due_inputs: {}, approvers: [] };
	new Set([...Object.keys(rules.history), ...Object.keys(rules.due_inputs)]).forEach((doctype) => {
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				wangge_app.records_kept.lock_history(frm, rules.history[doctype] || []);
				wangge_app.records_kept.lock_due_inputs(frm, rules.due_inputs[doctype], rules.approvers);
			},
		});
	});
}
