"""A pytest plugin: a proof link on a page must name a test that ran, passed and called snippets/.

A page links a formula to the test that proves it with `<!-- proof: tests/<file>.py::<test> -->`.
The build (hooks/proofs.py) and the fast tier check what can be read from the source: the test
exists, is a `test_…` function pytest collects, is not marked skip or xfail. What only a run can
show is checked here. When a run includes the file a link names, that test must have been
collected, must pass, and while it ran (its fixtures included) a function defined in snippets/
must have been called: a test that types the formula again proves the test, not the page.

At the end of the session every link that fails this is listed as `docs/<page>.md:<line>: …`,
and the session fails. Tests that a run leaves out (`-k`, `file.py::other_test`) or never
reaches (`-x`) are not judged.
Works under pytest-xdist: workers attach what they saw to their reports and their final output.
Registered by the root conftest.py (`pytest_plugins`).
"""
import inspect
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = str(ROOT / "snippets") + os.sep
PROOF = re.compile(r"^<!--\s*proof:\s*(\S+?)\s*-->\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CALLED = "proof_link_called_snippets"


def proof_links(docs=ROOT / "docs"):
    """[(page, line, target)] for every proof link on the pages, outside code fences."""
    links = []
    for page in sorted(docs.rglob("*.md")):
        if "seed" in page.relative_to(docs).parts:
            continue
        fence = None
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            opening = FENCE.match(line)
            if opening and (fence is None or opening.group(1).startswith(fence)):
                fence = None if fence else opening.group(1)
            elif not fence and PROOF.match(line):
                links.append((page.relative_to(ROOT).as_posix(), number, PROOF.match(line).group(1)))
    return links


class SnippetCalls:
    """Within `with`: notes whether any function defined in snippets/ is called (sys.setprofile)."""

    def __init__(self):
        self.seen = False

    def profile(self, frame, event, arg):
        code = frame.f_code
        # CO_OPTIMIZED: a function's code, not the body of a module or class run at import.
        if event == "call" and code.co_filename.startswith(SNIPPETS) and code.co_flags & inspect.CO_OPTIMIZED:
            self.seen = True
            sys.setprofile(None)  # one call is enough: stop paying for the profile

    def __enter__(self):
        self.previous = sys.getprofile()
        sys.setprofile(self.profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(self.previous)


def target_of(item):
    """`tests/<file>.py::<function>` for a test item (parameters dropped), or None."""
    name = getattr(item, "originalname", None)
    if not name or not item.path.is_relative_to(ROOT):
        return None
    return f"{item.path.relative_to(ROOT).as_posix()}::{name}"


class ProofLinks:
    def __init__(self, config):
        self.config = config
        self.links = proof_links()
        self.targets = {target for _, _, target in self.links}
        self.collected, self.deselected = set(), set()  # targets
        self.files = set()  # test files collected in this run
        # Files the command line narrowed to some of their tests (`file.py::test`): their other
        # tests were never meant to run.
        self.narrowed = {arg.split("::")[0] for arg in config.args if "::" in arg}
        self.outcomes = {}  # nodeid -> (target, "passed" | "failed" | "skipped", called snippets)
        self.fixtures = set()  # names of fixtures that proof tests use
        self.fixtures_calling = set()  # those seen calling snippets/ while being set up
        self.problems = []

    # Collection: which proof tests this run has, in every process that collects.
    def pytest_deselected(self, items):
        self.deselected |= {target_of(item) for item in items} - {None}

    def pytest_collection_finish(self, session):
        for item in session.items:
            target = target_of(item)
            if target:
                self.files.add(target.partition("::")[0])
            if target in self.targets:
                self.collected.add(target)
                self.fixtures |= set(item.fixturenames)
        self.files |= {target.partition("::")[0] for target in self.deselected}

    # Running: watch the proof tests (and the fixtures they use) for calls into snippets/.
    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.argname not in self.fixtures:
            return (yield)
        with SnippetCalls() as calls:
            try:
                return (yield)
            finally:
                if calls.seen:
                    self.fixtures_calling.add(fixturedef.argname)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        if target_of(item) not in self.targets:
            return (yield)
        with SnippetCalls() as calls:
            try:
                return (yield)
            finally:
                used = calls.seen or bool(self.fixtures_calling & set(item.fixturenames))
                item.user_properties.append((CALLED, used))

    def pytest_runtest_logreport(self, report):
        target = report.nodeid.split("[")[0]
        if target not in self.targets:
            return
        called = dict(report.user_properties).get(CALLED, False)
        _, before, called_before = self.outcomes.get(report.nodeid, (target, "passed", False))
        if report.failed or before == "failed":
            outcome = "failed"
        elif report.skipped or hasattr(report, "wasxfail") or before == "skipped":
            outcome = "skipped"
        else:
            outcome = "passed"
        if report.when == "call" or report.outcome != "passed":
            self.outcomes[report.nodeid] = (target, outcome, called or called_before)

    # pytest-xdist: a worker sends what it collected; the controller merges it.
    def pytest_sessionfinish(self, session):
        if hasattr(self.config, "workeroutput"):
            self.config.workeroutput[CALLED] = [sorted(self.collected), sorted(self.deselected), sorted(self.files)]
            return
        self.problems = self.judge()
        if self.problems and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        collected, deselected, files = getattr(node, "workeroutput", {}).get(CALLED, [[], [], []])
        self.collected |= set(collected)
        self.deselected |= set(deselected)
        self.files |= set(files)

    def judge(self):
        problems = []
        for page, line, target in self.links:
            path, _, name = target.partition("::")
            if path not in self.files:
                continue  # this run did not include the test file
            where = f"{page}:{line}: proof {target}"
            if target not in self.collected and target not in self.deselected:
                if path in self.narrowed:
                    continue
                problems.append(f"{where}: pytest collected no test {name} from {path}; "
                                "link a test_… function that pytest runs")
                continue
            outcomes = [(outcome, called) for t, outcome, called in self.outcomes.values() if t == target]
            if any(outcome == "failed" for outcome, _ in outcomes):
                problems.append(f"{where}: the test failed, so the formula is not proved; fix the code or the test")
            elif any(outcome == "skipped" for outcome, _ in outcomes):
                problems.append(f"{where}: the test was skipped or xfailed, so it proves nothing; make it run and pass")
            elif outcomes and not all(called for _, called in outcomes):
                problems.append(f"{where}: the test never called code in snippets/; a formula typed again "
                                "in the test proves the test, not the page: call the snippet that implements it")
        return problems

    def pytest_terminal_summary(self, terminalreporter):
        if not self.problems:
            return
        terminalreporter.section("proof links that do not prove", sep="=", red=True, bold=True)
        for problem in self.problems:
            terminalreporter.write_line(problem)
            if os.environ.get("GITHUB_ACTIONS") == "true":
                location, _, message = problem.partition(": ")
                file, _, line = location.partition(":")
                terminalreporter.write_line(f"::error file={file},line={line}::{message}")


def pytest_configure(config):
    config.pluginmanager.register(ProofLinks(config), "proof-links")
