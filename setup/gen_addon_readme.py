"""Generates internal_sla/README.rst from the manifest and the readme/*.md fragments.

The OCA generator is not on PyPI; our fragments use only paragraphs, lists and
*emphasis*, which read the same in Markdown and reStructuredText, so they are copied
under RST headings.
"""

import ast
import sys
from pathlib import Path

SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def render(addon: Path) -> str:
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    lines = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        ".. !! This file is generated from readme/*.md by setup/gen_addon_readme.py;",
        "   edit the fragments, not this file.",
        "",
        "License: {license}; status: {development_status}; version {version}.".format(
            **manifest
        ),
        "",
    ]
    for filename, heading in SECTIONS:
        fragment = addon / "readme" / filename
        if not fragment.exists():
            continue
        if heading:
            lines += [heading, "=" * len(heading), ""]
        lines += [fragment.read_text().strip(), ""]
    return "\n".join(lines)


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    addon = root / "internal_sla"
    target = addon / "README.rst"
    text = render(addon)
    if target.exists() and target.read_text() == text:
        return 0
    target.write_text(text)
    print(f"{target.relative_to(root)} regenerated")
    return 1


if __name__ == "__main__":
    sys.exit(main())
