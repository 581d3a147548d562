"""Build the Frappe 15.0.0-dev engine used by the dev harness, as a git repository for `bench init`.

Frappe is not installable here, but PyPI's ``criscostack==1.0.0`` is Frappe
15.0.0-dev with every name changed. This script downloads that wheel, checks
its sha256, and writes a git repository with the original names restored:

    <repo>/frappe/            the engine package
    <repo>/pyproject.toml     flit metadata: name frappe, the wheel's own dependencies
                              (plus setuptools<81, see ENGINE_EXTRA_DEPENDENCIES)

committed on the branch ENGINE_BRANCH, which `bench init --frappe-path <repo> --frappe-branch
ENGINE_BRANCH` clones and installs as it installs Frappe from its own repository. A stamp file
makes later runs a no-op.

Usage: python dev/build_engine.py <repo-dir>   (prints nothing when the repository is up to date)
"""

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL_NAME = "criscostack-1.0.0-py3-none-any.whl"
WHEEL_REQUIREMENT = "criscostack==1.0.0"
WHEEL_SHA256 = "dc58aaf29c59b7666edc953596e5b31f77d7286b2ed6b14c6a205b217c210349"

# Longest tokens first, so that "Criscoerp" is not caught by "Crisco".
RENAMES = [
	("CRISCOSTACK", "FRAPPE"),
	("criscostack", "frappe"),
	("Criscoerp", "ERPNext"),
	("criscoerp", "erpnext"),
	("Crisco", "Frappe"),
]
FILE_RENAMES = {"brik_helper.py": "bench_helper.py"}
# Bump when the conversion itself changes, so that old engines are rebuilt.
CONVERSION_VERSION = "3"
ENGINE_BRANCH = "version-15-dev"
# The engine's own __version__: bench reads it with semantic_version, pip as 15.0.0.dev0.
ENGINE_VERSION = "15.0.0-dev"
# uv (which bench uses to install apps) installs a setuptools without pkg_resources from 81 on;
# the engine imports pkg_resources.
ENGINE_EXTRA_DEPENDENCIES = ["setuptools<81"]


def restore_names(text: str) -> str:
	for old, new in RENAMES:
		text = text.replace(old, new)
	return text


def download_wheel(cache_dir: Path) -> Path:
	wheel = cache_dir / WHEEL_NAME
	if not wheel.exists() or sha256(wheel) != WHEEL_SHA256:
		cache_dir.mkdir(parents=True, exist_ok=True)
		subprocess.run(
			[
				sys.executable,
				"-m",
				"pip",
				"download",
				"--no-deps",
				"-q",
				"-d",
				str(cache_dir),
				WHEEL_REQUIREMENT,
			],
			check=True,
		)
	digest = sha256(wheel)
	if digest != WHEEL_SHA256:
		sys.exit(f"build_engine: {WHEEL_NAME} has sha256 {digest}, expected {WHEEL_SHA256}")
	return wheel


def sha256(path: Path) -> str:
	return hashlib.sha256(path.read_bytes()).hexdigest()


def engine_dependencies(wheel: Path) -> list[str]:
	"""The wheel's Requires-Dist lines (Frappe's pinned dependencies), renamed like the code."""
	with zipfile.ZipFile(wheel) as archive:
		metadata = archive.read("criscostack-1.0.0.dist-info/METADATA").decode("utf-8")
	header = metadata.split("\n\n", 1)[0]
	requirements = [
		restore_names(line.split(":", 1)[1].strip())
		for line in header.splitlines()
		if line.startswith("Requires-Dist:")
	]
	return requirements + ENGINE_EXTRA_DEPENDENCIES


def pyproject(dependencies: list[str]) -> str:
	listed = "".join(f'\t"{requirement}",\n' for requirement in dependencies)
	return (
		"[project]\n"
		'name = "frappe"\n'
		f'version = "{ENGINE_VERSION}"\n'
		'description = "Frappe 15.0.0-dev, restored from criscostack 1.0.0 by dev/build_engine.py"\n'
		'requires-python = ">=3.10"\n'
		f"dependencies = [\n{listed}]\n\n"
		"[build-system]\n"
		'requires = ["flit_core >=3.4,<4"]\n'
		'build-backend = "flit_core.buildapi"\n'
	)


def commit(repo: Path) -> None:
	"""Commit the engine as the only commit of ENGINE_BRANCH (a rebuild replaces the repository)."""

	def git(*args: str) -> None:
		subprocess.run(
			["git", "-c", "user.name=dev/build_engine.py", "-c", "user.email=engine@wangge.invalid", *args],
			cwd=repo,
			check=True,
			stdout=subprocess.DEVNULL,
		)

	git("init", "-q", "-b", ENGINE_BRANCH)
	git("add", "--all")
	git("commit", "-q", "-m", "Frappe 15.0.0-dev (criscostack 1.0.0 with its names restored)")


def convert(wheel: Path, target: Path) -> None:
	"""Write the renamed package to target/frappe (atomically replaced)."""
	staging = Path(tempfile.mkdtemp(prefix="engine-", dir=target))
	with zipfile.ZipFile(wheel) as archive:
		for member in archive.infolist():
			if member.is_dir() or not member.filename.startswith("criscostack/"):
				continue
			parts = [restore_names(part) for part in Path(member.filename).parts]
			parts[-1] = FILE_RENAMES.get(parts[-1], parts[-1])
			destination = staging.joinpath(*parts)
			destination.parent.mkdir(parents=True, exist_ok=True)
			data = archive.read(member)
			try:
				data = restore_names(data.decode("utf-8")).encode("utf-8")
			except UnicodeDecodeError:
				pass  # images, fonts: binary files keep their bytes
			destination.write_bytes(data)

	package = target / "frappe"
	if package.exists():
		shutil.rmtree(package)
	(staging / "frappe").rename(package)
	shutil.rmtree(staging)


def main() -> None:
	repo = Path(sys.argv[1]).resolve()
	# Outside the repository, so that it is neither committed nor lost with a rebuild.
	stamp = repo.with_name(repo.name + ".stamp")
	expected = f"{WHEEL_SHA256} {CONVERSION_VERSION}\n"
	if stamp.exists() and stamp.read_text() == expected and (repo / ".git").exists():
		return
	if repo.exists():
		shutil.rmtree(repo)
	repo.mkdir(parents=True)
	wheel = download_wheel(repo.parent / "downloads")
	convert(wheel, repo)
	(repo / "pyproject.toml").write_text(pyproject(engine_dependencies(wheel)))
	commit(repo)
	stamp.write_text(expected)
	print(f"build_engine: Frappe engine repository written to {repo} (branch {ENGINE_BRANCH})")


if __name__ == "__main__":
	main()
