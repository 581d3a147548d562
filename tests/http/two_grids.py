"""Two grids and two merchants on the served test site, and logged-in users to attack them with;
shared by the HTTP tests of the permission layer (test_scope_findings, test_attacks, test_attacks_2);
their fixtures `site` and `clients` are in tests/http/conftest.py.

Grid A (with micro-grid A1) and grid B each have a household, a resident and a dispute case (B's is
assigned to B's grid worker) and a party member with points and an issued, unpresented voucher at
each of merchants X and Y. The users: a grid worker of A, one of B, a grid worker with no grid, a
community mediator, and merchant X's and merchant Y's website users.
"""

import datetime
import json
import random

from tests.site_session import log_in
from wangge_app.utils.identity import id_check_character

PASSWORD = "Wangge-Two-Grids-2026"
WORKER_A = "attack-worker-a@example.com"
WORKER_B = "attack-worker-b@example.com"
IDLE_WORKER = "attack-idle-worker@example.com"
MEDIATOR = "attack-mediator@example.com"
MERCHANT_X = "attack-merchant-x@example.com"
MERCHANT_Y = "attack-merchant-y@example.com"


def random_id_number() -> str:
	"""A valid ID number unlikely to collide with other tests' (which count up from a fixed date)."""
	born = datetime.date(1945, 1, 1) + datetime.timedelta(days=random.randrange(25000))
	first17 = f"540102{born:%Y%m%d}{random.randrange(1000):03d}"
	return first17 + id_check_character(first17)


class Client:
	def __init__(self, base_url: str, user: str):
		self.base_url = base_url
		self.session = log_in(base_url, user, PASSWORD)

	def call(self, method: str, **params):
		data = {
			key: json.dumps(value) if isinstance(value, list | dict) else value
			for key, value in params.items()
		}
		return self.session.post(f"{self.base_url}/api/method/{method}", data=data, timeout=60)

	def resource(self, verb: str, path: str, **kwargs):
		return self.session.request(verb, f"{self.base_url}/api/resource/{path}", timeout=60, **kwargs)


def text(response) -> str:
	"""The response as readable text (JSON decoded, so that Chinese names are not \\u-escaped)."""
	try:
		return json.dumps(response.json(), ensure_ascii=False)
	except ValueError:
		return response.text


def answer(response):
	"""What an attacker learns from a response: its status and its message."""
	body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
	return response.status_code, body.get("message")
