# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt


import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_grid,
	make_household,
	make_partner_department,
	make_resident,
	make_user,
	open_assignees,
	pdf_text,
	render_pdf,
)

WORKER = "dc-worker@example.com"
OTHER_WORKER = "dc-other-worker@example.com"
MEDIATOR = "dc-mediator@example.com"
UNASSIGNED_WORKER = "dc-unassigned@example.com"
MANAGER = "dc-manager@example.com"


def make_dispute_case(grid: str, parties: list[dict] | None = None, **fields):
	return frappe.get_doc(
		{
			"doctype": "Dispute Case",
			"subject": fields.pop("subject", "租户与物业纠纷"),
			"grid": grid,
			"category": fields.pop("category", "Tenancy and Property Management"),
			"case_source": fields.pop("case_source", "Grid Patrol"),
			"discovered_at": fields.pop("discovered_at", None) or add_to_date(now_datetime(), hours=-1),
			"description": fields.pop("description", "租户与物业公司因维修费用长期争执，与保安发生口角。"),
			"parties": parties
			or [
				{"party_role": "Applicant", "party_name": "租户 次仁"},
				{"party_role": "Respondent", "party_name": "拉萨某物业管理有限公司"},
			],
			**fields,
		}
	).insert()


def add_follow_up_visit(case, user: str, result: str = "双方按协议履行，关系缓和。"):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Dispute Case", case.name)
		doc.append(
			"follow_up_visits",
			{"visit_date": frappe.utils.today(), "result": result, "satisfaction": "Satisfied"},
		)
		doc.save()
		return doc
	finally:
		frappe.set_user("Administrator")


class DisputeCaseTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		make_user(OTHER_WORKER, ["Grid Worker"])
		make_user(UNASSIGNED_WORKER, ["Grid Worker"])
		make_user(MEDIATOR, ["Community Mediator"], first_name="调解员 王芳")
		# Assignments and alerts mail their users, and sending mail in a test commits the transaction.
		for user in (WORKER, OTHER_WORKER, UNASSIGNED_WORKER, MEDIATOR):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		cls.household = make_household(cls.micro_grid.name, building="5", unit="1", room="302")
		cls.tenant = make_resident(
			cls.household.name, full_name="次仁多吉", gender="Male", mobile="13908907788"
		)

	def tearDown(self):
		frappe.set_user("Administrator")


