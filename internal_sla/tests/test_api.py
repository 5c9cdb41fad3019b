import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import release_test_lock
from odoo.tools import mute_logger

from .common import InternalSlaHttpCase

README = Path(__file__).resolve().parents[2] / "README.md"


def api_examples():
    """The code blocks of the README's API section, as (language, code) in order."""
    section = README.read_text(encoding="utf-8").split("\n## API\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"```(bash|python)\n(.*?)```", section, re.DOTALL)


@tagged("post_install", "-at_install")
class TestApi(InternalSlaHttpCase):
    """The README's JSON-2 API examples (G7), run as they stand against the test server
    with an API key of a real integration user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bot = new_test_user(
            cls.env,
            login="monitoring_bot",
            name="Monitoring",
            groups="helpdesk_mgmt.group_helpdesk_user,internal_sla.internal_sla_group_user",
        )
        cls.env["hr.employee"].create(
            {"name": "Monitoring", "user_id": cls.bot.id, "department_id": cls.it.id}
        )
        cls.key = cls.api_key(cls.bot)

    @classmethod
    def api_key(cls, user):
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "API", None)

    def setUp(self):
        super().setUp()
        # the examples are plain HTTP clients, without the test session's cookie
        self.http_request_allow_all = True
        if not README.exists():
            self.skipTest("README.md is not next to the addon")
        self.examples = api_examples()
        self.environ = {
            "ODOO_URL": self.base_url(),
            "ODOO_DB": self.env.cr.dbname,
            "ODOO_API_KEY": self.key,
            "TEAM_ID": str(self.team.id),
            "DEPARTMENT_ID": str(self.marketing.id),
            "AGREEMENT_ID": str(self.agreement.id),
        }

    def curl(self, code, **extra):
        with release_test_lock():  # the server thread answers meanwhile
            result = self._run(code, extra)
        return json.loads(result.stdout)

    def _run(self, code, extra):
        return subprocess.run(
            ["bash", "-c", code],
            env=dict(os.environ, **self.environ, **extra),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def assertFiledByApi(self, ticket):
        self.assertEqual(ticket.name, "Printer on floor 3 is jammed")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.requester_department_id, self.marketing)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.assertEqual(ticket.sla_state, "running")
        self.assertTrue(ticket.sla_deadline)

    def test_readme_names_the_variables_the_examples_use(self):
        setup = self.examples[0][1]
        for name in self.environ:
            self.assertIn(f"{name}=", setup)
        self.assertEqual(
            [language for language, _code in self.examples],
            ["bash", "bash", "bash", "bash", "python"],
        )

    def test_curl_examples(self):
        if not shutil.which("curl"):
            self.skipTest("curl is not installed")
        _setup, (_l1, create), (_l2, read), (_l3, kpis), _python = self.examples
        ticket_ids = self.curl(create)
        self.assertEqual(len(ticket_ids), 1)
        ticket = self.env["helpdesk.ticket"].browse(ticket_ids)
        self.assertFiledByApi(ticket)
        self.assertEqual(ticket.create_uid, self.bot)

        [answer] = self.curl(read, TICKET_ID=str(ticket.id))
        self.assertEqual(
            answer,
            {
                "id": ticket.id,
                "number": ticket.number,
                "sla_deadline": fields.Datetime.to_string(ticket.sla_deadline),
                "sla_state": "running",
            },
        )

        [agreement] = self.curl(kpis)
        self.assertEqual(
            (agreement["id"], agreement["name"]), (self.agreement.id, "IT ↔ Marketing")
        )
        self.assertEqual(agreement["date_from"], "2026-01-01 00:00:00")
        figures = agreement["kpis"]
        self.assertEqual((figures["volume"], figures["backlog"], figures["closed"]), (1, 1, 0))
        self.assertEqual((figures["met"], figures["breached"]), (0, 0))
        self.assertIsNone(figures["sla_met_percent"])  # nothing reached yet: no data
        self.assertEqual(figures, self.agreement.get_kpis(date_from="2026-01-01")[0]["kpis"])

    def test_python_example(self):
        _setup, _create, _read, _kpis, (_language, code) = self.examples
        output = io.StringIO()
        namespace = {"__name__": "readme_api_example"}
        with (
            patch.dict(os.environ, self.environ),
            contextlib.redirect_stdout(output),
            release_test_lock(),
        ):
            try:
                exec(compile(code, str(README), "exec"), namespace)  # noqa: S102
            finally:
                # a kept-alive connection would keep a server thread on this test
                if "session" in namespace:
                    namespace["session"].close()
        ticket = self.env["helpdesk.ticket"].browse(namespace["ticket_ids"])
        self.assertFiledByApi(ticket)
        deadline = fields.Datetime.to_string(ticket.sla_deadline)
        self.assertEqual(
            output.getvalue(),
            f"{ticket.number} due {deadline} UTC (running)\nIT ↔ Marketing: SLA met None %\n",
        )
        self.assertEqual(namespace["agreement"]["kpis"]["volume"], 1)

    def test_unauthorised_calls_are_refused(self):
        url = f"{self.base_url()}/json/2/internal.sla.agreement/get_kpis"
        body = {"ids": [self.agreement.id]}
        database = {"X-Odoo-Database": self.env.cr.dbname}
        with mute_logger("odoo.http"), release_test_lock():
            anonymous = requests.post(url, json=body, headers=database, timeout=30)
            self.assertEqual(anonymous.status_code, 401, anonymous.text)
            wrong = requests.post(
                url,
                json=body,
                headers=dict(database, Authorization="bearer not-a-key"),
                timeout=30,
            )
            self.assertEqual(wrong.status_code, 401)
            # a real key of a user who does not see the agreement (HR)
            refused = requests.post(
                url,
                json=body,
                headers=dict(database, Authorization=f"bearer {self.api_key(self.outsider)}"),
                timeout=30,
            )
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["name"], "odoo.exceptions.AccessError")
        self.assertNotIn("volume", refused.text)

    def test_kpis_refuse_a_malformed_date(self):
        with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
            self.agreement.with_user(self.bot).get_kpis(date_from="01/02/2026")
