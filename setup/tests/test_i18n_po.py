"""setup/i18n's merge and check: translations survive a new .pot, the delta is listed."""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "setup" / "i18n_po.py"

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _entry(msgid, msgstr="", ref="code:addons/internal_sla/models/x.py:0", flags=""):
    flag_line = f"#, {flags}\n" if flags else ""
    return (
        f'#. module: internal_sla\n#: {ref}\n{flag_line}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'
    )


def _run(command, pot, po):
    return subprocess.run(
        [sys.executable, str(TOOL), command, str(pot), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_merge_keeps_translations_adds_the_delta_and_drops_the_rest(tmp_path):
    pot = tmp_path / "internal_sla.pot"
    po = tmp_path / "ru.po"
    pot.write_text(
        HEADER
        + _entry("Agreement", ref="model:ir.model.fields,field_description:internal_sla.f")
        + _entry("%s left")
        + _entry("New string")
    )
    po.write_text(
        HEADER
        + _entry("Agreement", "Соглашение")
        + _entry("%s left", "осталось %s", flags="fuzzy")
        + _entry("Removed string", "Удалённая строка")
    )
    merged = _run("merge", pot, po)
    assert merged.returncode == 0, merged.stderr
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    assert list(entries) == ["Agreement", "%s left", "New string"]
    assert entries["Agreement"].msgstr == "Соглашение"
    # the references come from the new template
    assert entries["Agreement"].occurrences[0][0].startswith("model:ir.model.fields")
    # a fuzzy translation is not trusted: it is left to translate again, without the flag
    assert entries["%s left"].msgstr == "" and "fuzzy" not in entries["%s left"].flags
    assert entries["New string"].msgstr == ""
    assert polib.pofile(str(po)).metadata["Language"] == "ru"
    assert "Plural-Forms" in polib.pofile(str(po)).metadata
    assert "1 translated, 2 to translate, 1 obsolete translations dropped" in merged.stdout

    checked = _run("check", pot, po)
    assert checked.returncode == 1
    assert "untranslated: '%s left'" in checked.stdout
    assert "untranslated: 'New string'" in checked.stdout
    assert "3 entries in the template, 2 untranslated" in checked.stdout


def test_check_refuses_lost_placeholders_and_passes_a_complete_file(tmp_path):
    pot = tmp_path / "internal_sla.pot"
    po = tmp_path / "ru.po"
    pot.write_text(HEADER + _entry("%(count)s lines") + _entry("<strong>Due</strong>"))
    po.write_text(
        HEADER
        + _entry("%(count)s lines", "строк: %(число)s")
        + _entry("<strong>Due</strong>", "<b>Срок</b>")
    )
    checked = _run("check", pot, po)
    assert checked.returncode == 1
    assert "placeholders differ: '%(count)s lines'" in checked.stdout
    assert "placeholders differ: '<strong>Due</strong>'" in checked.stdout

    po.write_text(
        HEADER
        + _entry("%(count)s lines", "строк: %(count)s")
        + _entry("<strong>Due</strong>", "<strong>Срок</strong>")
    )
    checked = _run("check", pot, po)
    assert checked.returncode == 0, checked.stdout
    assert "0 untranslated (0 fuzzy), 0 with wrong placeholders" in checked.stdout
