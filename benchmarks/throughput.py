"""Print speechclean's throughput figures against the targets of docs/performance.md.

Sections, all measured in one run on the same corpus (see make_corpus.py):
1. in process, one core: the full pipeline in MB/s, and each stage of
   speechclean.pipeline.STAGES timed on its own (a slow stage shows itself);
2. the peer chain a user would assemble today (OpenCC t2s + autocorrect-py's
   format + one whitespace regex) over the same bytes, as a ratio;
3. end to end: `speechclean fix CORPUS -o OUT --jobs N -q` for N = 1, 2, and
   the write-only floor (the same number of files of the same sizes copied,
   text + a small JSON, with N processes), as a ratio;
4. peak memory per worker (the largest process of each CLI run, and a child
   that cleans the largest files with tracemalloc on);
5. scaling: 1x, 2x, 4x the corpus in process, and single files of 1, 2, 4, 8 MB;
6. adversarial inputs (runs of X, spaces, 。, one long line, many newlines),
   each at n and 5n bytes, in a child with a time limit.

MB are 10^6 bytes of input as read from disk. In-process figures are CPU
time of this process (per core, and steadier than wall time when other work
shares the machine); end-to-end figures are wall time. All are noisy on a
shared machine; nothing here asserts a timing.

Usage:
    python benchmarks/throughput.py              # full run: 20,000 files / 150 MB
    python benchmarks/throughput.py --quick      # small corpus, a minute or two
    python benchmarks/throughput.py --no-gap-model   # the rules alone, as `fix --no-gap-model`
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

MB = 1_000_000
FULL = {"files": 20_000, "mb": 150.0}
QUICK = {"files": 1_000, "mb": 8.0}
ADVERSARIAL_LIMIT_S = 300
# options of the cleaning under test, as Config keywords (--no-gap-model: {"gap_model": False})
SETTINGS: dict = {}


# ---------------------------------------------------------------- helpers

def banner(title: str) -> None:
    print(f"\n== {title}", flush=True)


def rate(nbytes: float, seconds: float) -> float:
    return nbytes / MB / seconds if seconds > 0 else float("inf")


def load_corpus(folder: Path) -> list[tuple[str, bytes, dict]]:
    """(relative path, bytes, manifest entry) for every corpus file, in manifest order."""
    manifest = json.loads((folder / make_corpus.MANIFEST).read_text("utf-8"))
    return [(e["path"], (folder / e["path"]).read_bytes(), e) for e in manifest["entries"]]


def kind_of(entry: dict) -> str:
    if entry["big"]:
        return "big single-line"
    if entry["html"]:
        return "html"
    script = "traditional" if entry["traditional"] else "simplified"
    return f"{script} {entry['encoding']}"


def cleaning_config():
    """The options of the cleaning under test: the defaults, or the rules alone with --no-gap-model."""
    from speechclean import Config

    return Config(**SETTINGS)


def option_args() -> list[str]:
    """SETTINGS as the CLI and this script's child modes read them."""
    return [] if SETTINGS.get("gap_model", True) else ["--no-gap-model"]


