"""A pytest plugin loaded by the test command (``setup/test``): changes to the test
framework so that a run spends less time on the framework itself (they change no result:
each keeps what a test could observe), one that keeps parallel workers from deleting
each other's files, the fixture's people created once in the run's database instead of
once per test class, test classes handed to the workers longest first, and a browser tour
that Odoo would skip failed instead."""

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import freezegun
import freezegun.api
import pytest

from odoo import SUPERUSER_ID, api
from odoo.orm.registry import _CACHES_BY_KEY, Registry
from odoo.tests.common import ChromeBrowser, HttpCase, TransactionCase, get_db_name

from odoo.addons.base.models import res_users

# freezegun rewrites the datetime names of every loaded module each time a clock is frozen
# (about 2,500 modules, 10-20 ms each time, some 1,500 times a run). Libraries whose clock
# no test reads are left out (Odoo, its addons, dateutil, pytz, babel and werkzeug are still
# patched) and telling whether a module changed since its last scan is made cheap (below):
# 2.5 ms a start.
freezegun.configure(
    extend_ignore_list=[
        "_pytest",
        "asn1crypto",
        "certifi",
        "cffi",
        "chardet",
        "charset_normalizer",
        "cryptography",
        "docutils",
        "execnet",
        "idna",
        "importlib",
        "jinja2",
        "lxml",
        "markupsafe",
        "num2words",
        "OpenSSL",
        "packaging",
        "passlib",
        "phonenumbers",
        "PIL",
        "pkg_resources",
        "pluggy",
        "polib",
        "psycopg2",
        "pygments",
        "PyPDF2",
        "pytest",
        "qrcode",
        "reportlab",
        "requests",
        "setuptools",
        "stdnum",
        "urllib3",
        "xdist",
        "xlrd",
        "xlsxwriter",
        "zeep",
    ]
)


def _module_fingerprint(module):
    """freezegun re-scans a module when this changes; its own fingerprint (a hash of the
    module's sorted ``dir()``) cost most of each start. Modules do not rebind datetime
    names after their import, so their identity and size tell the same."""
    return f"{id(module)}-{len(getattr(module, '__dict__', ()))}"


freezegun.api._get_module_attributes_hash = _module_fingerprint


class _ModulesWithClockNames:
    """``sys`` as freezegun sees it: its ``modules`` are only those that bind a clock name
    (``datetime``, ``date``, ``time``…, real or frozen), about 120 of the 2,000 loaded.
    Freezing and thawing walked every loaded module twice (2 ms a test using a frozen
    clock); the others have nothing to patch. A module is looked at once, when it is first
    seen (see ``_module_fingerprint``); one imported while a clock is frozen binds the
    frozen names, so it is seen as binding clock names and thawed like any other."""

    _CLOCKS = (
        "FakeDate",
        "FakeDatetime",
        "fake_gmtime",
        "fake_localtime",
        "fake_monotonic",
        "fake_monotonic_ns",
        "fake_perf_counter",
        "fake_perf_counter_ns",
        "fake_strftime",
        "fake_time",
        "fake_time_ns",
    )

    def __init__(self):
        self._clock_ids = set(freezegun.api._real_time_object_ids) | {
            id(getattr(freezegun.api, name))
            for name in self._CLOCKS
            if hasattr(freezegun.api, name)
        }
        self._seen = {}
        self._with_clock = {}
        self._state = None

    def __getattr__(self, name):
        return getattr(sys, name)

    def _binds_a_clock(self, module):
        names = getattr(module, "__dict__", None)
        if not isinstance(names, dict):
            return True  # not a plain module: freezegun decides
        clock_ids = self._clock_ids
        return any(id(value) in clock_ids for value in list(names.values()))

    @property
    def modules(self):
        loaded = sys.modules
        # a module imported since is appended: the count or the last name changed
        state = (len(loaded), next(reversed(loaded), None))
        if state != self._state:
            for name, module in list(loaded.items()):
                if self._seen.get(name) is module:
                    continue
                self._seen[name] = module
                if module is not None and self._binds_a_clock(module):
                    self._with_clock[name] = module
                else:
                    self._with_clock.pop(name, None)
            for name in self._seen.keys() - loaded.keys():
                del self._seen[name]
                self._with_clock.pop(name, None)
            self._state = state
        return self._with_clock


