"""Merges internal_sla's .pot into its .po files and reports what is left to translate.

Used by setup/i18n; runs with the project's venv (polib is one of Odoo's own requirements):

    python setup/i18n_po.py merge internal_sla/i18n/internal_sla.pot internal_sla/i18n/ru.po
    python setup/i18n_po.py check internal_sla/i18n/internal_sla.pot internal_sla/i18n/ru.po

merge: the .po gets exactly the template's entries (same order, references and comments);
each keeps the translation it already had for the same msgid; entries gone from the template
are dropped; a fuzzy flag is never written (a fuzzy translation counts as untranslated).
check: lists the template's entries with no translation (missing, empty or fuzzy) and the
translations whose placeholders differ from the English; exits 1 when there is any.
"""

import re
import sys

import polib

# What a translation must carry over unchanged: printf-style (%s, %d, %(name)s), str.format
# ({}, {name}), inline templates ({{ object.name }}), markup tags and QWeb directives
# (<strong>, t-out="object.name"); translatable attribute values (title="...") may change.
PLACEHOLDER = re.compile(
    r"\{\{.*?\}\}|%\([^)]+\)[sdfr]|%[sdfr]|\{[\w.]*\}|</?[A-Za-z][\w.:-]*|\bt-[\w-]+=\"[^\"]*\""
)
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def is_translated(entry):
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path, wrapwidth=78)
    try:
        old = polib.pofile(po_path, wrapwidth=78)
    except OSError:
        old = polib.POFile(wrapwidth=78)
    known = {e.msgid: e.msgstr for e in old if is_translated(e)}
    lang = old.metadata.get("Language") or po_path.rsplit("/", 1)[-1].split(".")[0]
    new = polib.POFile(wrapwidth=78)
    new.header = pot.header
    new.metadata = dict(pot.metadata)
    new.metadata.pop("POT-Creation-Date", None)
    new.metadata.pop("PO-Revision-Date", None)
    new.metadata["Language"] = lang
    new.metadata["Plural-Forms"] = old.metadata.get("Plural-Forms") or (
        RU_PLURAL_FORMS if lang.startswith("ru") else ""
    )
    kept = 0
    for entry in pot:
        entry.msgstr = known.get(entry.msgid, "")
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        kept += bool(entry.msgstr)
        new.append(entry)
    new.save(po_path)
    dropped = len([m for m in known if m not in {e.msgid for e in pot}])
    print(
        f"{po_path}: {len(new)} entries, {kept} translated, {len(new) - kept} to translate, "
        f"{dropped} obsolete translations dropped"
    )


def check(pot_path, po_path):
    pot = polib.pofile(pot_path)
    po = polib.pofile(po_path)
    by_msgid = {e.msgid: e for e in po if not e.obsolete}
    todo, wrong = [], []
    for tmpl in pot:
        entry = by_msgid.get(tmpl.msgid)
        if entry is None or not is_translated(entry):
            todo.append(tmpl)
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            wrong.append(entry)
    fuzzy = [e for e in po if "fuzzy" in e.flags]
    for entry in todo:
        refs = ", ".join(o for o, _line in entry.occurrences[:2])
        print(f"untranslated: {entry.msgid!r}  ({refs})")
    for entry in wrong:
        print(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
    print(
        f"{po_path}: {len(pot)} entries in the template, {len(todo)} untranslated "
        f"({len(fuzzy)} fuzzy), {len(wrong)} with wrong placeholders"
    )
    return 1 if todo or wrong or fuzzy else 0


if __name__ == "__main__":
    command, pot_file, po_file = sys.argv[1:4]
    if command == "merge":
        merge(pot_file, po_file)
    elif command == "check":
        sys.exit(check(pot_file, po_file))
    else:
        sys.exit(f"unknown command {command!r}: merge or check")
