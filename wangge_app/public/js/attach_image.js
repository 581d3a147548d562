// A photo (an Attach Image field: a hazard's or a request's photo, a check's result photo) shows as a
// picture, not as its file's address: Frappe formats the field as a link with the address, in child
// tables' rows, in lists and on read-only forms, and shows the address on the form.
frappe.form.formatters.AttachImage = function (value) {
	if (!value) return "";
	// "name,data:…" is a file not yet uploaded; the address otherwise (user input: escaped).
	const data_url = value.match(/^[^:]+,(data:.+)$/);
	const url = frappe.utils.escape_html(data_url ? data_url[1] : value);
	return `<a href="${url}" target="_blank" rel="noopener">
		<img src="${url}" alt="" style="max-height: 6rem; max-width: 100%; object-fit: contain;">
	</a>`;
};

frappe.ui.form.ControlAttachImage = class ControlAttachImageWithPicture extends (
	frappe.ui.form.ControlAttachImage
) {
	set_input(value, dataurl) {
		super.set_input(value, dataurl);
		if (!this.$picture) {
			this.$picture = $('<div class="attached-image-picture"></div>').appendTo(this.input_area);
		}
		this.$picture.html(frappe.form.formatters.AttachImage(value));
	}
};
