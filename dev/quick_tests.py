"""The tests `make test-quick` runs: those of what changed, and a smoke test of the served site.

What changed: the working tree (staged, unstaged and new files) against HEAD, and, on a branch other
than main, the branch's commits since it left main (WANGGE_QUICK_BASE names another base), or the
files WANGGE_QUICK_FILES names (space-separated paths, instead of asking git). A file
under wangge_app/<module>/ brings that module's unit tests; a file at wangge_app/'s top (permissions.py,
overview.py, …) brings the app-wide tests named after it (wangge_app/tests/test_<name>*.py) and the
tests that import it by its dotted name; a changed test file brings itself.

`python dev/quick_tests.py` prints the test paths, one a line; `--needs-migrate` exits 0 when a change
needs `bench migrate` on a reused site (a DocType's or another record's JSON, a patch, hooks.py).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "wangge_app"
SMOKE_TESTS = ["tests/http/test_smoke.py"]
# Imported by nearly every test: a change to them runs the module's own tests, not the whole suite.
SHARED_HELPERS = {"wangge_app.test_utils", "wangge_app.hooks"}


def git(*args: str) -> list[str]:
	result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
	return [line for line in result.stdout.splitlines() if line.strip()] if result.returncode == 0 else []


def changed_files() -> list[str]:
	if named := os.environ.get("WANGGE_QUICK_FILES"):
		return sorted(set(named.split()))
	files = git("diff", "--name-only", "HEAD") + git("ls-files", "--others", "--exclude-standard")
	base = os.environ.get("WANGGE_QUICK_BASE")
	branch = (git("rev-parse", "--abbrev-ref", "HEAD") or [""])[0]
	if not base and branch not in ("main", "HEAD") and git("rev-parse", "--verify", "--quiet", "main"):
		base = "main"
	if base:
		files += git("diff", "--name-only", f"{base}...HEAD")
	return sorted({file for file in files if (ROOT / file).exists()})


def is_test_file(path: Path) -> bool:
	# test_utils.py files hold the tests' builders, no tests.
	return path.suffix == ".py" and path.name.startswith("test_") and path.name != "test_utils.py"


def app_test_files() -> list[Path]:
	return sorted(path for path in APP.rglob("test_*.py") if is_test_file(path))


def dotted_name(path: Path) -> str:
	return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def tests_for(file: str) -> set[Path]:
	path = ROOT / file
	if is_test_file(path) and file.startswith(("wangge_app/", "tests/")):
		return {path}
	if not file.startswith("wangge_app/"):
		return set()
	parts = path.relative_to(APP).parts
	if len(parts) > 1 and (APP / parts[0]).is_dir() and parts[0] != "tests":
		# A module's file: the module's tests.
		return {test for test in app_test_files() if test.is_relative_to(APP / parts[0])}
	if path.suffix != ".py":
		return set()
	tests = set((APP / "tests").glob(f"test_{path.stem}*.py"))
	name = dotted_name(path)
	if name not in SHARED_HELPERS:
		tests |= {test for test in app_test_files() if name in test.read_text(encoding="utf-8")}
	return tests


def needs_migrate(files: list[str]) -> bool:
	return any(
		file.startswith("wangge_app/")
		and (file.endswith(".json") or "/patches/" in file or file.endswith(("hooks.py", "patches.txt")))
		for file in files
	)


def main() -> int:
	files = changed_files()
	if "--needs-migrate" in sys.argv:
		return 0 if needs_migrate(files) else 1
	tests = sorted({test.relative_to(ROOT).as_posix() for file in files for test in tests_for(file)})
	for test in tests + [smoke for smoke in SMOKE_TESTS if smoke not in tests]:
		print(test)
	return 0


if __name__ == "__main__":
	sys.exit(main())
