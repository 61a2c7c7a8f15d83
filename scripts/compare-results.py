#!/usr/bin/env python3
"""Compare the results files of two `make figures` runs, leaving out what must differ between runs.

Usage:
  scripts/compare-results.py FIGURES_A FIGURES_B      # two figures/ folders already made
  scripts/compare-results.py --revs REV_A REV_B       # check out both revisions, run `make -j2 figures` in each, compare

Every JSON file under figures/ (results.json of each experiment and study, figures/info/*.json,
figures/twin/twin.json) is loaded and compared value by value, without `provenance` (commit, time,
config digest, …) and without wall-clock timings (`seconds`, `stages`); the checkout's own folder in
paths is written as <checkout>, so two clones in different folders compare equal. Exit status 0 when every
file is identical under that rule, 1 otherwise; each difference is printed with its JSON path.
With --revs, the revisions are checked out as git worktrees under a temporary folder with
`../shared` beside them (a link to this checkout's), so each run sees the same data; the worktrees
are removed after the comparison. MAKE_TARGET overrides `figures` (e.g. `figures REPLICATES=…`).
"""
import json
import os
import subprocess
import sys
import tempfile

IGNORED = {"provenance", "seconds", "stages"}


def strip(value, checkout):
    """The value without ignored keys, with the checkout's own path written as <checkout>."""
    if isinstance(value, dict):
        return {k: strip(v, checkout) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [strip(v, checkout) for v in value]
    if isinstance(value, str):
        return value.replace(checkout, "<checkout>")
    return value


def differences(a, b, path="$"):
    if type(a) is not type(b):
        yield f"{path}: {json.dumps(a)[:80]} ≠ {json.dumps(b)[:80]}"
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                yield f"{path}.{k}: only in {'B' if k not in a else 'A'}"
            else:
                yield from differences(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items ≠ {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {json.dumps(a)[:80]} ≠ {json.dumps(b)[:80]}"


def checkout(figures_root):
    return os.path.dirname(os.path.abspath(figures_root))


def json_files(root):
    found = set()
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".json") and "/bench" not in folder:
                found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def compare(root_a, root_b):
    files_a, files_b = json_files(root_a), json_files(root_b)
    if not files_a and not files_b:
        print(f"compare-results: no results JSON under {root_a} or {root_b}; run `make figures` first", file=sys.stderr)
        return False
    problems = 0
    for rel in sorted(files_a | files_b):
        if rel not in files_a or rel not in files_b:
            print(f"{rel}: only in {'B' if rel not in files_a else 'A'}")
            problems += 1
            continue
        with open(os.path.join(root_a, rel)) as fa, open(os.path.join(root_b, rel)) as fb:
            diffs = list(differences(strip(json.load(fa), checkout(root_a)), strip(json.load(fb), checkout(root_b))))
        print(f"{rel}: {'identical' if not diffs else f'{len(diffs)} differences'}")
        for d in diffs[:20]:
            print(f"    {d}")
        if len(diffs) > 20:
            print(f"    … and {len(diffs) - 20} more")
        problems += bool(diffs)
    print(f"compare-results: {len(files_a | files_b)} files, {problems} differ (provenance and timings left out)")
    return problems == 0


def run_revision(repo, rev, scratch):
    checkout = os.path.join(scratch, rev.replace("/", "_"), "main")
    os.makedirs(os.path.dirname(checkout), exist_ok=True)
    os.symlink(os.path.abspath(os.path.join(repo, "..", "shared")), os.path.join(os.path.dirname(checkout), "shared"))
    subprocess.run(["git", "-C", repo, "worktree", "add", "--detach", checkout, rev], check=True)
    target = os.environ.get("MAKE_TARGET", "figures").split()
    print(f"compare-results: make -j2 {' '.join(target)} at {rev} in {checkout}", flush=True)
    subprocess.run(["make", "-j2"] + target, cwd=checkout, check=True)
    return checkout


def main(argv):
    if len(argv) == 3 and argv[0] == "--revs":
        repo = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
        scratch = tempfile.mkdtemp(prefix="compare-results-")
        checkouts = [run_revision(repo, rev, scratch) for rev in argv[1:]]
        try:
            same = compare(*(os.path.join(c, "figures") for c in checkouts))
        finally:
            for c in checkouts:
                subprocess.run(["git", "-C", repo, "worktree", "remove", "--force", c], check=False)
        return 0 if same else 1
    if len(argv) == 2:
        return 0 if compare(*argv) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
