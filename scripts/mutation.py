"""Mutation testing of snippets/ and hooks/: run mutmut, then print each file's mutants and the score.

    python scripts/mutation.py            # a fresh `mutmut run --max-children 2`, then the report
    python scripts/mutation.py --report   # the report of the last run (read from mutants/)

mutmut (configured under [tool.mutmut] in pyproject.toml) copies the project into mutants/, makes
small changes to the code one at a time (`+` into `-`, `<` into `<=`, a constant into another) and
runs, for each such mutant, the tests that call the changed function. A mutant that makes a test
fail is killed; one that passes every test survived: either the tests miss a behaviour, or the
change is equivalent (no input can tell it from the original). The equivalent ones are listed in
tests/mutation-equivalents.md, each with the reason, and do not count:

    score = killed / (mutants - listed equivalents)

Exit status 1 if the score is under 95 %, or if a listed equivalent no longer survives or no
longer exists (the list must describe the code as it is). Timeouts and mutants without tests count
as not killed. Which files are mutated is [tool.mutmut] only_mutate; a function marked
`# pragma: no mutate block` is not mutated at all (the report names each, and the equivalents
file says why). A run takes about an hour on two cores: 33.5 minutes for the 1,015 mutants of the
snippets other than the GAN's, 15.5 for the 524 of gan.py and gan_quality.py (measured on their own),
14 for the hooks' 2,781 (their tests take milliseconds).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation-equivalents.md"
TARGET = 0.95
# mutmut's exit codes (mutmut/stats.py, status_by_exit_code), folded into the report's columns.
STATUS = {1: "killed", 3: "killed", 37: "killed", 0: "survived", 36: "timeout", 24: "timeout", -24: "timeout",
          152: "timeout", 255: "timeout", 5: "no tests", 33: "no tests", None: "not run"}
COLUMNS = ["killed", "survived", "timeout", "no tests", "not run", "other", "equivalent"]
ROW = re.compile(r"^\|\s*`(?P<name>[\w.ǁ]+__mutmut_\d+)`\s*\|")
EXCLUDED = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)\(.*#\s*pragma:\s*no mutate block", re.M)


def mutated_files():
    """The files mutmut mutates: [tool.mutmut] only_mutate in pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    return config["only_mutate"]


def not_mutated(files):
    """The Python files of snippets/ and hooks/ that are not in only_mutate."""
    return sorted(path.relative_to(ROOT).as_posix() for folder in ("snippets", "hooks")
                  for path in (ROOT / folder).glob("*.py")
                  if path.name != "__init__.py" and path.relative_to(ROOT).as_posix() not in files)


def equivalents():
    """Mutant names listed in tests/mutation-equivalents.md (first column of its tables)."""
    return [m["name"] for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))]


def results(files):
    """{file: {mutant name: status}} from mutmut's files in mutants/."""
    out = {}
    for name in files:
        meta = ROOT / "mutants" / f"{name}.meta"
        if not meta.exists():
            sys.exit(f"{meta.relative_to(ROOT)} is missing: run `python scripts/mutation.py` first")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        out[name] = {mutant: STATUS.get(code, "other") for mutant, code in codes.items()}
    return out


def report(files):
    """Print the table, the survivors and the score; return the exit status."""
    by_file, listed = results(files), equivalents()
    status = {mutant: s for mutants in by_file.values() for mutant, s in mutants.items()}
    problems = [f"{EQUIVALENTS.relative_to(ROOT)}: {name} is not a mutant of this code (renumbered? list it again)"
                for name in listed if name not in status]
    problems += [f"{EQUIVALENTS.relative_to(ROOT)}: {name} is listed as equivalent but was {status[name]}"
                 for name in listed if name in status and status[name] != "survived"]
    equivalent = set(listed) & {name for name, s in status.items() if s == "survived"}

    width = max(len(f) for f in files) + 2
    print(f"{'file':<{width}}{'mutants':>8}" + "".join(f"{c:>11}" for c in COLUMNS) + f"{'score':>9}")
    totals = dict.fromkeys(["mutants", *COLUMNS], 0)
    for name, mutants in by_file.items():
        counts = dict.fromkeys(COLUMNS, 0)
        for mutant, s in mutants.items():
            counts["equivalent" if mutant in equivalent else s if s in counts else "other"] += 1
        counts["mutants"] = len(mutants)
        for key in totals:
            totals[key] += counts[key]
        print(f"{name:<{width}}{len(mutants):>8}" + "".join(f"{counts[c]:>11}" for c in COLUMNS) + score(counts))
    print(f"{'total':<{width}}{totals['mutants']:>8}" + "".join(f"{totals[c]:>11}" for c in COLUMNS) + score(totals))

    unrun = sum(s == "not run" for s in status.values())
    if unrun:
        problems.append(f"{unrun} mutants were not run: the last `mutmut run` stopped early")
    alive = sorted(name for name, s in status.items() if s not in ("killed", "not run") and name not in equivalent)
    if alive:
        print("\nNot killed and not listed as equivalent (`mutmut show NAME` prints the change):")
        for name in alive:
            print(f"  {name}: {status[name]}")
    print(f"\nNot mutated ({EQUIVALENTS.relative_to(ROOT)} says why): {', '.join(not_mutated(files))}")
    for name in files:
        excluded = EXCLUDED.findall((ROOT / name).read_text(encoding="utf-8"))
        if excluded:
            print(f"Not mutated in {name} (# pragma: no mutate block): {', '.join(excluded)}")
    for line in problems:
        print(line)
    denominator = totals["mutants"] - totals["equivalent"]
    value = totals["killed"] / denominator if denominator else 0.0
    print(f"\nMutation score: {totals['killed']} killed / ({totals['mutants']} mutants - {totals['equivalent']} "
          f"equivalent) = {value:.1%} (target {TARGET:.0%})")
    return 1 if value < TARGET or problems else 0


def score(counts):
    denominator = counts["mutants"] - counts["equivalent"]
    return f"{counts['killed'] / denominator:>9.1%}" if denominator else f"{'-':>9}"


def run():
    """A fresh run: mutmut keeps earlier verdicts in mutants/ even when the tests changed."""
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    # One thread per mutant: mutmut runs two at once, and torch would give each both cores.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    mutmut = Path(sys.executable).parent / "mutmut"
    return subprocess.run([str(mutmut), "run", "--max-children", "2"], cwd=ROOT, env=env).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--report", action="store_true", help="report the last run without running mutmut again")
    args = parser.parse_args(argv)
    if not args.report and run() != 0:
        return 1
    return report(mutated_files())


if __name__ == "__main__":
    sys.exit(main())
