// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

// Chinese where Frappe's desk shows stored English or adds English of its own. Loaded on every desk
// page (hooks.py app_include_js); the translations themselves are in translations/zh.csv.

(() => {
	// The desk writes the user's time zone under every date-time field, after the field's description,
	// which then no longer matches its translation. Where the user's time zone is the system's (every
	// user of a community site), the hint says nothing: it is left out and the description is translated.
	const ControlDatetime = frappe.ui.form.ControlDatetime;
	const set_description = ControlDatetime.prototype.set_description;
	ControlDatetime.prototype.set_description = function (...args) {
		if (frappe.datetime.is_system_time_zone()) {
			this.df.hide_timezone = 1;
		}
		return set_description.apply(this, args);
	};

	// The form timeline writes a changed value as it is stored: a select option or a workflow state
	// stays English ("… to Satisfied"), an empty value "null". The values of the fields the desk shows
	// translated are translated for the timeline, empty ones left empty; the version is left as it is.
	function shows_translated(df) {
		if (!df) return false;
		if (["Select", "Autocomplete"].includes(df.fieldtype)) return true;
		return (
			df.fieldtype === "Link" && (frappe.boot.translated_doctypes || []).includes(df.options)
		);
	}

	function translated(value) {
		return typeof value === "string" && value ? __(value) : value;
	}

	function translate_change(doctype, docname, change) {
		const df = frappe.meta.get_docfield(doctype, change[0], docname);
		// An empty value is stored as null, which the timeline would write out as "null".
		const shown = (value) => {
			if (value === null || value === undefined) return "";
			return shows_translated(df) ? translated(value) : value;
		};
		return [change[0], shown(change[1]), shown(change[2]), ...change.slice(3)];
	}

	function with_translated_values(version_data, frm) {
		let data;
		try {
			data = JSON.parse(version_data);
		} catch (e) {
			return version_data;
		}
		if (!data || data.comment) return version_data;
		data.changed = (data.changed || []).map((change) =>
			translate_change(frm.doctype, frm.docname, change)
		);
		data.row_changed = (data.row_changed || []).map((row) => {
			const table = frappe.meta.get_docfield(frm.doctype, row[0], frm.docname);
			if (!table || !table.options) return row;
			const changes = (row[3] || []).map((change) =>
				translate_change(table.options, frm.docname, change)
			);
			return [row[0], row[1], row[2], changes, ...row.slice(4)];
		});
		return JSON.stringify(data);
	}

	function translate_timeline(timeline) {
		const timeline_class = Object.getPrototypeOf(timeline);
		if (timeline_class.wangge_translates_values) return;
		const get_version_timeline_contents = timeline_class.get_version_timeline_contents;
		timeline_class.get_version_timeline_contents = function () {
			const versions = (this.doc_info && this.doc_info.versions) || [];
			const stored = versions.map((version) => version.data);
			versions.forEach((version) => {
				version.data = with_translated_values(version.data, this.frm);
			});
			try {
				return get_version_timeline_contents.call(this);
			} finally {
				versions.forEach((version, i) => {
					version.data = stored[i];
				});
			}
		};
		timeline_class.wangge_translates_values = true;
	}

	// Role names, workflow states and actions are stored in English; a table cell that links to them
	// shows the name as stored where the user may not open the record (a Community Manager editing a
	// workflow reads no Role). Frappe's link formatters are its hook for how a link is shown.
	["Role", "Workflow State", "Workflow Action Master"].forEach((doctype) => {
		const earlier = frappe.form.link_formatters[doctype];
		frappe.form.link_formatters[doctype] = (value, doc, df) =>
			translated(earlier ? earlier(value, doc, df) : value);
	});

	// "form-load" comes before a form's timeline is first drawn.
	$(document).on("form-load form-refresh", (event, frm) => {
		if (frm && frm.timeline) translate_timeline(frm.timeline);
	});
})();
