"""The party-member central household (党员中心户) was the DocType "Central Household"; the design card
names it "Party Member Household". Rename the DocType, its contact log and what names them (the
approval workflow, the notice print format, the coverage report and number card) before the new
definitions sync, so every record, child row, workflow state and timeline entry is kept.

Runs in [pre_model_sync]: after the sync, the new definitions would otherwise make empty DocTypes
beside the old ones. On a fresh site, or one already renamed, it does nothing.
"""

import frappe
from frappe.model.rename_doc import rename_doc

# (DocType, old name, new name), in order: the child table, then its parent, then their users.
RENAMES = (
	("DocType", "Central Household Contact", "Party Member Household Contact"),
	("DocType", "Central Household", "Party Member Household"),
	("Workflow", "Central Household Approval", "Party Member Household Approval"),
	("Print Format", "Central Household Notice", "Party Member Household Notice"),
	("Report", "Central Household Coverage", "Party Member Household Coverage"),
	("Number Card", "Central Household Coverage", "Party Member Household Coverage"),
)


def execute():
	for doctype, old, new in RENAMES:
		if frappe.db.exists(doctype, old) and not frappe.db.exists(doctype, new):
			rename_doc(doctype, old, new, force=True, show_alert=False, rebuild_search=False)
	frappe.clear_cache()
