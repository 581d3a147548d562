"""The `bench` command for the tests of the bench itself (tests/bench): they drive it, as a
site's admin does, on sites of their own named after the test site (WANGGE_TEST_SITE + "_backup", …),
which each run recreates.

Every bench command's output goes to dev/bench/logs/bench-tests/; a failing command fails the test
with the end of its output.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
