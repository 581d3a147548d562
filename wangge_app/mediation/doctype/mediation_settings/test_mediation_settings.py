# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.utils import add_days, add_to_date, getdate

from wangge_app.mediation.doctype.dispute_case.test_dispute_case import (
	MEDIATOR,
	WORKER,
	DisputeCaseTestCase,
	act,
	make_dispute_case,
)
from wangge_app.mediation.overdue import mark_overdue_cases

# Well in the past, at a round hour; the job is then run at chosen times after it.
DISCOVERED = datetime.datetime.combine(add_days(getdate(), -60), datetime.time(9, 0))


def after(hours: float = 0, days: int = 0, start: datetime.datetime = DISCOVERED) -> datetime.datetime:
	return add_to_date(start, days=days, hours=hours)


class TestOverdueCases(DisputeCaseTestCase):
	def alerts(self, case, user: str) -> list[str]:
		return frappe.get_all(
			"Notification Log",
			{"document_type": "Dispute Case", "document_name": case.name, "for_user": user, "type": "Alert"},
			pluck="subject",
		)

	def breaches(self, case, now) -> list[str]:
		return [target for name, target in mark_overdue_cases(now) if name == case.name]

	def test_missed_targets_are_recorded_and_notified_once(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)

		# Ordinary cases: on site within 2 hours.
		self.assertEqual(self.breaches(case, after(hours=1.9)), [])
		self.assertEqual(self.breaches(case, after(hours=2.1)), ["Arrival on Site"])
		self.assertEqual(self.breaches(case, after(hours=3)), [])
		self.assertEqual(len(self.alerts(case, WORKER)), 1)
		self.assertIn(case.name, self.alerts(case, WORKER)[0])
		case.reload()
		self.assertTrue(case.is_overdue)
		self.assertEqual(
			[(row.target, row.due_at, row.notified_users) for row in case.overdue_log],
			[("Arrival on Site", after(hours=2), WORKER)],
		)

		# Late arrival does not undo the breach; the settlement target runs on (7 days).
		act(case, "Arrive On Site", WORKER)
		act(case, "Start Joint Handling", WORKER)
		self.assertEqual(self.breaches(case, after(days=6)), [])
		self.assertEqual(self.breaches(case, after(days=7, hours=1)), ["Settlement"])
		self.assertEqual(self.breaches(case, after(days=8)), [])
		self.assertEqual(len(self.alerts(case, WORKER)), 2)

		# After the agreement, the first follow-up visit is due within 7 days.
		case = act(case, "Reach Agreement", WORKER, agreement_terms="物业公司完成维修。")
		settled_at = case.settled_at
		self.assertEqual(self.breaches(case, after(days=6, start=settled_at)), [])
		self.assertEqual(self.breaches(case, after(days=8, start=settled_at)), ["Follow-up Visit"])
		self.assertEqual(self.breaches(case, after(days=9, start=settled_at)), [])
		self.assertEqual(len(self.alerts(case, WORKER)), 3)

	def test_escalated_case_notifies_the_community(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED)
		act(case, "Arrive On Site", WORKER)
		act(case, "Start Joint Handling", WORKER)
		act(case, "Escalate to Community", WORKER)
		# Complex cases: settled within 15 days.
		self.assertEqual(self.breaches(case, after(days=10)), [])
		self.assertEqual(self.breaches(case, after(days=16)), ["Settlement"])
		self.assertEqual(len(self.alerts(case, MEDIATOR)), 1)
		self.assertEqual(self.alerts(case, WORKER), [])

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
		self.assertEqual(self.breaches(case, after(hours=3)), [])
		self.assertEqual(self.breaches(case, after(hours=5)), ["Arrival on Site"])
		self.assertEqual(self.breaches(case, after(days=3, hours=1)), ["Settlement"])

		settings.append(
			"time_targets",
			{"tier": "Ordinary", "arrival_hours": 1, "settlement_days": 1, "follow_up_days": 1},
		)
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			settings.save()

	def test_closed_cases_are_not_checked(self):
		case = make_dispute_case(self.grid.name, discovered_at=DISCOVERED, tier="Complex")
		frappe.db.set_value("Dispute Case", case.name, "workflow_state", "Case Closed")
		self.assertEqual(self.breaches(case, after(days=100)), [])
		self.assertEqual(frappe.db.get_value("Dispute Case", case.name, "is_overdue"), 0)

	def test_the_check_runs_every_ten_minutes_on_the_current_time(self):
		job = frappe.db.get_value(
			"Scheduled Job Type",
			{"method": "wangge_app.mediation.overdue.mark_overdue_cases"},
			["frequency", "cron_format"],
			as_dict=True,
		)
		self.assertEqual((job.frequency, job.cron_format), ("Cron", "*/10 * * * *"))
		case = make_dispute_case(self.grid.name, discovered_at=add_to_date(None, hours=-3))
		self.assertIn((case.name, "Arrival on Site"), mark_overdue_cases())
