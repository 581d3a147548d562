# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DocumentCustodyLog(Document):
	pass
