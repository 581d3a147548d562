"""The demo site the bench tests share: built once per run as `make demo` builds it (dev/demo.sh: a
new site, the scheduler on, host_name at the address it is served at, wangge_app.demo.make_demo), used
first by the backup drill and then, served as `make demo` serves it, by the journeys. `make test` runs
the backup drill beside the unit tests (dev/test.sh) and the journeys later with WANGGE_REUSE_DEMO=1,
on the demo that drill built in the same run.

Its name is `<test site>_demo.localhost` (`*.localhost` names this machine, as the journeys' Chromium,
the realtime server and wkhtmltopdf need). WANGGE_REUSE_DEMO=1 keeps a demo an earlier run finished
building (a quicker run while working on the journeys); without it, every run builds it afresh.
"""

import json
import os
import socket
from dataclasses import dataclass

import pytest

from tests.bench.bench_cli import SITES, TEST_SITE, bench, free_ports, new_site

DEMO_SITE = f"{TEST_SITE}_demo.localhost"
# Written into the site's config once the demo data is complete: a half-built demo is never reused.
BUILT_MARK = "wangge_demo_built"


@dataclass
class DemoSite:
	name: str
	# nginx's, gunicorn's and the realtime server's ports, chosen once: host_name names the first.
	ports: tuple[int, int, int]

	@property
	def url(self) -> str:
		return f"http://{self.name}:{self.ports[0]}"


def demo_is_built(site: str) -> bool:
	config = SITES / site / "site_config.json"
	return config.exists() and bool(json.loads(config.read_text()).get(BUILT_MARK))


def pytest_sessionstart(session):
	"""dev/test.sh runs the drills (backup, upgrade) beside the unit tests and waits for this mark: this
	pytest has connected to the test site and run its before_tests hooks (dev/frappe_pytest.py), which
	`bench run-tests` runs next, and the two must not create the same records at once."""
	if ready := os.environ.get("WANGGE_DRILLS_READY_FILE"):
		with open(ready, "w") as mark:
			mark.write("connected\n")


@pytest.fixture(scope="session")
def demo_site() -> DemoSite:
	try:
		socket.getaddrinfo(DEMO_SITE, 80)
	except socket.gaierror:
		pytest.fail(f"{DEMO_SITE} does not resolve: *.localhost needs libnss-myhostname (dev/setup.sh)")
	demo = DemoSite(DEMO_SITE, tuple(free_ports(3)))
	if not (os.environ.get("WANGGE_REUSE_DEMO") == "1" and demo_is_built(DEMO_SITE)):
		new_site(DEMO_SITE)
		bench("--site", DEMO_SITE, "scheduler", "enable", log_name=f"scheduler-{DEMO_SITE}")
		bench(
			"--site", DEMO_SITE, "execute", "wangge_app.demo.make_demo",
			log_name=f"make-demo-{DEMO_SITE}", timeout=1800,
		)  # fmt: skip
		bench("--site", DEMO_SITE, "set-config", "--parse", BUILT_MARK, "1", log_name=f"built-{DEMO_SITE}")
	# As dev/demo.sh sets it: the address PDFs load their stylesheets from, and links outside a request.
	bench("--site", DEMO_SITE, "set-config", "host_name", demo.url, log_name=f"host-name-{DEMO_SITE}")
	return demo
