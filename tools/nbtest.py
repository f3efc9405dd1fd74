"""Run every notebook's tests with nbdev_test, one notebook per process, and count them.

nbdev_test prints only `Success.` or the failures; this wrapper runs it once per notebook (two at a time by
default), prints one line per notebook with its wall time, shows the failures, and ends with the plain line
`N passed, N failed` that CI looks for. Usage: python tools/nbtest.py [--flags "slow"] [--workers 2] [paths...]

Every notebook runs with empty weight caches (HF_HOME, HF_HUB_CACHE and TORCH_HOME point at a temporary
folder; DINO_SAE_WEIGHTS is unset), so the tests do not depend on what this machine has downloaded:
a cache that already holds LPIPS, DINOv3 or Inception weights (or broken files under their names) would
otherwise turn the "random / offline" paths the tests check into others. NBTEST_KEEP_CACHES=1 turns this off.

The notebooks start longest first (the seconds of `tools/nbtest_seconds.json`; a notebook it does not list
starts before all others), so that the two workers finish together instead of one running the last long
notebook alone: replayed on the notebook times of three CI runs (`make test FLAGS=slow`, 2 workers), alphabetical order
ends after 663 / 728 / 726 s, longest first after 592 / 645 / 620 s (the ideal, half the sum, is 591 / 645 /
619 s). The file only orders the work; `--save-times` rewrites it from a run (median of CI runs is better). After the
issue-13 split, the new notebooks and those whose tests moved (time off by > 30 %) took the CI run of 74debc9.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

TIMES = Path(__file__).with_name("nbtest_seconds.json")

def find_notebooks(paths):
    from nbdev.doclinks import nbglob          # the same file selection rules as nbdev_test
    if paths:
        return [str(Path(p).resolve()) for p in paths]
    return sorted(nbglob(skip_file_re=r'^[_.]', skip_folder_re=r'^[_.]'))

def longest_first(nbs, seconds: dict, root: Path) -> list:
    "`nbs` by expected seconds, longest first; notebooks without a time first of all (in their given order)."
    return sorted(nbs, key=lambda nb: -seconds.get(os.path.relpath(nb, root), float("inf")))

def run_one(nb, flags, timeout):
    t0 = time.time()
    cmd = [str(Path(sys.executable).with_name("nbdev_test")), "--path", nb, "--n_workers", "0"]
    if flags: cmd += ["--flags", flags]
    env = dict(os.environ)
    # two notebooks run at a time on a 2-core machine: one intra-op thread each, or OpenMP threads spin-wait on
    # each other (measured: 7-50x slower training steps)
    for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"): env.setdefault(k, "1")
    caches = None
    if os.environ.get("NBTEST_KEEP_CACHES", "0") in ("", "0"):
        caches = tempfile.TemporaryDirectory(prefix="nbtest-caches-")
        env.update(HF_HOME=f"{caches.name}/hf", HF_HUB_CACHE=f"{caches.name}/hf/hub", TORCH_HOME=f"{caches.name}/torch")
        env.pop("DINO_SAE_WEIGHTS", None)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        ok, out = p.returncode == 0 and "Success." in p.stdout, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        ok, out = False, f"timed out after {timeout} s\n" + ((e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""))
    return nb, ok, time.time() - t0, out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--flags", default="")
    ap.add_argument("--workers", type=int, default=int(os.environ.get("NBTEST_WORKERS", 2)))
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("NBTEST_TIMEOUT", 1500)))
    ap.add_argument("--save-times", action="store_true", help=f"write this run's seconds per notebook into {TIMES.name}")
    a = ap.parse_args()
    root = Path.cwd()
    seconds = json.loads(TIMES.read_text()) if TIMES.is_file() else {}
    nbs = longest_first(find_notebooks(a.paths), seconds, root)
    passed, failed, took = [], [], {}
    with ThreadPoolExecutor(a.workers) as ex:
        for f in as_completed([ex.submit(run_one, n, a.flags, a.timeout) for n in nbs]):
            nb, ok, dt, out = f.result()
            rel = os.path.relpath(nb, root)
            print(f"{'PASS' if ok else 'FAIL'} {dt:7.1f}s  {rel}", flush=True)
            (passed if ok else failed).append(rel); took[rel] = round(dt)
            if not ok: print("    " + out.strip().replace("\n", "\n    ")[-6000:], flush=True)
    if a.save_times: TIMES.write_text(json.dumps(dict(sorted({**seconds, **took}.items())), indent=1) + "\n")
    print(f"{len(passed)} passed, {len(failed)} failed")
    sys.exit(1 if failed or not nbs else 0)

if __name__ == "__main__":
    main()
