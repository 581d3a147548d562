"""Build the Frappe 15.0.0-dev engine used by the dev harness.

Frappe is not installable here, but PyPI's ``criscostack==1.0.0`` is Frappe
15.0.0-dev with every name changed. This script downloads that wheel, checks
its sha256, and writes a copy with the original names restored into
``<bench>/apps/frappe/frappe``. A stamp file makes later runs a no-op.

Usage: python dev/build_engine.py <bench-dir>
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
CONVERSION_VERSION = "1"


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
	bench = Path(sys.argv[1]).resolve()
	engine = bench / "apps" / "frappe"
	stamp = engine / ".engine-stamp"
	expected = f"{WHEEL_SHA256} {CONVERSION_VERSION}\n"
	if stamp.exists() and stamp.read_text() == expected and (engine / "frappe" / "__init__.py").exists():
		return
	engine.mkdir(parents=True, exist_ok=True)
	convert(download_wheel(bench / "downloads"), engine)
	stamp.write_text(expected)
	print(f"build_engine: Frappe engine written to {engine}")


if __name__ == "__main__":
	main()