class TestDisputeCase(DisputeCaseTestCase):
	def test_new_case_is_numbered_reported_and_assigned_to_the_grid_worker(self):
		case = make_dispute_case(self.micro_grid.name)
		self.assertTrue(case.name.startswith(f"纠纷-{now_datetime().year}-"))
		self.assertEqual((case.workflow_state, case.tier), ("Reported", "Ordinary"))
		self.assertEqual([row.step for row in case.step_log], ["Discovery"])
		# The micro-grid has no worker of its own: the worker of its grid takes the case.
		self.assertEqual(open_assignees(case), {WORKER})

	def test_resident_party_brings_name_phone_and_household(self):
		case = make_dispute_case(
			self.grid.name,
			parties=[
				{"party_role": "Applicant", "resident": self.tenant.name},
				{"party_role": "Respondent", "party_name": "拉萨某物业管理有限公司"},
			],
		)
		applicant = case.parties[0]
		self.assertEqual((applicant.party_name, applicant.phone), ("次仁多吉", "13908907788"))
		self.assertEqual([row.household for row in case.households], [self.household.name])

	def test_bad_input_is_refused_and_nothing_saved(self):
		count = frappe.db.count("Dispute Case")
		with self.assertRaisesRegex(frappe.ValidationError, "choose a resident or enter the name"):
			make_dispute_case(self.grid.name, parties=[{"party_role": "Applicant", "party_name": "  "}])
		discovered = add_to_date(now_datetime(), hours=-3)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be before the dispute was discovered"):
			make_dispute_case(
				self.grid.name, discovered_at=discovered, arrived_at=add_to_date(discovered, minutes=-5)
			)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be in the future"):
			make_dispute_case(self.grid.name, discovered_at=add_to_date(now_datetime(), days=1))
		with self.assertRaisesRegex(frappe.ValidationError, "needs its agreed terms"):
			make_dispute_case(self.grid.name, outcome="Agreement Reached")
		self.assertEqual(frappe.db.count("Dispute Case"), count)

	def test_arrival_time_is_stamped_by_the_arrival(self):
		case = make_dispute_case(self.grid.name)
		# The arrival time is the controller's: typed in a save, it is put back.
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Dispute Case", case.name)
		doc.arrived_at = add_to_date(case.discovered_at, minutes=10)
		doc.save()
		frappe.set_user("Administrator")
		self.assertIsNone(frappe.db.get_value("Dispute Case", case.name, "arrived_at"))

		before = now_datetime().replace(microsecond=0)
		case = apply_workflow_as(WORKER, case, "Arrive On Site")
		self.assertGreaterEqual(case.arrived_at, before)
		self.assertEqual(
			(case.step_log[1].step, case.step_log[1].step_time), ("Arrival on Site", case.arrived_at)
		)

	def test_whole_path_in_the_grid(self):
		case = make_dispute_case(self.grid.name)
		case = apply_workflow_as(WORKER, case, "Arrive On Site")
		self.assertEqual(case.workflow_state, "On Site")
		arrived_at = case.arrived_at
		case = apply_workflow_as(WORKER, case, "Start Joint Handling")
		self.assertEqual(case.workflow_state, "Joint Handling")

		# An agreement without terms is refused, and the case stays where it was.
		with self.assertRaisesRegex(frappe.ValidationError, "needs its agreed terms"):
			apply_workflow_as(WORKER, case, "Reach Agreement")
		self.assertEqual(frappe.db.get_value("Dispute Case", case.name, "workflow_state"), "Joint Handling")
		terms = "物业公司三日内完成维修；租户按期缴纳物业费；双方互不追究口角责任。"
		case = apply_workflow_as(WORKER, case, "Reach Agreement", agreement_terms=terms)
		self.assertEqual(
			(case.workflow_state, case.outcome, case.tier),
			("Agreement Reached", "Agreement Reached", "Ordinary"),
		)
		self.assertTrue(case.settled_at)

		case = apply_workflow_as(WORKER, case, "Start Follow-up")
		with self.assertRaisesRegex(frappe.ValidationError, "at least one follow-up visit"):
			apply_workflow_as(WORKER, case, "Close Case")
		self.assertEqual(frappe.db.get_value("Dispute Case", case.name, "workflow_state"), "Follow-up")

		add_follow_up_visit(case, WORKER)
		case = apply_workflow_as(WORKER, case, "Close Case")
		self.assertEqual(case.workflow_state, "Case Closed")
		self.assertTrue(case.closed_at)
		self.assertEqual(
			[row.step for row in case.step_log],
			["Discovery", "Arrival on Site", "Joint Handling", "Follow-up Visit"],
		)
		self.assertEqual(case.step_log[1].step_time, arrived_at)
		self.assertEqual(case.follow_up_visits[0].visited_by, WORKER)
		self.assertEqual(open_assignees(case), set())

	def test_escalation_raises_the_tier_and_hands_the_case_to_the_community(self):
		case = make_dispute_case(self.grid.name)
		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		case = apply_workflow_as(WORKER, case, "Escalate to Community")
		self.assertEqual((case.workflow_state, case.tier), ("Escalated to Community", "Complex"))
		self.assertTrue(case.escalated_at)
		self.assertIn(MEDIATOR, open_assignees(case))
		self.assertNotIn(WORKER, open_assignees(case))

		# The grid worker no longer owns the case: no edits, no agreement.
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Dispute Case", case.name)
		doc.agreement_terms = "擅自填写的条款"
		with self.assertRaisesRegex(frappe.PermissionError, "you cannot change it"):
			doc.save()
		frappe.set_user("Administrator")
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, case, "Reach Agreement")

		case = apply_workflow_as(
			MEDIATOR, case, "Reach Agreement", agreement_terms="双方同意由物业公司赔偿维修费用。"
		)
		self.assertEqual((case.workflow_state, case.tier), ("Agreement Reached", "Complex"))
		apply_workflow_as(WORKER, case, "Start Follow-up")
		add_follow_up_visit(case, WORKER)
		# A complex case is closed by the community.
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, case, "Close Case")
		self.assertEqual(apply_workflow_as(MEDIATOR, case, "Close Case").workflow_state, "Case Closed")

	def test_referral_makes_the_case_major(self):
		case = make_dispute_case(self.grid.name, category="Labour")
		apply_workflow_as(MEDIATOR, case, "Arrive On Site")
		apply_workflow_as(MEDIATOR, case, "Start Joint Handling")
		case = apply_workflow_as(
			MEDIATOR,
			case,
			"Refer to Authorities",
			referred_to=make_partner_department("城关区劳动人事争议仲裁委员会", "Court or Arbitration").name,
		)
		self.assertEqual((case.workflow_state, case.tier, case.outcome), ("Referred", "Major", "Referred"))
		self.assertIn(MEDIATOR, open_assignees(case))

	def test_ending_without_agreement_needs_an_outcome(self):
		case = make_dispute_case(self.grid.name, category="Neighbours")
		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		with self.assertRaisesRegex(frappe.ValidationError, "first set the outcome"):
			apply_workflow_as(WORKER, case, "End Without Agreement")
		case = apply_workflow_as(WORKER, case, "End Without Agreement", outcome="Withdrawn by Parties")
		self.assertEqual((case.workflow_state, case.outcome), ("Follow-up", "Withdrawn by Parties"))
		self.assertTrue(case.settled_at)

	def test_forbidden_transitions(self):
		case = make_dispute_case(self.grid.name)
		# Steps cannot be skipped, neither by action nor by setting the state.
		for action in ("Start Joint Handling", "Reach Agreement", "Close Case"):
			with self.assertRaises(WorkflowTransitionError, msg=action):
				apply_workflow_as(WORKER, case, action)
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Dispute Case", case.name)
		doc.workflow_state = "Case Closed"
		with self.assertRaises(WorkflowPermissionError):
			doc.save()
		frappe.set_user("Administrator")

		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		# Referral is the community's; escalation is the grid worker's.
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, case, "Refer to Authorities")
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(MEDIATOR, case, "Escalate to Community")
		# A worker of another grid cannot even open the case.
		with self.assertRaises(frappe.PermissionError):
			apply_workflow_as(OTHER_WORKER, case, "Reach Agreement", agreement_terms="越权")
		self.assertEqual(frappe.db.get_value("Dispute Case", case.name, "workflow_state"), "Joint Handling")