freezegun.api.sys = _ModulesWithClockNames()

# The test users' passwords (about 200 a run) were hashed with the 600,000 rounds Odoo
# requires at least: 8.5 ms each. No test measures the hash's cost; logins still check it.
res_users.MIN_ROUNDS = 1000

_clear_all_caches = Registry.clear_all_caches
# ORM caches that hold no records: compiled QWeb templates, the URL routing map and the
# web client's asset bundles (their files and versioned URLs)
_RECORD_FREE_CACHES = {"templates", "routing", "routing.rewrites", "assets"}


def _clear_all_caches_but_record_free_ones(registry):
    """Odoo's test cases clear every ORM cache after each test, since a rolled-back test
    may have filled them with records that no longer exist. Compiled templates and the
    routing map hold none: they change with views, groups, countries or URL rewrites, and
    such a change marks their cache invalidated; asset bundles hold file paths and
    content hashes, invalidated with the modules or ``ir.asset`` records. Unless it was,
    they are kept: each mail layout is compiled once per test process instead of once per
    test (a fifth of the time of the tests that send mail), and each browser test stops
    rebuilding the routing map (0.3-0.5 s) and listing the files of the web client's
    bundles to version their URLs (globbing the addons' folders, 0.3-0.4 s a page)."""
    invalidated = {
        container
        for key in registry.cache_invalidated
        for container in _CACHES_BY_KEY.get(key, (key,))
    }
    kept = _RECORD_FREE_CACHES - invalidated
    if not kept:
        return _clear_all_caches(registry)
    for cache_name, cache in registry._Registry__caches.items():
        if cache_name not in kept:
            cache.clear()
    registry.cache_invalidated.update(
        key for key, containers in _CACHES_BY_KEY.items() if not kept & set(containers)
    )
    return None


Registry.clear_all_caches = _clear_all_caches_but_record_free_ones

# Every tour starts a browser on an empty profile, which downloads, parses and compiles the
# web client's bundles again (0.4-0.6 s of each tour's start). The browsers of one test
# process share an HTTP cache and V8's code cache instead; bundles, menus and images have
# versioned URLs (a hash or a write date) and compiled code is keyed by the script's
# content, so no page can read another test's data from them. Cookies and storage stay per
# browser.
_http_cache = tempfile.mkdtemp(suffix="_internal_sla_chrome_cache")
_code_cache = os.path.join(_http_cache, "code")
os.mkdir(_code_cache)
atexit.register(shutil.rmtree, _http_cache, True)
_spawn_chrome = ChromeBrowser._spawn_chrome
# Chromium's full browser in its "new" headless mode spends about twice the CPU of the old
# headless shell on the same tour (Debian's chromium-headless-shell, same engine version),
# the shell is used when it is installed.
_headless_shell = shutil.which("chromium-headless-shell")
# Odoo removes each browser's profile when it stops it, but Chromium's network process may
# still write a file there afterwards, leaving an empty profile folder in /tmp per tour:
# they are removed again when the test process ends.
_profiles = []


# A browser whose test class never reached its cleanup (a failure in its set-up, an
# interrupted run) would outlive the test process: those still running are stopped at the
# end of the session (an xdist worker may leave without running atexit) and at exit.
_browsers = []


def _stop_browsers():
    while _browsers:
        proc = _browsers.pop()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


@atexit.register
def _stop_browsers_and_remove_profiles():
    _stop_browsers()
    for profile in _profiles:
        shutil.rmtree(profile, ignore_errors=True)


