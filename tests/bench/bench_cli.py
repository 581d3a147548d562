"""The `bench` command for the tests of the bench itself (tests/bench): they drive it, as a
site's admin does, on sites of their own named after the test site (WANGGE_TEST_SITE + "_demo.localhost", …),
which each run recreates.

Every bench command's output goes to dev/bench/logs/bench-tests/; a failing command fails the test
with the end of its output. `procfile_started` runs the site as `make demo` does (dev/Procfile).
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SITES = Path(os.environ["WANGGE_SITES_PATH"])
BENCH_DIR = SITES.parent
LOGS = BENCH_DIR / "logs" / "bench-tests"
BENCH_CLI_BIN = Path(os.environ.get("WANGGE_BUILD_DIR", ROOT / "dev" / "build")) / "bench-cli" / "bin"
TEST_SITE = os.environ["WANGGE_TEST_SITE"]
# As in dev/common.sh.
DB_ADMIN = ["--db-root-username", os.environ.get("WANGGE_DB_ADMIN_USER", "wangge_admin")]
DB_ADMIN += ["--db-root-password", os.environ.get("WANGGE_DB_ADMIN_PASSWORD", "wangge_admin")]
ADMIN_PASSWORD = os.environ.get("WANGGE_ADMIN_PASSWORD", "admin")
SITE_TOOLS = Path(__file__).with_name("site_tools.py")
PROCFILE = ROOT / "dev" / "Procfile"


def bench_env(pythonpath: str | None = None) -> dict:
	"""The environment of a bench command: `bench` and uv on PATH; PYTHONPATH only when given (the
	upgrade test runs an older app through it)."""
	env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
	env["PATH"] = f"{BENCH_CLI_BIN}{os.pathsep}{env['PATH']}"
	if pythonpath:
		env["PYTHONPATH"] = pythonpath
	return env


def run_logged(command: list[str], log_name: str, cwd: Path, env: dict, timeout: int = 900) -> str:
	LOGS.mkdir(parents=True, exist_ok=True)
	log = LOGS / f"{log_name}.log"
	result = subprocess.run(
		command,
		cwd=cwd,
		env=env,
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		text=True,
		timeout=timeout,
	)
	log.write_text(f"$ {' '.join(command)}\n{result.stdout}")
	if result.returncode != 0:
		pytest.fail(
			f"{' '.join(command)} exited with {result.returncode} (log {log}):\n{result.stdout[-3000:]}"
		)
	return result.stdout


def bench(*args: str, log_name: str, pythonpath: str | None = None, timeout: int = 900) -> str:
	"""Run `bench ARGS` in the bench and return its output."""
	return run_logged(["bench", *args], log_name, BENCH_DIR, bench_env(pythonpath), timeout)


def new_site(site: str, pythonpath: str | None = None, install_app: bool = True) -> None:
	"""Create (or recreate) a site, with the app installed unless told otherwise, as dev/common.sh
	new_site does."""
	bench(
		"new-site", site, "--force", *DB_ADMIN, "--admin-password", ADMIN_PASSWORD,
		*(["--install-app", "wangge_app"] if install_app else []),
		log_name=f"new-site-{site}", pythonpath=pythonpath,
	)  # fmt: skip


def site_tool(site: str, command: str, pythonpath: str | None = None) -> dict:
	"""Run tests/bench/site_tools.py COMMAND on the site, in its own process, and read its JSON."""
	output = run_logged(
		[sys.executable, str(SITE_TOOLS), site, command],
		f"site-tools-{command}-{site}" + ("-pythonpath" if pythonpath else ""),
		SITES,
		bench_env(pythonpath),
	)
	return json.loads(output.strip().splitlines()[-1])


def free_ports(count: int) -> list[int]:
	"""Distinct ports free on 127.0.0.1 at this moment."""
	with contextlib.ExitStack() as stack:
		probes = [stack.enter_context(socket.socket()) for _ in range(count)]
		for probe in probes:
			probe.bind(("127.0.0.1", 0))
		return [probe.getsockname()[1] for probe in probes]


@dataclass
class Served:
	"""The processes of dev/Procfile run by `bench start`: nginx at web_port, gunicorn and the realtime
	server behind it, the worker and the scheduler; their output in log."""

	web_port: int
	gunicorn_port: int
	socketio_port: int
	log: Path
	log_name: str
	processes: subprocess.Popen | None = None

	def url(self, site: str) -> str:
		"""The address a browser opens for the site (its name, for nginx and Frappe to find it)."""
		return f"http://{site}:{self.web_port}"

	@property
	def nginx_logs(self) -> dict[str, Path]:
		"""nginx's access and error logs while it runs (dev/nginx.sh)."""
		return {
			kind: BENCH_DIR / "logs" / f"nginx-{self.web_port}.{kind}.log" for kind in ("access", "error")
		}

	def stop(self) -> int | None:
		"""Stop every process as Ctrl-C stops `make demo` (honcho stops them all on SIGINT); move
		nginx's logs of this port into the tests' logs. Return bench start's exit code."""
		if self.processes is None:
			return None
		with contextlib.suppress(ProcessLookupError):
			os.killpg(self.processes.pid, signal.SIGINT)
		try:
			self.processes.wait(timeout=30)
		except subprocess.TimeoutExpired:
			os.killpg(self.processes.pid, signal.SIGKILL)
			self.processes.wait()
		returncode, self.processes = self.processes.returncode, None
		for kind, path in self.nginx_logs.items():
			if path.exists():
				path.replace(LOGS / f"{self.log_name}.nginx-{kind}.log")
		shutil.rmtree(BENCH_DIR / "config" / "nginx" / str(self.web_port), ignore_errors=True)
		return returncode


