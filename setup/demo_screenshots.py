"""Screenshots of the main screens on the demo database, for the README.

Run by ``setup/screenshots`` against the demo server it starts: logs each user in, opens each
screen in headless Chromium (driven over the DevTools protocol with websocket-client), waits
until the view has loaded and nothing is loading any more, and saves a PNG.

Usage: demo_screenshots.py BASE_URL DATABASE OUTPUT_DIR
"""

import base64
import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

# (file name, address, login[, step]): what a manager, an agent and an employee open first; a
# {module.xml_id} (or {requests_of:login}) in an address is replaced by the record's id; a
# step is the label of the form's notebook page opened before the picture, or "click:NAME",
# the form's button NAME clicked (and what it opens loaded) before it
SCREENS = [
    ("demo_dashboard", "/odoo/action-internal_sla.internal_sla_dashboard_action", "admin"),
    (
        "demo_agreement_form",
        "/odoo/action-internal_sla.internal_sla_agreement_action/{internal_sla.demo_agreement_it_marketing}",
        "admin",
    ),
    (
        "demo_sla_analysis",
        "/odoo/action-internal_sla.internal_sla_report_action?view_type=graph",
        "admin",
    ),
    (
        "demo_pair_matrix",
        "/odoo/action-internal_sla.internal_sla_report_matrix_action",
        "admin",
    ),
    (
        "demo_volume_and_peaks",
        "/odoo/action-internal_sla.internal_sla_ticket_report_action",
        "admin",
    ),
    (
        "demo_survey_invitations",
        "/odoo/action-internal_sla.internal_sla_feedback_invitation_action",
        "admin",
    ),
    ("demo_departments", "/odoo/action-hr.hr_department_kanban_action", "admin"),
    ("demo_my_requests", "/odoo/action-internal_sla.helpdesk_ticket_action_request", "maria"),
    ("demo_settings", "/odoo/action-internal_sla.res_config_settings_action", "admin"),
    (
        "demo_service_profile",
        "/odoo/action-hr.hr_employee_public_action/{internal_sla.demo_employee_it_agent}",
        "ivan",
        "Service profile",
    ),
    # the requester's portal page of a request: deadline and SLA state, nothing internal
    ("demo_portal_request", "/my/ticket/{requests_of:roman}", "roman"),
    (
        "demo_team_leaderboard",
        "/odoo/action-helpdesk_mgmt.helpdesk_ticket_team_action/{internal_sla.demo_team_it_support}",
        "ivan",
        "click:action_view_sla_leaderboard",
    ),
]
WIDTH, HEIGHT = 1440, 1000
READY = """
    !!document.querySelector('.o_action_manager .o_view_controller, .o_portal_wrap, #wrap')
    && !document.querySelector('.o_loading_indicator, .o_blockUI, .o_view_sample_data')
    && document.readyState === 'complete'
"""


def session_id(base, database, login):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {"jsonrpc": "2.0", "params": {"db": database, "login": login, "password": login}}
    request = urllib.request.Request(
        base + "/web/session/authenticate",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json"},
    )
    answer = json.load(opener.open(request, timeout=120))
    if not answer.get("result", {}).get("uid"):
        raise SystemExit(f"{login} could not log in: {answer.get('error')}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


def search_read(base, session, model, domain, fields, **kwargs):
    payload = {
        "jsonrpc": "2.0",
        "params": {
            "model": model,
            "method": "search_read",
            "args": [domain, fields],
            "kwargs": kwargs,
        },
    }
    request = urllib.request.Request(
        base + "/web/dataset/call_kw",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", "Cookie": f"session_id={session}"},
    )
    return json.load(urllib.request.urlopen(request, timeout=60)).get("result")


def record_id(base, session, reference):
    """The id of ``module.xml_id``, or of ``requests_of:login`` (the running request of
    that person due the soonest)."""
    if reference.startswith("requests_of:"):
        login = reference.split(":", 1)[1]
        rows = search_read(
            base,
            session,
            "helpdesk.ticket",
            [
                ("partner_id.user_ids.login", "=", login),
                ("sla_state", "in", ["running", "at_risk"]),
            ],
            ["id"],
            order="sla_deadline",
            limit=1,
        )
        if not rows:
            raise SystemExit(f"no open request of {login} in the demo database")
        return rows[0]["id"]
    module, name = reference.split(".")
    rows = search_read(
        base,
        session,
        "ir.model.data",
        [("module", "=", module), ("name", "=", name)],
        ["res_id"],
    )
    if not rows:
        raise SystemExit(f"no record {reference} in the demo database")
    return rows[0]["res_id"]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="internal_sla_shots_")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _attempt in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10))
        page = next(tab for tab in tabs if tab["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.last_id = 0
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.last_id:
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def ready(self):
        return self.evaluate(READY) is True

    def click(self, find, missing):
        """Click the element the JavaScript expression ``find`` gives; stop with
        ``missing`` when there is none."""
        script = f"(() => {{ const el = {find}; if (el) {{ el.click(); }} return !!el; }})()"
        if self.evaluate(script) is not True:
            raise SystemExit(missing)

    def open_tab(self, label):
        """Click the notebook page called ``label`` of the form on screen."""
        self.click(
            "[...document.querySelectorAll('.o_notebook .nav-link')]"
            f".find(link => link.textContent.trim() === {json.dumps(label)})",
            f"no page {label!r} on the form",
        )

    def click_button(self, name):
        """Click the button ``name`` of the form on screen."""
        selector = json.dumps(f"button[name={json.dumps(name)}]")
        self.click(f"document.querySelector({selector})", f"no button {name!r} on the form")

    def wait_ready(self, url):
        deadline = time.time() + 90
        while not self.ready():
            if time.time() > deadline:
                raise SystemExit(f"{url} did not finish loading in 90 s")
            time.sleep(0.5)

    def shoot(self, url, session, path, step=None):
        self.call("Network.clearBrowserCookies")
        self.call("Network.setCookie", name="session_id", value=session, url=url)
        self.call("Page.navigate", url=url)
        self.wait_ready(url)
        if step and step.startswith("click:"):
            self.click_button(step.split(":", 1)[1])
            time.sleep(1)
            self.wait_ready(url)
        elif step:
            self.open_tab(step)
        time.sleep(2)  # charts animate, counters settle
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main(base, database, output):
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    sessions = {}
    browser = Browser()
    try:
        for name, address, login, *tab in SCREENS:
            if login not in sessions:
                sessions[login] = session_id(base, database, login)
            session = sessions[login]
            # record ids are looked up as admin (ir.model.data is not for every user)
            if "admin" not in sessions:
                sessions["admin"] = session_id(base, database, "admin")
            address = re.sub(
                r"\{([\w.:]+)\}",
                lambda match: str(record_id(base, sessions["admin"], match.group(1))),
                address,
            )
            path = output / f"{name}.png"
            browser.shoot(base + address, session, path, *tab)
            print(f"screenshot: {path}")
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