def _spawn_chrome_with_the_shared_cache(browser, cmd):
    _profiles.append(browser.user_data_dir)
    profile = os.path.join(browser.user_data_dir, "Default")
    os.makedirs(profile, exist_ok=True)
    os.symlink(_code_cache, os.path.join(profile, "Code Cache"))
    executable = _headless_shell or cmd[0]
    proc, port = _spawn_chrome(
        browser, [executable, f"--disk-cache-dir={_http_cache}", *cmd[1:]]
    )
    _browsers.append(proc)
    return proc, port


ChromeBrowser._spawn_chrome = _spawn_chrome_with_the_shared_cache

# pytest-odoo gives each xdist worker its own copy of the database but one shared filestore.
# After each test class Odoo deletes the files that the class's rolled-back records wrote;
# when another worker's open transaction holds a record with the same content (the same
# generated avatar), its file goes too and that worker fails with FileNotFoundError. The
# test filestore is a fresh copy at each run: files left behind cost nothing.
if os.environ.get("PYTEST_XDIST_WORKER"):
    TransactionCase._gc_filestore = classmethod(lambda cls: None)


@pytest.fixture(scope="session", autouse=True)
def _fixture_people_in_the_database(load_registry):
    """The five users, three departments and five employees of the tests' fixture
    (``internal_sla/tests/common.py``), committed once into this run's fresh copy of the
    test database: each test class then finds them instead of creating them (0.27 s a
    class, 20-25 s of CPU over the run's 85 classes with the fixture). Every class still
    rolls back whatever it changes."""
    from odoo.addons.internal_sla.tests.common import fixture_people

    registry = Registry(get_db_name())
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True}
        )
        fixture_people(env)  # found when the database already has them


# Test classes handed to the workers longest first. pytest-xdist's ``loadscope`` hands
# them out by their number of tests, so a browser tour (one long test) often came last and
# one core finished the run alone for 10 s. The test command keeps each class's time of the
# previous run in INTERNAL_SLA_TEST_DURATIONS (classes it does not know count as long) and
# runs pytest with ``--no-loadscope-reorder`` so that this order is kept.
_DURATIONS = os.environ.get("INTERNAL_SLA_TEST_DURATIONS")
_durations_seen = {}


def _scope(nodeid):
    """xdist's unit of work: the test class (or the module of a test function)."""
    return nodeid.rsplit("::", 1)[0]


def _previous_durations():
    try:
        with open(_DURATIONS, encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError):
        return {}


def pytest_collection_modifyitems(session, config, items):
    if not _DURATIONS:
        return
    previous = _previous_durations()
    by_scope = {}
    for item in items:
        by_scope.setdefault(_scope(item.nodeid), []).append(item)

    def expected(scope):
        if scope in previous:
            return previous[scope]
        browser = any(
            issubclass(getattr(item, "cls", None) or object, HttpCase)
            for item in by_scope[scope]
        )
        return 60.0 if browser or previous else len(by_scope[scope]) * 0.3

    order = sorted(by_scope, key=expected, reverse=True)
    items[:] = [item for scope in order for item in by_scope[scope]]


# Odoo skips a browser tour when Chromium or websocket-client is missing or the browser
# does not start: the run would look green without its tours. Such a skip fails the test.
_BROWSER_SKIP = re.compile(r"chrom|websocket|devtools", re.IGNORECASE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
    if report.skipped and _BROWSER_SKIP.search(str(reason)):
        report.outcome = "failed"
        report.longrepr = (
            f"browser tour skipped ({reason}): the suite's tours must run; install "
            "what it names (README, Prerequisites)"
        )
    return report


def pytest_runtest_logreport(report):
    if _DURATIONS and not os.environ.get("PYTEST_XDIST_WORKER"):
        scope = _scope(report.nodeid)
        _durations_seen[scope] = _durations_seen.get(scope, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus):
    _stop_browsers()
    if _DURATIONS and _durations_seen and not os.environ.get("PYTEST_XDIST_WORKER"):
        durations = {**_previous_durations(), **_durations_seen}
        with open(_DURATIONS, "w", encoding="utf-8") as file:
            json.dump({scope: round(seconds, 2) for scope, seconds in durations.items()}, file)
