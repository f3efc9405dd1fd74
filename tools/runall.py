"""Run All of every run notebook, as a user would in JupyterLab, in a headless kernel; then check `git status`.

The run notebooks (`nbs/10_train_sae` ... `nbs/50_explore`, and `nbs/index`) are executed top to bottom with
papermill (nbclient underneath, the `python3` kernel named in their metadata), in order, with `preset` set to
`--preset` (smoke by default) and nothing else: no IN_TEST, no temporary folders. So they train, evaluate and
draw into `runs/<preset>/` of this checkout, each one finding what the previous one made, exactly as on a user's
fresh clone. Afterwards `git status --porcelain` must be what it was before: a notebook that writes into the
committed `figures/` (or anywhere tracked) fails the check.

The library notebooks (`nbs/api/`) are not run here: `make test` runs their cells (except `#| slow` ones
without FLAGS=slow), and `nbs/api/90_project.ipynb` checks statically what breaks Run All in Jupyter that
nbdev_test cannot see (a missing kernelspec, an unguarded `main()`).

Usage: python tools/runall.py [--preset smoke] [--out DIR] [names...]     (prints one line per notebook and
`runall: N notebooks in S s, git status unchanged`; exit 1 on a failure)
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path

ORDER = ["10_train_sae", "20_train_dit", "30_evaluate", "40_tables", "41_figures", "50_explore", "index"]
NO_PARAMETERS = {"index"}

def git_status(root: Path) -> str:
    "`git status --porcelain` plus the hash of `git diff`: a tracked file changed further shows up too."
    run = lambda *a: subprocess.run(["git", *a], cwd=root, capture_output=True, text=True, check=True).stdout
    import hashlib
    return run("status", "--porcelain", "--untracked-files=all") + "diff " + hashlib.sha1(run("diff").encode()).hexdigest() + "\n"

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help=f"notebooks to run, in this order (default: {' '.join(ORDER)})")
    ap.add_argument("--preset", default="smoke")
    ap.add_argument("--out", default=None, help="where the executed copies go (default: a temporary folder)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    a = ap.parse_args()
    import papermill as pm
    root = Path(__file__).resolve().parent.parent
    nbs = root / "nbs"
    before = git_status(root)
    out = Path(a.out or tempfile.mkdtemp(prefix="runall-"))
    out.mkdir(parents=True, exist_ok=True)
    env_in_test = os.environ.pop("IN_TEST", None)          # a user's kernel has no IN_TEST
    t00, failed = time.time(), []
    for name in a.names or ORDER:
        params = {} if name in NO_PARAMETERS else dict(preset=a.preset)
        t0 = time.time()
        try:
            pm.execute_notebook(str(nbs / f"{name}.ipynb"), str(out / f"{name}.ipynb"), parameters=params, cwd=str(nbs),
                                kernel_name="python3", progress_bar=False, execution_timeout=a.timeout)
            print(f"PASS {time.time() - t0:7.1f}s  nbs/{name}.ipynb", flush=True)
        except Exception as e:
            failed.append(name)
            print(f"FAIL {time.time() - t0:7.1f}s  nbs/{name}.ipynb\n    " + str(e).strip().replace("\n", "\n    ")[-4000:], flush=True)
    if env_in_test is not None: os.environ["IN_TEST"] = env_in_test
    after = git_status(root)
    changed = sorted(set(after.splitlines()) - set(before.splitlines()))
    if changed: print("git status changed by the notebooks:\n    " + "\n    ".join(changed))
    n = len(a.names or ORDER)
    print(f"{n - len(failed)} of {n} notebooks ran to the end in {time.time() - t00:.0f} s, "
          f"git status {'changed' if changed else 'unchanged'} (executed copies: {out})")
    print(f"runall: {n - len(failed) - bool(changed and not failed)} passed, {len(failed) + bool(changed and not failed)} failed")
    sys.exit(1 if failed or changed else 0)

if __name__ == "__main__":
    main()
