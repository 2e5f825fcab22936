"""Under mutmut, a hook imported by its bare name is the module `hooks.<name>` (tests/conftest.py),
so mutmut's trampolines find the module names they were made with."""
import importlib.util
import sys

from pages import ROOT

spec = importlib.util.spec_from_file_location("tests_conftest", ROOT / "tests" / "conftest.py")
tests_conftest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tests_conftest)
finder = tests_conftest.HookByPackageName()


def test_a_bare_hook_name_gives_the_hooks_package_module_under_its_own_name():
    found = finder.find_spec("markers")
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)

    assert module is sys.modules["hooks.markers"]
    assert module.__name__ == module.__spec__.name == "hooks.markers"
    assert module.map_lines.__module__ == "hooks.markers"


def test_other_names_are_left_to_the_usual_finders():
    assert finder.find_spec("json") is None                       # not a hook
    assert finder.find_spec("hooks.markers") is None              # already dotted
    assert finder.find_spec("markers", path=[str(ROOT)]) is None  # a submodule of some package
