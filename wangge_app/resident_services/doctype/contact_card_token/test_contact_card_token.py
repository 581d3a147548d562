# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import (
	active_token,
	household_of_token,
	issue_token,
)
from wangge_app.test_utils import make_community_tree, make_household, make_user, pdf_text, render_pdf

WORKER = "card-worker@example.com"
# Tibetan the card prints (from the app's bo translations): its title, "grid worker" and "scan to send a request".
CARD_TITLE_BO = "དྲ་མིག་ཞབས་ཞུའི་འབྲེལ་གཏུག་བྱང་བུ།"
GRID_WORKER_BO = "དྲ་མིག་ལས་བྱེད་པ།"
SCAN_BO = "བཤེར་ནས་རེ་འདུན་འབུལ།"


class TestContactCardToken(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.household = make_household(cls.micro_grid.name, building="7", unit="1", room="201")

	def test_a_valid_token_names_its_household(self):
		card = issue_token(self.household.name)
		self.assertEqual(card.grid, self.micro_grid.name)
		self.assertEqual(household_of_token(card.token), self.household.name)
		self.assertIn(f"/request?card={card.token}", card.request_url())

	def test_forged_altered_or_malformed_tokens_name_nothing(self):
		card = issue_token(self.household.name)
		token_id, signature = card.token.split(".")
		other = make_household(self.grid.name)
		for forged in (
			f"{token_id}.{'A' * len(signature)}",  # a made-up signature
			f"{token_id[:-1]}{'B' if token_id[-1] != 'B' else 'C'}.{signature}",  # another id
			f"{frappe.generate_hash(length=16)}.{signature}",
			token_id,
			f"{token_id}.{signature}.x",
			"",
			"x" * 10_000,
			None,
			["list"],
			{"token": card.token},
		):
			with self.subTest(forged=str(forged)[:40]):
				self.assertIsNone(household_of_token(forged))
		# A signature is bound to its household: the row moved to another household does not verify.
		frappe.db.set_value("Contact Card Token", card.name, "household", other.name)
		self.assertIsNone(household_of_token(card.token))

	def test_reissuing_revokes_the_old_card(self):
		old = issue_token(self.household.name)
		new = issue_token(self.household.name)
		self.assertIsNone(household_of_token(old.token))
		self.assertEqual(household_of_token(new.token), self.household.name)
		old.reload()
		self.assertEqual(old.status, "Revoked")
		self.assertTrue(old.revoked_at)
		self.assertEqual(active_token(self.household.name).name, new.name)

	def test_an_expired_card_names_nothing(self):
		card = issue_token(self.household.name, valid_until=add_days(getdate(), 30))
		self.assertEqual(household_of_token(card.token), self.household.name)
		frappe.db.set_value("Contact Card Token", card.name, "valid_until", add_days(getdate(), -1))
		self.assertIsNone(household_of_token(card.token))
		with self.assertRaises(frappe.ValidationError):
			issue_token(self.household.name, valid_until=add_days(getdate(), -1))

	def test_the_card_prints_its_qr_code_in_chinese_and_tibetan(self):
		html = frappe.get_print("Household", self.household.name, "Household Contact Card")
		card = active_token(self.household.name)
		self.assertIn(f'<img src="{card.qr_code_data_uri()}"', html)
		for text in ("网格便民服务联络卡", "扫码提交诉求", CARD_TITLE_BO, GRID_WORKER_BO, SCAN_BO):
			self.assertIn(text, html)
		# Printing again shows the same card; a reissued card prints the new code.
		self.assertEqual(active_token(self.household.name).name, card.name)
		new = issue_token(self.household.name)
		self.assertIn(
			new.qr_code_data_uri(),
			frappe.get_print("Household", self.household.name, "Household Contact Card"),
		)

	def test_the_card_pdf_holds_chinese_and_tibetan_text(self):
		text = pdf_text(render_pdf("Household", self.household.name, "Household Contact Card"))
		self.assertIn("网格便民服务联络卡", text)
		self.assertIn("扫码提交诉求", text)
		for tibetan in (CARD_TITLE_BO, GRID_WORKER_BO, SCAN_BO):
			self.assertIn("".join(tibetan.split()), text)