@contextlib.contextmanager
def procfile_started(
	site: str, log_name: str = "bench-start", ports: tuple[int, int, int] | None = None
) -> Iterator[Served]:
	"""`bench start --no-dev --procfile dev/Procfile` in the bench, as `make demo` runs the site (nginx,
	gunicorn, the realtime server, the worker and the scheduler), on free ports (or the given web,
	gunicorn and socketio ports); ready once the site answers /api/method/ping through nginx. Every
	process is stopped on leaving (Served.stop), if not before."""
	web_port, gunicorn_port, socketio_port = ports or free_ports(3)
	LOGS.mkdir(parents=True, exist_ok=True)
	served = Served(web_port, gunicorn_port, socketio_port, LOGS / f"{log_name}.log", log_name)
	env = {
		**bench_env(),
		"WANGGE_WEB_PORT": str(web_port),
		"WANGGE_GUNICORN_PORT": str(gunicorn_port),
		"FRAPPE_SOCKETIO_PORT": str(socketio_port),
	}
	with open(served.log, "w") as log:
		served.processes = subprocess.Popen(
			["bench", "start", "--no-dev", "--procfile", str(PROCFILE)],
			cwd=BENCH_DIR,
			env=env,
			stdout=log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		try:
			deadline = time.monotonic() + 90
			while True:
				assert served.processes.poll() is None, f"bench start exited; see {served.log}"
				# Through nginx once gunicorn listens (before, nginx logs every refused request).
				with socket.socket() as probe:
					gunicorn_listens = probe.connect_ex(("127.0.0.1", gunicorn_port)) == 0
				try:
					# nginx finds the site by the name asked for (Host), as a browser sends it.
					ping = gunicorn_listens and requests.get(
						f"http://127.0.0.1:{web_port}/api/method/ping", headers={"Host": site}, timeout=2
					)
					if ping and ping.ok and ping.json().get("message") == "pong":
						break
				except requests.ConnectionError:
					pass
				assert time.monotonic() < deadline, f"{site} did not answer through nginx; see {served.log}"
				time.sleep(0.5)
			yield served
		finally:
			served.stop()
