# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.utils import add_days, add_to_date, getdate

from wangge_app.alerts import MISSED_DUE_TIME_ALERTS
from wangge_app.mediation.doctype.dispute_case.dispute_case import DUE_TARGETS, SETTLEMENT_DUE
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import (
	MEDIATOR,
	WORKER,
	DisputeCaseTestCase,
	add_follow_up_visit,
	make_dispute_case,
)
from wangge_app.patches.v1 import store_dispute_case_due_times
from wangge_app.test_utils import alert_subjects, apply_workflow_as, missed_due_times
from wangge_app.utils.due_times import missed_query

# Well in the past, at a round hour; the job is then run at chosen times after it.
DISCOVERED = datetime.datetime.combine(add_days(getdate(), -60), datetime.time(9, 0))


def after(hours: float = 0, days: int = 0, start: datetime.datetime = DISCOVERED) -> datetime.datetime:
	return add_to_date(start, days=days, hours=hours)


class TestOverdueCases(DisputeCaseTestCase):
	def test_missed_targets_are_recorded_and_notified_once(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)

		# Ordinary cases: on site within 2 hours.
		self.assertEqual(missed_due_times(case, after(hours=1.9)), [])
		self.assertEqual(missed_due_times(case, after(hours=2.1)), ["Arrival on Site"])
		self.assertEqual(missed_due_times(case, after(hours=3)), [])
		self.assertEqual(len(alert_subjects(case, WORKER)), 1)
		self.assertIn(case.name, alert_subjects(case, WORKER)[0])
		case.reload()
		self.assertTrue(case.is_overdue)
		self.assertEqual(
			[(row.target, row.due_at, row.notified_users) for row in case.overdue_log],
			[("Arrival on Site", after(hours=2), WORKER)],
		)

		# Late arrival does not undo the breach; the settlement target runs on (7 days).
		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		self.assertEqual(missed_due_times(case, after(days=6)), [])
		self.assertEqual(missed_due_times(case, after(days=7, hours=1)), ["Settlement"])
		self.assertEqual(missed_due_times(case, after(days=8)), [])
		self.assertEqual(len(alert_subjects(case, WORKER)), 2)

		# After the agreement, the first follow-up visit is due within 7 days.
		case = apply_workflow_as(WORKER, case, "Reach Agreement", agreement_terms="物业公司完成维修。")
		settled_at = case.settled_at
		self.assertEqual(missed_due_times(case, after(days=6, start=settled_at)), [])
		self.assertEqual(missed_due_times(case, after(days=8, start=settled_at)), ["Follow-up Visit"])
		self.assertEqual(missed_due_times(case, after(days=9, start=settled_at)), [])
		self.assertEqual(len(alert_subjects(case, WORKER)), 3)

	def test_escalated_case_notifies_the_community(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		apply_workflow_as(WORKER, case, "Escalate to Community")
		# Complex cases: settled within 15 days.
		self.assertEqual(missed_due_times(case, after(days=10)), [])
		self.assertEqual(missed_due_times(case, after(days=16)), ["Settlement"])
		self.assertEqual(len(alert_subjects(case, MEDIATOR)), 1)
		self.assertEqual(alert_subjects(case, WORKER), [])

	def test_targets_follow_the_settings(self):
		# The other tests of the class count on the default targets.
		self.addCleanup(frappe.db.delete, "Mediation Time Target", {"parent": "Mediation Settings"})
		settings = frappe.get_single("Mediation Settings")
		settings.time_targets = []
		settings.append(
			"time_targets",
			{"tier": "Ordinary", "arrival_hours": 4, "settlement_days": 3, "follow_up_days": 2},
		)
		settings.save()
		# The tiers not listed get their defaults.
		self.assertEqual([row.tier for row in settings.time_targets], ["Ordinary", "Complex", "Major"])

		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		self.assertEqual(missed_due_times(case, after(hours=3)), [])
		self.assertEqual(missed_due_times(case, after(hours=5)), ["Arrival on Site"])
		self.assertEqual(missed_due_times(case, after(days=3, hours=1)), ["Settlement"])

		settings.append(
			"time_targets",
			{"tier": "Ordinary", "arrival_hours": 1, "settlement_days": 1, "follow_up_days": 1},
		)
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			settings.save()

	def test_closed_cases_are_not_checked(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED, tier="Complex")
		frappe.db.set_value("Dispute Case", case.name, "workflow_state", "Case Closed")
		self.assertEqual(missed_due_times(case, after(days=100)), [])
		self.assertEqual(frappe.db.get_value("Dispute Case", case.name, "is_overdue"), 0)


class TestStoredDueTimes(DisputeCaseTestCase):
	def due_times(self, case) -> tuple:
		case.reload()
		return (case.arrival_due_by, case.settlement_due_by, case.follow_up_due_by, case.next_due_by)

	def test_due_times_are_stored_on_registration_and_moved_by_escalation(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		# Ordinary: on site within 2 hours, settled within 7 days; the follow-up is due after settlement.
		self.assertEqual(self.due_times(case), (after(hours=2), after(days=7), None, after(hours=2)))

		# Arriving meets the arrival target: its due time stays for the record, the next one is settlement.
		case = apply_workflow_as(WORKER, case, "Arrive On Site")
		self.assertEqual(self.due_times(case), (after(hours=2), after(days=7), None, after(days=7)))

		# Escalation makes the case Complex (settled within 15 days): the open target moves, the met one not.
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		apply_workflow_as(WORKER, case, "Escalate to Community")
		self.assertEqual(self.due_times(case), (after(hours=2), after(days=15), None, after(days=15)))

		# Settlement starts the follow-up target (7 days); the first visit meets it.
		case = apply_workflow_as(MEDIATOR, case, "Reach Agreement", agreement_terms="物业公司完成维修。")
		follow_up_due = after(days=7, start=case.settled_at)
		self.assertEqual(self.due_times(case), (after(hours=2), after(days=15), follow_up_due, follow_up_due))
		case = apply_workflow_as(MEDIATOR, case, "Start Follow-up")
		case = add_follow_up_visit(case, MEDIATOR)
		self.assertTrue(case.followed_up_at)
		self.assertEqual(self.due_times(case), (after(hours=2), after(days=15), follow_up_due, None))
		self.assertEqual(missed_due_times(case, after(days=100)), [])

	def test_a_major_case_gets_its_targets_from_registration(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED, tier="Major")
		self.assertEqual(self.due_times(case)[:2], (after(hours=2), after(days=30)))

	def test_the_job_reads_the_stored_due_times(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		# Settings changed after registration do not move the stored due times...
		self.addCleanup(frappe.db.delete, "Mediation Time Target", {"parent": "Mediation Settings"})
		settings = frappe.get_single("Mediation Settings")
		settings.append(
			"time_targets",
			{"tier": "Ordinary", "arrival_hours": 48, "settlement_days": 30, "follow_up_days": 30},
		)
		settings.save()
		self.assertEqual(missed_due_times(case, after(hours=3)), ["Arrival on Site"])
		# ...and the job looks at nothing but them.
		frappe.db.set_value(
			"Dispute Case", case.name, "settlement_due_by", after(days=1), update_modified=False
		)
		self.assertEqual(missed_due_times(case, after(days=1, hours=1)), ["Settlement"])
		case.reload()
		self.assertEqual((case.arrival_missed, case.settlement_missed, case.follow_up_missed), (1, 1, 0))
		self.assertEqual([row.due_at for row in case.overdue_log], [after(hours=2), after(days=1)])

	def test_one_alert_per_miss_whoever_runs_the_job(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		# Both targets are missed at once: two alerts, then none however often the job runs.
		self.assertEqual(missed_due_times(case, after(days=8)), ["Arrival on Site", "Settlement"])
		for _run in range(3):
			self.assertEqual(missed_due_times(case, after(days=9)), [])
		alerts = alert_subjects(case, WORKER)
		self.assertEqual(len(alerts), 2)
		self.assertEqual(len(frappe.get_all("Dispute Case Overdue", {"parent": case.name})), 2)

	def test_the_alert_is_a_notification_the_manager_edits(self):
		notification = frappe.get_doc("Notification", MISSED_DUE_TIME_ALERTS["Dispute Case"].notification)
		self.assertEqual((notification.document_type, notification.event), ("Dispute Case", "Method"))
		self.addCleanup(frappe.cache.hdel, "notifications", "Dispute Case")
		self.addCleanup(
			frappe.db.set_value,
			"Notification",
			notification.name,
			{"subject": notification.subject, "enabled": 1},
		)
		# A manager rewrites the subject in the desk (no code), with the fields of the case.
		notification.subject = "超时：{{ doc.name }} {{ _(doc.overdue_log[-1].target) }}"
		notification.save()
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		self.assertEqual(missed_due_times(case, after(hours=3)), ["Arrival on Site"])
		self.assertEqual(alert_subjects(case, WORKER), [f"超时：{case.name} {frappe._('Arrival on Site')}"])
		# Disabled, it alerts nobody; the miss is still recorded, once.
		notification.enabled = 0
		notification.save()
		self.assertEqual(missed_due_times(case, after(days=8)), ["Settlement"])
		self.assertEqual(len(alert_subjects(case, WORKER)), 1)
		self.assertEqual(len(frappe.get_all("Dispute Case Overdue", {"parent": case.name})), 2)

	def test_the_job_query_uses_the_index(self):
		query = missed_query(
			"Dispute Case", SETTLEMENT_DUE, after(days=8), {"workflow_state": ["Case Closed"]}
		)
		plan = frappe.db.sql(f"explain {query.get_sql()}", as_dict=True)
		self.assertEqual([row.key for row in plan], ["settlement_due_by_open"])
		for target in DUE_TARGETS:
			self.assertTrue(frappe.db.has_index("tabDispute Case", f"{target.due_field}_open"))

	def test_the_patch_fills_the_due_times_of_older_cases(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		self.assertEqual(missed_due_times(case, after(hours=3)), ["Arrival on Site"])
		apply_workflow_as(WORKER, case, "Arrive On Site")
		# As a case registered before the due times were stored.
		fields = [f for t in DUE_TARGETS for f in (t.due_field, t.alerted_field)] + ["next_due_by"]
		frappe.db.set_value(
			"Dispute Case", case.name, {f: 0 if f.endswith("_missed") else None for f in fields}
		)
		store_dispute_case_due_times.execute()
		self.assertEqual(self.due_times(case), (after(hours=2), after(days=7), None, after(days=7)))
		self.assertEqual((case.arrival_missed, case.settlement_missed), (1, 0))
		self.assertTrue(frappe.db.exists("Notification", MISSED_DUE_TIME_ALERTS["Dispute Case"].notification))
		# The arrival miss, alerted before, is not alerted again.
		self.assertEqual(missed_due_times(case, after(days=8)), ["Settlement"])
