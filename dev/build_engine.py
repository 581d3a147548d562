"""Make the Frappe v15.41.0 engine a git repository that `bench init --frappe-path` clones.

On a machine that reaches GitHub, `bench init --frappe-branch v15.41.0` clones Frappe's own
repository and nothing here is needed (dev/setup.sh does that when no engine sources are at hand).
Where GitHub is out of reach, `../shared/engines/` (or WANGGE_ENGINE_SOURCES) holds the tag's tree
and Frappe's air-datepicker fork; this script checks their sha256 against SHA256SUMS and writes

    <repo>/                                   the tree of Frappe's tag v15.41.0
    <repo>/vendor/air-datepicker-….tgz        Frappe's fork of air-datepicker, as an npm tarball

committed on the branch ENGINE_BRANCH. Frappe's package.json names the fork `github:frappe/air-datepicker`,
which yarn cannot fetch here: the one change to the tree points it at the vendored tarball (and
drops that entry from yarn.lock so yarn resolves it anew). A stamp file makes later runs a no-op.

Usage: python dev/build_engine.py <sources-dir> <repo-dir>   (prints nothing when up to date)
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ENGINE_TARBALL = "frappe-v15.41.0.tar.gz"
DATEPICKER_TARBALL = "air-datepicker-frappe-ed37b94.tgz"
ENGINE_BRANCH = "version-15"  # dev/common.sh ENGINE_BRANCH
# Bump when what this script writes changes, so that old engines are rebuilt.
CONVERSION_VERSION = "v15.41.0-2"


def sha256(path: Path) -> str:
	digest = hashlib.sha256()
	with path.open("rb") as f:
		for block in iter(lambda: f.read(1 << 20), b""):
			digest.update(block)
	return digest.hexdigest()


def expected_checksums(sources: Path) -> dict[str, str]:
	checksums = {}
	for line in (sources / "SHA256SUMS").read_text().splitlines():
		if line.strip():
			digest, name = line.split()
			checksums[name.lstrip("*")] = digest
	return checksums


def check_sources(sources: Path) -> str:
	checksums = expected_checksums(sources)
	for name in (ENGINE_TARBALL, DATEPICKER_TARBALL):
		if sha256(sources / name) != checksums.get(name):
			sys.exit(f"build_engine: {sources / name} does not match SHA256SUMS")
	return hashlib.sha256(
		(CONVERSION_VERSION + checksums[ENGINE_TARBALL] + checksums[DATEPICKER_TARBALL]).encode()
	).hexdigest()


def point_datepicker_at_tarball(tree: Path) -> None:
	package_json = tree / "package.json"
	package = json.loads(package_json.read_text())
	package["dependencies"]["air-datepicker"] = f"file:./vendor/{DATEPICKER_TARBALL}"
	package_json.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
	# yarn.lock pins the fork at a GitHub address; without that entry yarn resolves the file anew.
	lock = tree / "yarn.lock"
	text = lock.read_text()
	text = re.sub(r'\n"air-datepicker@github:frappe/air-datepicker":\n(?:  .*\n)+', "\n", text)
	lock.write_text(text)


def git(repo: Path, *args: str) -> None:
	subprocess.run(["git", "-C", str(repo), *args], check=True, stdout=subprocess.DEVNULL)


def build(sources: Path, repo: Path) -> None:
	stamp = repo.with_name(repo.name + ".stamp")
	wanted = check_sources(sources)
	if stamp.exists() and stamp.read_text() == wanted and (repo / ".git").exists():
		return
	with tempfile.TemporaryDirectory() as tmp:
		with tarfile.open(sources / ENGINE_TARBALL) as tar:
			tar.extractall(tmp, filter="data")
		tree = Path(tmp) / "frappe"
		(tree / "vendor").mkdir()
		shutil.copy(sources / DATEPICKER_TARBALL, tree / "vendor" / DATEPICKER_TARBALL)
		point_datepicker_at_tarball(tree)
		shutil.rmtree(repo, ignore_errors=True)
		shutil.move(str(tree), repo)
	git(repo, "init", "-q", "-b", ENGINE_BRANCH)
	git(repo, "add", "-A")
	# Frappe's .gitignore leaves out *.tgz; the clone needs the vendored tarball.
	git(repo, "add", "-f", f"vendor/{DATEPICKER_TARBALL}")
	git(
		repo,
		"-c",
		"user.name=wangge dev harness",
		"-c",
		"user.email=dev@wangge.example",
		"commit",
		"-q",
		"-m",
		"Frappe v15.41.0, air-datepicker from Frappe's fork (vendored)",
	)
	stamp.write_text(wanted)
	print(f"build_engine: wrote {repo} (Frappe v15.41.0)")


if __name__ == "__main__":
	if len(sys.argv) != 3:
		sys.exit(__doc__)
	build(Path(sys.argv[1]), Path(sys.argv[2]))