class TestDisputeCaseScoping(DisputeCaseTestCase):
	def test_grid_workers_see_their_grids_and_the_community_sees_all(self):
		own = make_dispute_case(self.grid.name)
		own_micro = make_dispute_case(self.micro_grid.name)
		foreign = make_dispute_case(self.other_grid.name)

		frappe.set_user(WORKER)
		visible = set(frappe.get_list("Dispute Case", pluck="name", limit_page_length=0))
		self.assertTrue({own.name, own_micro.name} <= visible)
		self.assertNotIn(foreign.name, visible)
		self.assertTrue(frappe.has_permission("Dispute Case", "write", doc=own.name))
		self.assertFalse(frappe.has_permission("Dispute Case", "read", doc=foreign.name))
		with self.assertRaises(frappe.PermissionError):
			make_dispute_case(self.other_grid.name)

		make_user(MANAGER, ["Community Manager"])
		for community_user in (MEDIATOR, MANAGER):
			frappe.set_user(community_user)
			visible = set(frappe.get_list("Dispute Case", pluck="name", limit_page_length=0))
			self.assertTrue({own.name, own_micro.name, foreign.name} <= visible)
			self.assertTrue(frappe.has_permission("Dispute Case", "write", doc=foreign.name))

		frappe.set_user(UNASSIGNED_WORKER)
		self.assertEqual(frappe.get_list("Dispute Case", pluck="name", limit_page_length=0), [])
		self.assertFalse(frappe.has_permission("Dispute Case", "read", doc=own.name))