def run_child(args: list[str], timeout: float | None = None) -> dict:
    """Run this script in a fresh process in a child mode; return its JSON answer."""
    proc = subprocess.run([sys.executable, __file__, *option_args(), *args], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def wait_measured(cmd: list[str]) -> tuple[float, int, float, int]:
    """Run `cmd`; return (wall s, exit code, CPU s, peak RSS in MB of its largest process).

    Started through a small shim process: Linux carries the peak RSS of a
    process into whatever it exec()s, so a command started straight from this
    (large, corpus-holding) process would report this process's size.
    """
    started = time.perf_counter()
    answer = run_child(["--_measure", *cmd])
    return time.perf_counter() - started, answer["exit"], answer["cpu_s"], answer["peak_rss_mb"]


def measure_child(cmd: list[str]) -> None:
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    # ru_maxrss of wait4: the max over the child and the descendants it reaped, in KiB.
    print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "cpu_s": usage.ru_utime + usage.ru_stime,
                      "peak_rss_mb": usage.ru_maxrss // 1024}))


def peak_rss_mb() -> int:
    """This process's own high-water RSS (VmHWM starts afresh at exec, unlike ru_maxrss)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# ---------------------------------------------------------------- 1. in process

def time_stages(corpus, config) -> tuple[dict[str, float], float, dict[str, list[float]], list[tuple[float, str]]]:
    """Run every stage of STAGES over the corpus, timing each on its own.

    Mirrors run_pipeline (including its Step bookkeeping, counted as
    "pipeline overhead") and adds the sidecar, which the CLI always builds.
    """
    from speechclean.document import Document, Step
    from speechclean.pipeline import STAGES
    from speechclean.sidecar import build_sidecar, dumps

    per_stage = {stage.NAME: 0.0 for stage in STAGES}
    per_stage["pipeline overhead"] = 0.0
    per_stage["sidecar (build + JSON)"] = 0.0
    per_kind: dict[str, list[float]] = {}
    per_file: list[tuple[float, str]] = []
    clock = time.process_time
    for path, raw, entry in corpus:
        file_start = clock()
        doc = Document(raw=raw, source_path=path)
        for stage in STAGES:
            before = doc.text
            t0 = clock()
            doc, counters = stage.run(doc, config)
            t1 = clock()
            changed = doc.text != before
            doc = doc.evolve(steps=doc.steps + (Step(stage.NAME, changed, counters),))
            per_stage[stage.NAME] += t1 - t0
            per_stage["pipeline overhead"] += clock() - t1
        t0 = clock()
        dumps(build_sidecar(doc, path, config.digest()))
        per_stage["sidecar (build + JSON)"] += clock() - t0
        elapsed = clock() - file_start
        bucket = per_kind.setdefault(kind_of(entry), [0, 0.0])
        bucket[0] += len(raw)
        bucket[1] += elapsed
        per_file.append((elapsed / max(len(raw), 1) * MB, path))
    total = sum(per_stage.values())
    return per_stage, total, per_kind, sorted(per_file, reverse=True)[:5]


def warm_up(config) -> None:
    """Build what every process builds once (converter, rules, pre-check tables) before timing."""
    from speechclean import clean_bytes

    for sample in sorted(make_corpus.SAMPLES.glob("*.txt")):
        clean_bytes(sample.read_bytes(), config)
    clean_bytes(make_corpus._s2t().convert("同志们：今天开会。").encode(), config)


def section_in_process(corpus, results: dict) -> float:
    banner("1. in process, one core: full pipeline and each stage")
    config = cleaning_config()
    nbytes = sum(len(raw) for _, raw, _ in corpus)
    warm_up(config)
    gc.collect()
    wall_start = time.perf_counter()
    per_stage, total, per_kind, slowest = time_stages(corpus, config)
    wall = time.perf_counter() - wall_start
    overall = rate(nbytes, total)
    print(f"full pipeline + sidecar: {overall:6.1f} MB/s of CPU time ({nbytes / MB:.1f} MB, {len(corpus)} files, "
          f"{total:.1f} s CPU, {wall:.1f} s wall)")
    print(f"  {'stage':24s} {'MB/s':>9s} {'share':>7s} {'CPU s':>8s}")
    for name, seconds in per_stage.items():
        print(f"  {name:24s} {rate(nbytes, seconds):9.1f} {seconds / total:7.1%} {seconds:8.2f}")
    print("  by kind of file:")
    for kind, (kbytes, seconds) in sorted(per_kind.items()):
        print(f"    {kind:24s} {rate(kbytes, seconds):7.1f} MB/s over {kbytes / MB:6.1f} MB")
    print("  slowest files (s per MB): " + ", ".join(f"{path} {cost:.2f}" for cost, path in slowest))
    results["in_process"] = {"mb_per_s": overall, "seconds": total, "bytes": nbytes, "files": len(corpus),
                             "stages": {k: {"seconds": v, "mb_per_s": rate(nbytes, v)} for k, v in per_stage.items()},
                             "kinds": {k: rate(b, s) for k, (b, s) in per_kind.items()}}
    return overall


# ---------------------------------------------------------------- 2. peer chain

def section_peer(corpus, ours: float, results: dict) -> None:
    banner("2. peer chain over the same bytes: OpenCC t2s + autocorrect-py format + one whitespace regex")
    try:
        import autocorrect_py
    except ImportError:
        print("autocorrect-py is not installed (pip install autocorrect-py into the venv): peer chain skipped")
        results["peer"] = None
        return
    import opencc
    import regex

    t2s = opencc.OpenCC("t2s")
    spaces = regex.compile(r"[ \t\u3000\u00a0]+")
    nbytes = sum(len(raw) for _, raw, _ in corpus)
    stage_time = {"decode": 0.0, "opencc t2s": 0.0, "autocorrect format": 0.0, "whitespace regex": 0.0}
    clock = time.process_time
    for _, raw, _ in corpus:
        t0 = clock()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
        t1 = clock()
        text = t2s.convert(text)
        t2 = clock()
        text = autocorrect_py.format(text)
        t3 = clock()
        spaces.sub(" ", text)
        t4 = clock()
        stage_time["decode"] += t1 - t0
        stage_time["opencc t2s"] += t2 - t1
        stage_time["autocorrect format"] += t3 - t2
        stage_time["whitespace regex"] += t4 - t3
    total = sum(stage_time.values())
    peer = rate(nbytes, total)
    print(f"peer chain: {peer:6.1f} MB/s ({total:.1f} s)   speechclean / peer = {ours / peer:.2f}x")
    print("  " + ", ".join(f"{k} {rate(nbytes, v):.0f} MB/s" for k, v in stage_time.items()))
    results["peer"] = {"mb_per_s": peer, "ratio": ours / peer,
                       "stages": {k: rate(nbytes, v) for k, v in stage_time.items()}}


# ---------------------------------------------------------------- 3. end to end

def cli_has_jobs(speechclean: str) -> bool:
    help_text = subprocess.run([speechclean, "fix", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in help_text


def floor_child(source: str, out: str, procs: int) -> None:
    """Copy every corpus file (text) and write a small JSON beside it, with `procs` processes."""
    import multiprocessing

    entries = json.loads((Path(source) / make_corpus.MANIFEST).read_text("utf-8"))["entries"]
    paths = [e["path"] for e in entries]
    chunks = [paths[i::procs] for i in range(procs)]
    started = time.perf_counter()
    if procs == 1:
        _copy_files(source, out, chunks[0])
    else:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            pool.starmap(_copy_files, [(source, out, chunk) for chunk in chunks])
    print(json.dumps({"seconds": time.perf_counter() - started, "files": len(paths)}))


def _copy_files(source: str, out: str, paths: list[str]) -> None:
    made = set()
    for rel in paths:
        data = (Path(source) / rel).read_bytes()
        target = Path(out) / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target.with_suffix(".txt"), "wb") as handle:
            handle.write(data)
        sidecar = {"source": {"path": rel, "bytes": len(data)}, "output": {"path": str(target)}, "warnings": []}
        with open(target.with_suffix(".json"), "w", encoding="utf-8") as handle:
            handle.write(json.dumps(sidecar, indent=2) + "\n")


def section_end_to_end(corpus_dir: Path, corpus, scratch: Path, results: dict) -> None:
    banner("3. end to end: CLI vs the write-only floor (same files, same sizes, text + small JSON)")
    speechclean = shutil.which("speechclean", path=str(Path(sys.executable).parent)) or shutil.which("speechclean")
    if not speechclean:
        print("speechclean is not on PATH: end-to-end section skipped")
        return
    nbytes = sum(len(raw) for _, raw, _ in corpus)
    files = len(corpus)
    has_jobs = cli_has_jobs(speechclean)
    if not has_jobs:
        print("NOTE: this speechclean has no --jobs option: both CLI runs are a single process (no --jobs passed)")
    rows = []
    results["end_to_end"] = {"has_jobs": has_jobs, "runs": {}}
    for jobs in (1, 2):
        out = scratch / f"cli-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = ([speechclean, "fix", str(corpus_dir), "-o", str(out), "-q", *option_args()]
               + (["--jobs", str(jobs)] if has_jobs else []))
        wall, code, cpu, rss = wait_measured(cmd)
        written = sum(1 for _ in out.rglob("*.txt")) if out.exists() else 0
        shutil.rmtree(out, ignore_errors=True)
        floor_out = scratch / f"floor-{jobs}"
        shutil.rmtree(floor_out, ignore_errors=True)
        floor = run_child(["--_floor", str(corpus_dir), str(floor_out), str(jobs)])
        shutil.rmtree(floor_out, ignore_errors=True)
        floor_rate = floor["files"] / floor["seconds"]
        cli_rate = files / wall
        label = f"--jobs {jobs}" if has_jobs else f"(no --jobs; run {jobs})"
        rows.append((label, cli_rate, rate(nbytes, wall), wall, cpu, rss, code, written, floor_rate))
        results["end_to_end"]["runs"][str(jobs)] = {
            "files_per_s": cli_rate, "mb_per_s": rate(nbytes, wall), "seconds": wall, "cpu_s": cpu,
            "peak_rss_mb": rss, "exit": code, "written": written,
            "floor_files_per_s": floor_rate, "floor_mb_per_s": rate(nbytes, floor["seconds"]),
            "ratio_to_floor": cli_rate / floor_rate}
        print(f"  CLI {label:18s} {cli_rate:7.0f} files/s {rate(nbytes, wall):6.1f} MB/s  {wall:6.1f} s wall "
              f"{cpu:6.1f} s CPU  peak RSS {rss} MB  exit {code}  {written} texts written")
        print(f"  floor, {jobs} process(es)  {floor_rate:7.0f} files/s {rate(nbytes, floor['seconds']):6.1f} MB/s  "
              f"{floor['seconds']:6.1f} s   CLI / floor = {cli_rate / floor_rate:.1%}")


# ---------------------------------------------------------------- 4. memory

def memory_child(corpus_dir: str, count: int) -> None:
    """Peak memory of one worker that cleans the `count` largest files of the corpus."""
    import tracemalloc

    from speechclean import clean_bytes
    from speechclean.sidecar import dumps

    entries = json.loads((Path(corpus_dir) / make_corpus.MANIFEST).read_text("utf-8"))["entries"]
    largest = sorted(entries, key=lambda e: e["bytes"], reverse=True)[:count]
    config = cleaning_config()
    clean_bytes("同志们：\n今天开会。".encode(), config)  # import and warm every stage
    baseline = peak_rss_mb()
    for entry in largest:
        dumps(clean_bytes((Path(corpus_dir) / entry["path"]).read_bytes(), config).sidecar)
    peak = peak_rss_mb()
    tracemalloc.start()
    raw = (Path(corpus_dir) / largest[0]["path"]).read_bytes()
    dumps(clean_bytes(raw, config).sidecar)
    traced = tracemalloc.get_traced_memory()[1] / MB
    print(json.dumps({"baseline_mb": baseline, "peak_mb": peak, "largest_bytes": largest[0]["bytes"],
                      "traced_peak_mb": traced, "files": len(largest)}))


def section_memory(corpus_dir: Path, results: dict) -> None:
    banner("4. peak memory per worker")
    answer = run_child(["--_memory", str(corpus_dir), "5"])
    largest_mb = answer["largest_bytes"] / MB
    budget = 200 + 10 * largest_mb
    print(f"  one worker cleaning the {answer['files']} largest files (largest {largest_mb:.1f} MB): "
          f"peak RSS {answer['peak_mb']} MB (after imports {answer['baseline_mb']} MB); "
          f"budget 200 MB + 10 x largest = {budget:.0f} MB")
    print(f"  Python allocations while cleaning the largest file (tracemalloc peak): "
          f"{answer['traced_peak_mb']:.0f} MB = {answer['traced_peak_mb'] / largest_mb:.1f} x its size")
    e2e = results.get("end_to_end", {}).get("runs", {})
    if e2e:
        print("  largest process of each CLI run: " + ", ".join(f"jobs {j}: {r['peak_rss_mb']} MB" for j, r in e2e.items()))
    results["memory"] = dict(answer, budget_mb=budget)


# ---------------------------------------------------------------- 5. scaling

def section_scaling(corpus, base_fraction: float, results: dict) -> None:
    from speechclean import clean_bytes
    from speechclean.sidecar import dumps

    banner("5. scaling (in process): the corpus repeated 1x, 2x, 4x; single files of 1, 2, 4, 8 MB")
    config = cleaning_config()
    warm_up(config)
    base = corpus[: max(1, int(len(corpus) * base_fraction))]
    nbytes = sum(len(raw) for _, raw, _ in base)
    times = {}
    for factor in (1, 2, 4):
        gc.collect()
        started = time.process_time()
        for _ in range(factor):
            for path, raw, _ in base:
                dumps(clean_bytes(raw, config, source_path=path).sidecar)
        times[factor] = time.process_time() - started
    label = "corpus" if base_fraction >= 1 else f"{base_fraction:.0%} of the corpus"
    print(f"  {label} ({nbytes / MB:.1f} MB): " + ", ".join(
        f"{f}x {t:.1f} s ({t / times[1]:.2f}x, {rate(f * nbytes, t):.1f} MB/s)" for f, t in times.items()))
    text = _sample_text()
    single: dict[int, float] = {}
    stages: dict[int, dict[str, float]] = {}
    for size in (1, 2, 4, 8):
        raw = _sized(text, size * MB)
        runs = []
        for _ in range(2):
            gc.collect()
            runs.append(stage_times(raw, config))
        stages[size] = min(runs, key=lambda r: sum(r.values()))
        single[size] = sum(stages[size].values())
    print("  single file built from the samples (best of 2): " + ", ".join(
        f"{s} MB {t:.2f} s ({t / single[1]:.2f}x)" for s, t in single.items()))
    print("  8 MB / 1 MB per stage: " + ", ".join(
        f"{name} {stages[8][name] / max(stages[1][name], 1e-4):.1f}x ({stages[8][name]:.2f} s)"
        for name in stages[8]))
    results["scaling"] = {"corpus_seconds": times, "corpus_bytes": nbytes, "single_seconds": single,
                          "single_stages": stages,
                          "corpus_4x_ratio": times[4] / times[1], "single_8mb_ratio": single[8] / single[1]}


def stage_times(raw: bytes, config) -> dict[str, float]:
    """CPU seconds of each stage, and of the sidecar, cleaning one input."""
    from speechclean.document import Document
    from speechclean.pipeline import STAGES
    from speechclean.sidecar import build_sidecar, dumps

    doc = Document(raw=raw)
    times = {}
    for stage in STAGES:
        started = time.process_time()
        doc, _ = stage.run(doc, config)
        times[stage.NAME] = time.process_time() - started
    started = time.process_time()
    dumps(build_sidecar(doc, None, config.digest()))
    times["sidecar"] = time.process_time() - started
    return times


def _sample_text() -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in sorted(make_corpus.SAMPLES.glob("*.txt")))


def _sized(text: str, nbytes: int) -> bytes:
    unit = text.encode("utf-8")
    data = unit * (nbytes // len(unit) + 1)
    return data[:nbytes].decode("utf-8", errors="ignore").encode("utf-8")


# ---------------------------------------------------------------- 6. adversarial

ADVERSARIAL = {
    "X run": lambda n: b"X" * n,
    "space run": lambda n: b" " * n,
    "\u3002 run": lambda n: "\u3002".encode() * (n // 3),
    "one long line": lambda n: _sized("".join(make_corpus.sentence_pool()), n),
    "newlines only": lambda n: b"\n" * n,
    "one-char lines": lambda n: "\u5b57\n".encode() * (n // 4),
}


def adversarial_child(name: str, nbytes: int) -> None:
    config = cleaning_config()
    warm_up(config)
    raw = ADVERSARIAL[name](nbytes)
    stages = stage_times(raw, config)
    print(json.dumps({"bytes": len(raw), "seconds": sum(stages.values()), "stages": stages}))


def section_adversarial(corpus_cost: float, quick: bool, results: dict) -> None:
    banner("6. adversarial inputs: cost per MB at n and 5n bytes (child process, limit "
           f"{ADVERSARIAL_LIMIT_S} s each)")
    print(f"  corpus average for comparison: {corpus_cost:.3f} s/MB")
    sizes = {
        "X run": 5 * MB, "space run": 5 * MB, "\u3002 run": 5 * MB, "one long line": 5 * MB,
        "newlines only": 100_000, "one-char lines": 400_000,
    }
    results["adversarial"] = {}
    for name, large in sizes.items():
        large = large // 5 if quick else large
        row = {}
        for nbytes in (large // 5, large):
            try:
                row[nbytes] = run_child(["--_adversarial", name, str(nbytes)], timeout=ADVERSARIAL_LIMIT_S)
            except subprocess.TimeoutExpired:
                row[nbytes] = None
        small, big = row[large // 5], row[large]
        if big is None or small is None:
            print(f"  {name:15s} TIMED OUT (> {ADVERSARIAL_LIMIT_S} s) at {large if big is None else large // 5} bytes")
            results["adversarial"][name] = None
            continue
        cost = big["seconds"] / (big["bytes"] / MB)
        worst = max(big["stages"], key=big["stages"].get)
        print(f"  {name:15s} {big['bytes'] / MB:5.2f} MB {big['seconds']:7.2f} s = {cost:7.3f} s/MB "
              f"({cost / corpus_cost:5.1f}x corpus), 5n/n = {big['seconds'] / small['seconds']:5.2f}, "
              f"slowest stage {worst} {big['stages'][worst]:.2f} s")
        results["adversarial"][name] = {"bytes": big["bytes"], "seconds": big["seconds"], "s_per_mb": cost,
                                        "ratio_5n_n": big["seconds"] / small["seconds"], "stages": big["stages"]}


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print speechclean throughput figures.")
    parser.add_argument("--quick", action="store_true", help=f"small corpus ({QUICK['files']} files, {QUICK['mb']:.0f} MB)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (made with make_corpus.py if missing)")
    parser.add_argument("--scratch", type=Path, help="where CLI outputs go (default: a temporary folder)")
    parser.add_argument("--scaling-base", type=float, default=1.0,
                        help="share of the corpus taken as 1x in the scaling check (default 1 = the whole corpus)")
    parser.add_argument("--skip", action="append", default=[], choices=["peer", "e2e", "memory", "scaling", "adversarial"])
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--no-gap-model", action="store_true",
                        help="measure the rules alone, as `speechclean fix --no-gap-model` cleans")
    args = parser.parse_args(argv)
    if args.no_gap_model:
        SETTINGS["gap_model"] = False

    size = QUICK if args.quick else FULL
    corpus_dir = args.corpus or (Path(tempfile.gettempdir()) / "speechclean-quick-corpus" if args.quick
                                 else make_corpus.DEFAULT_OUT)
    manifest = corpus_dir / make_corpus.MANIFEST
    if not manifest.exists() or (json.loads(manifest.read_text("utf-8"))["files"] != size["files"] and not args.corpus):
        print(f"making the corpus in {corpus_dir} ({size['files']} files, {size['mb']:.0f} MB) ...", flush=True)
        make_corpus.write_corpus(corpus_dir, size["files"], int(size["mb"] * MB))
    corpus = load_corpus(corpus_dir)
    import speechclean

    print(f"speechclean {speechclean.__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"corpus {corpus_dir}: {len(corpus)} files, {sum(len(r) for _, r, _ in corpus) / MB:.1f} MB"
          + (f", options {' '.join(option_args())}" if option_args() else ""))
    results: dict = {}
    started = time.perf_counter()
    ours = section_in_process(corpus, results)
    if "peer" not in args.skip:
        section_peer(corpus, ours, results)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="speechclean-bench-"))
    try:
        if "e2e" not in args.skip:
            section_end_to_end(corpus_dir, corpus, scratch, results)
    finally:
        if not args.scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    if "memory" not in args.skip:
        section_memory(corpus_dir, results)
    if "scaling" not in args.skip:
        section_scaling(corpus, args.scaling_base, results)
    if "adversarial" not in args.skip:
        section_adversarial(results["in_process"]["seconds"] / (results["in_process"]["bytes"] / MB), args.quick, results)
    print_targets(results)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", "utf-8")
    return 0


def print_targets(results: dict) -> None:
    banner("targets")

    def line(ok: bool | None, text: str) -> None:
        print(f"  [{'--' if ok is None else 'ok' if ok else 'MISS'}] {text}")

    ours = results["in_process"]["mb_per_s"]
    line(ours >= 15, f"in process >= 15 MB/s per core: {ours:.1f} MB/s")
    peer = results.get("peer")
    line(None if not peer else peer["ratio"] > 1, "faster than the peer chain: " + (f"{peer['ratio']:.2f}x" if peer else "not measured"))
    runs = results.get("end_to_end", {}).get("runs", {})
    if "2" in runs:
        ratio = runs["2"]["ratio_to_floor"]
        note = "" if results["end_to_end"]["has_jobs"] else " (CLI has no --jobs: single process)"
        line(ratio >= 0.7, f"--jobs 2 >= 70 % of the write-only floor (2 processes): {ratio:.1%}{note}")
    scaling = results.get("scaling")
    if scaling:
        line(scaling["corpus_4x_ratio"] <= 4.4, f"4x corpus <= 4.4x base: {scaling['corpus_4x_ratio']:.2f}x")
        line(scaling["single_8mb_ratio"] <= 8.8, f"8 MB file <= 8.8x the 1 MB file: {scaling['single_8mb_ratio']:.2f}x")
    adversarial = results.get("adversarial")
    if adversarial:
        ratios = {k: v["ratio_5n_n"] for k, v in adversarial.items() if v}
        timed_out = [k for k, v in adversarial.items() if v is None]
        worst = max(ratios, key=ratios.get) if ratios else None
        ok = not timed_out and all(r <= 6 for r in ratios.values())
        line(ok, "adversarial inputs linear (5n/n <= 6): " + (f"worst {worst} {ratios[worst]:.2f}" if worst else "")
             + (f"; timed out: {', '.join(timed_out)}" if timed_out else ""))
    memory = results.get("memory")
    if memory:
        line(memory["peak_mb"] <= memory["budget_mb"],
             f"peak memory per worker <= 200 MB + 10 x largest file: {memory['peak_mb']} MB of {memory['budget_mb']:.0f} MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--no-gap-model"] and sys.argv[2:3] and sys.argv[2].startswith("--_"):
        del sys.argv[1]  # a child mode of a --no-gap-model run (run_child puts the option first)
        SETTINGS["gap_model"] = False
    if len(sys.argv) > 1 and sys.argv[1] == "--_measure":
        measure_child(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--_floor":
        floor_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--_memory":
        memory_child(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--_adversarial":
        adversarial_child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
