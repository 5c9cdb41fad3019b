import re

import polib
from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_open, file_path
from odoo.tools.translate import TranslationModuleReader

# What a translation must carry over unchanged (same rule as setup/i18n --check): printf-style
# (%s, %(name)s), str.format ({}, {name}), inline templates ({{ object.name }}), markup tags
# and QWeb directives (<strong, t-out="..."); translatable attribute values may change.
PLACEHOLDER = re.compile(
    r"\{\{.*?\}\}|%\([^)]+\)[sdfr]|%[sdfr]|\{[\w.]*\}|</?[A-Za-z][\w.:-]*|\bt-[\w-]+=\"[^\"]*\""
)
HOW_TO_FIX = (
    "run setup/i18n (exports internal_sla/i18n/internal_sla.pot and merges it into ru.po), "
    "translate the entries setup/i18n --check lists, then run setup/i18n --check again"
)


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@tagged("post_install", "-at_install")
class TestRussianTranslation(TransactionCase):
    """ru.po covers every term the installed addon exports (demo data aside), keeps its
    placeholders, and the Russian interface really comes out of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with file_open("internal_sla/i18n/ru.po") as po_file:
            cls.po = polib.pofile(po_file.read())
        # helpdesk_mgmt's terms, which its own ru.po leaves untranslated
        with file_open("internal_sla/i18n_extra/ru.po") as po_file:
            cls.helpdesk_po = polib.pofile(po_file.read())
        cls.pot_msgids = {
            e.msgid for e in polib.pofile(file_path("internal_sla/i18n/internal_sla.pot"))
        }

    def _demo_xmlids(self):
        """External ids of the records the demo files define: their terms are not exported
        to the .pot (it is built on a database without demo data)."""
        xmlids = set()
        for path in get_manifest("internal_sla").get("demo", []):
            with file_open(f"internal_sla/{path}", "rb") as demo_file:
                for node in etree.parse(demo_file).iterfind(".//*[@id]"):
                    xmlid = node.get("id")
                    xmlids.add(xmlid if "." in xmlid else f"internal_sla.{xmlid}")
        return xmlids

    def _exported_terms(self):
        """msgid -> references, as `odoo-bin i18n export` would write them for internal_sla."""
        demo = self._demo_xmlids()
        terms = {}
        for module, ttype, name, res_id, src, _value, _comments in TranslationModuleReader(
            self.env.cr, modules=["internal_sla"]
        ):
            if module != "internal_sla":
                continue
            refs = terms.setdefault(src, [])
            if ttype == "code" or res_id not in demo:
                refs.append(f"{ttype}:{name}:{res_id}")
        return {src: refs for src, refs in terms.items() if refs}

    def test_every_exported_term_is_translated(self):
        terms = self._exported_terms()
        self.assertGreater(len(terms), 500, "the export found the addon's terms")
        translations = {e.msgid: e for e in self.po if not e.obsolete}
        missing_from_pot = sorted(set(terms) - self.pot_msgids)
        untranslated = sorted(
            msgid
            for msgid in terms
            if msgid not in translations or not translations[msgid].msgstr
        )
        first_ref = terms[missing_from_pot[0]][0] if missing_from_pot else ""
        self.assertFalse(
            missing_from_pot,
            f"{len(missing_from_pot)} terms of the code are not in internal_sla.pot, e.g. "
            f"{missing_from_pot[:5]} ({first_ref}): " + HOW_TO_FIX,
        )
        self.assertFalse(
            untranslated,
            f"{len(untranslated)} terms have no Russian translation, e.g. "
            f"{untranslated[:5]}: " + HOW_TO_FIX,
        )

    def test_helpdesk_terms_are_translated(self):
        """Every term helpdesk_mgmt puts in the database (menus, fields, views, stages,
        e-mails) has its Russian in i18n_extra/ru.po, so that a Russian user of the addon
        works in Russian helpdesk screens too. Its code terms are looked up in its own
        files at run time and cannot be supplied from here."""
        pot = polib.pofile(file_path("helpdesk_mgmt/i18n/helpdesk_mgmt.pot"))
        wanted = {
            e.msgid
            for e in pot
            if any(not where.startswith("code:") for where, _line in e.occurrences)
        }
        translated = {e.msgid for e in self.helpdesk_po if e.msgstr and not e.obsolete}
        self.assertGreater(len(wanted), 250)
        missing = sorted(wanted - translated)
        self.assertFalse(
            missing,
            f"{len(missing)} terms of helpdesk_mgmt have no Russian in "
            f"internal_sla/i18n_extra/ru.po, e.g. {missing[:5]}: add them (msgid and "
            "references as in helpdesk_mgmt.pot) with their translation",
        )

    def test_no_fuzzy_entry_and_placeholders_kept(self):
        for po in (self.po, self.helpdesk_po):
            with self.subTest(po=po.fpath or po.metadata.get("Project-Id-Version")):
                self._assert_well_formed(po)

    def _assert_well_formed(self, po):
        fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
        self.assertFalse(
            fuzzy, f"fuzzy entries in ru.po (review them, drop the flag): {fuzzy[:5]}"
        )
        broken = [
            (e.msgid, e.msgstr)
            for e in po
            if e.msgstr and _placeholders(e.msgid) != _placeholders(e.msgstr)
        ]
        self.assertFalse(
            broken, f"translations whose placeholders or markup differ: {broken[:5]}"
        )
        leading_trailing = [
            e.msgid
            for e in po
            if e.msgstr
            and (
                e.msgid[: len(e.msgid) - len(e.msgid.lstrip())]
                != e.msgstr[: len(e.msgstr) - len(e.msgstr.lstrip())]
                or e.msgid[len(e.msgid.rstrip()) :] != e.msgstr[len(e.msgstr.rstrip()) :]
            )
        ]
        self.assertFalse(
            leading_trailing, f"leading/trailing whitespace changed: {leading_trailing[:5]}"
        )

    def test_placeholder_check_catches_a_broken_translation(self):
        """The placeholder rule above is not vacuous."""
        self.assertNotEqual(
            _placeholders("%(agreement)s v%(number)s"),
            _placeholders("%(agreement)s в%(numbre)s"),
        )
        self.assertNotEqual(
            _placeholders('<strong t-out="object.name">X</strong>'),
            _placeholders('<b t-out="object.name">X</b>'),
        )
        self.assertEqual(
            _placeholders('<span title="Overdue">%s left</span>'),
            _placeholders('<span title="Просрочено">осталось %s</span>'),
        )

    def test_interface_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        ru = self.env(context=dict(self.env.context, lang="ru_RU"))

        self.assertEqual(ru.ref("internal_sla.internal_sla_menu_root").name, "Внутренние SLA")
        Agreement = ru["internal.sla.agreement"]
        self.assertEqual(
            Agreement.fields_get(["provider_owner_id"], ["string"])["provider_owner_id"][
                "string"
            ],
            "Ответственный со стороны исполнителя",
        )
        self.assertEqual(
            dict(ru["helpdesk.ticket"]._fields["sla_state"]._description_selection(ru))[
                "at_risk"
            ],
            "Под угрозой",
        )
        form = Agreement.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("Ввести в действие", form)
        self.assertNotIn(">Put in force<", form)
        # terms of the Python code come from ru.po at run time
        self.assertEqual(ru._("Agreement put in force"), "Соглашение введено в действие")
        self.assertEqual(
            ru._("%(target)s: due %(due)s", target="Решение", due="12.05.2026 18:00"),
            "Решение: срок — 12.05.2026 18:00",
        )
        # helpdesk_mgmt's screens, from internal_sla/i18n_extra/ru.po
        self.assertEqual(
            ru.ref("helpdesk_mgmt.helpdesk_ticket_main_menu").name, "Служба поддержки"
        )
        labels = ru["helpdesk.ticket"].fields_get(["number", "name", "stage_id"], ["string"])
        self.assertEqual(
            {name: label["string"] for name, label in labels.items()},
            {"number": "Номер заявки", "name": "Тема", "stage_id": "Этап"},
        )
        self.assertEqual(
            ru.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").name, "В работе"
        )
        # and English stays English
        self.assertEqual(
            self.env.ref("internal_sla.internal_sla_menu_root").with_context(lang="en_US").name,
            "Internal SLA",
        )