class TestDisputeCasePrints(DisputeCaseTestCase):
	TERMS = "物业公司于三日内修复漏水管道；租户补缴物业费；双方互不追究口角责任。"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.set_value("Grid", cls.community.name, "grid_name", "幸福社区")
		frappe.db.set_value("Grid", cls.grid.name, "grid_name", "第一网格")
		case = make_dispute_case(
			cls.micro_grid.name,
			subject="租户与物业公司纠纷",
			parties=[
				{"party_role": "Applicant", "resident": cls.tenant.name},
				{
					"party_role": "Respondent",
					"party_name": "拉萨安居物业管理有限公司",
					"phone": "0891-6332211",
				},
			],
			handlers=[
				{"handler_role": "Grid Worker", "user": WORKER},
				{"handler_role": "Grid Police Officer", "handler_name": "李强", "organisation": "城关派出所"},
			],
		)
		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		cls.case = apply_workflow_as(WORKER, case, "Reach Agreement", agreement_terms=cls.TERMS)

	def pdf_text(self, print_format: str) -> str:
		return pdf_text(render_pdf("Dispute Case", self.case.name, print_format))

	def test_agreement_html(self):
		html = frappe.get_print("Dispute Case", self.case.name, "People's Mediation Agreement")
		for text in (
			"人民调解协议书",
			self.case.name,
			"申请人",
			"次仁多吉",
			"被申请人",
			"拉萨安居物业管理有限公司",
			"租户与物业公司因维修费用长期争执",
			self.TERMS,
			"人民调解员（签名）：卓玛",
			"幸福社区人民调解委员会（盖章）",
			f"{self.case.settled_at:%Y}年{self.case.settled_at:%m}月{self.case.settled_at:%d}日",
		):
			self.assertIn(text, html)

	def test_the_agreement_names_the_mediator_who_reached_it(self):
		# A case the grid worker handled, escalated, and settled by the community mediator.
		case = make_dispute_case(
			self.micro_grid.name,
			subject="邻里噪音纠纷",
			handlers=[{"handler_role": "Grid Worker", "user": WORKER}],
		)
		apply_workflow_as(WORKER, case, "Arrive On Site")
		apply_workflow_as(WORKER, case, "Start Joint Handling")
		apply_workflow_as(WORKER, case, "Escalate to Community")
		case = apply_workflow_as(MEDIATOR, case, "Reach Agreement", agreement_terms="夜间十点后不再装修。")
		self.assertEqual(case.agreement_reached_by, MEDIATOR)
		html = frappe.get_print("Dispute Case", case.name, "People's Mediation Agreement")
		self.assertIn("人民调解员（签名）：调解员 王芳<", html)
		self.assertNotIn("卓玛", html)
		# The agreement field shows on an escalated case, where the mediator writes it.
		depends_on = frappe.get_meta("Dispute Case").get_field("agreement_terms").depends_on
		self.assertIn("'Escalated to Community'", depends_on)

	def test_agreement_pdf_text(self):
		text = self.pdf_text("People's Mediation Agreement")
		for expected in (
			"人民调解协议书",
			"次仁多吉",
			"拉萨安居物业管理有限公司",
			self.TERMS,
			"人民调解委员会",
		):
			self.assertIn(expected, text)

	def test_registration_form_html_is_in_chinese(self):
		html = frappe.get_print("Dispute Case", self.case.name, "Dispute Registration Form")
		for text in (
			"矛盾纠纷登记表",
			"幸福社区",
			"第一网格",
			"租户与物业公司纠纷",
			"租赁及物业纠纷",
			"网格巡查",
			"一般",
			"已调解",
			"网格民警",
			"李强",
			"城关派出所",
			"及时发现",
			"快速到场",
			"联合处置",
			"5栋1单元302室",
			self.TERMS,
		):
			self.assertIn(text, html)
		self.assertNotIn("Tenancy and Property", html)

	def test_registration_form_pdf_text(self):
		text = self.pdf_text("Dispute Registration Form")
		for expected in (
			"矛盾纠纷登记表",
			"租户与物业公司纠纷",
			"租赁及物业纠纷",
			"网格民警",
			"快速到场",
			"次仁多吉",
		):
			self.assertIn(expected, text)
