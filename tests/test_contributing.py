"""The ways in for contributors: issue forms, PR template, guide and licences, checked offline."""
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
FORMS = sorted(p for p in TEMPLATES.glob("*.yml") if p.name != "config.yml")


def schema_check(schema, paths):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True)


def test_issue_forms_match_githubs_schema():
    result = schema_check("vendor.github-issue-forms", FORMS)

    assert len(FORMS) >= 2 and result.returncode == 0, result.stdout + result.stderr


def test_issue_config_disables_blank_issues_and_points_questions_elsewhere():
    config = yaml.safe_load((TEMPLATES / "config.yml").read_text(encoding="utf-8"))

    assert schema_check("vendor.github-issue-config", [TEMPLATES / "config.yml"]).returncode == 0
    assert config["blank_issues_enabled"] is False
    assert config["contact_links"]


def test_error_report_form_requires_what_a_correction_needs():
    form = yaml.safe_load((TEMPLATES / "report-error.yml").read_text(encoding="utf-8"))
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}

    assert {"page", "heading", "original", "problem", "source", "suggestion"} <= required


def test_build_problem_form_asks_for_the_environment():
    form = yaml.safe_load((TEMPLATES / "build-problem.yml").read_text(encoding="utf-8"))
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}

    assert "environment" in required


def test_report_link_on_every_page_opens_the_form_with_the_page_filled_in():
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    template = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    form_name = re.search(r"report_template:\s*(\S+)", mkdocs).group(1)

    assert (TEMPLATES / form_name).is_file()
    assert "issues/new?template=" in template and "page=" in template


def test_pull_request_template_asks_for_ledger_id_source_and_checks():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")

    assert "Ledger id" in text and "Source" in text
    assert text.count("- [ ]") >= 4
    assert "pytest tests/fast" in text and "pytest tests/site" in text and "mkdocs build --strict" in text


def test_contributing_guide_covers_the_workflow():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")

    for needle in ["docs/corrections.yml", "docs/references.yml", "<!-- correction:", "<!-- proof:",
                   "pytest tests/fast", "pytest tests/site", "CC BY-SA 4.0", "MIT", "一个拉取请求（pull request）只改一处事实", "机器生成"]:
        assert needle in text, f"CONTRIBUTING.md should mention {needle!r}"


def test_licences_are_stated_in_the_repository_and_the_footer():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")

    assert "MIT License" in licence and "CC BY-SA 4.0" in licence and "no licence" in licence
    assert "CC BY-SA 4.0" in mkdocs and "MIT" in mkdocs
