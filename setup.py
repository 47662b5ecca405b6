"""Package layout for the wheel; the metadata and dependencies are in pyproject.toml.

templates/, static/, translations/ and migrations/ stay at the top of the repository and become
data folders inside the package in the wheel (`marketplace/templates`, ...), where
`marketplace.resource_dir` finds them. The developer tools (demo data, the Stripe emulator) stay
out of it. Translations are compiled from the .po files during the build, so a wheel always
carries .mo files that match its sources, whether or not `make translations` ran before.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = {
    "marketplace.templates": "templates",
    "marketplace.static": "static",
    "marketplace.translations": "translations",
    "marketplace.migrations": "migrations",
}


class BuildWithTranslations(build_py):
    """build_py, then every translations/<lang>/LC_MESSAGES/messages.po compiled into the build."""

    def run(self):
        super().run()
        if self.dry_run:
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target = Path(self.build_lib) / "marketplace" / "translations"
        for po_path in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            mo_path = target / po_path.relative_to(ROOT / "translations").with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)


setup(
    packages=[
        *find_packages(include=["marketplace*"], exclude=["marketplace.devtools*"]),
        *DATA_FOLDERS,
    ],
    package_dir=DATA_FOLDERS,
    # only what package_data names: not whatever a stale SOURCES.txt lists under marketplace/
    include_package_data=False,
    package_data={
        "marketplace.templates": ["**/*"],
        "marketplace.static": ["**/*"],
        "marketplace.translations": ["*/LC_MESSAGES/*.mo"],
        "marketplace.migrations": ["*", "versions/*.py"],
    },
    exclude_package_data={
        # the Pico build inputs (`make css`); the compiled pico.min.css ships
        "marketplace.static": ["vendor/pico/source/*"],
    },
    cmdclass={"build_py": BuildWithTranslations},
)
