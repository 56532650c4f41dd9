"""The command line: parse, build a Config, call the API, render the report.

Exit codes (decided in report.py):
  0    success
  1    --check / --diff: some output would be written
  2    usage or configuration error
  123  some inputs failed while the others were written
  130  interrupted
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from . import __version__, clean_bytes
from .batch import CHECK, DIFF, WRITE, Interrupt, Options, PlanError, in_shard, plan, run_jobs, write_atomic
from .config import Config, ConfigError, find_config_file, load_config_file, parse_size
from .report import EXIT_OK, EXIT_SOME_FAILED, EXIT_STDOUT_CLOSED, EXIT_USAGE, FAILED, Report
from .sidecar import dumps
from .stages.decode import DecodeError

EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    --check/--diff: some output is missing or stale
  2    usage or configuration error
  123  some inputs failed (the others were written)
  130  interrupted (finished outputs are whole; rerun to finish)
  141  stdout was closed by its reader (e.g. piped into head)"""


class SizeType(click.ParamType):
    """A byte size: 50MB, 10MiB, 2G or a plain number of bytes."""

    name = "SIZE"

    def convert(self, value, param, ctx):
        try:
            return parse_size(value)
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


def _shard(ctx, param, value):
    """`I/N` -> (I, N), 1 <= I <= N."""
    if value is None:
        return None
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not I/N (e.g. 3/10)") from None
    if not 1 <= index <= count:
        raise click.BadParameter(f"{value!r}: I must be between 1 and N")
    return index, count


def _load_config(ctx, param, value):
    """Read --config FILE, or the config file of the working directory, into click's defaults.

    Values from the file become defaults, so any flag given overrides them.
    """
    try:
        path = Path(value) if value else find_config_file(Path.cwd())
        settings = load_config_file(path) if path else {}
    except ConfigError as exc:
        raise click.UsageError(str(exc), ctx) from None
    ctx.default_map = {**(ctx.default_map or {}), **settings}
    return path


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="speechclean")
def main() -> None:
    """Clean raw dumps of Chinese speech texts into clean texts plus JSON sidecars."""


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Folder for clean texts and sidecars (required for folders and several files).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), is_eager=True,
              callback=_load_config, expose_value=False,
              help="Read settings from this TOML file instead of speechclean.toml or pyproject.toml [tool.speechclean].")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes (default 0: one per available CPU).")
@click.option("--check", is_flag=True, help="Write nothing; list outputs that are missing or stale; exit 1 if any.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of every output that would change; exit 1 if any.")
@click.option("--force", is_flag=True, help="Clean every input again, even when its output is up to date.")
@click.option("--shard", callback=_shard, metavar="I/N",
              help="Process only the I-th (1-based) of N deterministic shards of the inputs.")
@click.option("--report", "report_to", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write one JSON line per input and a final summary line to FILE ('-' for stdout).")
@click.option("--max-size", type=SizeType(), default="50MB", show_default=True,
              help="Refuse inputs larger than this (e.g. 10MB, 1GiB; 0 for no limit).")
@click.option("--sidecar", "sidecar_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With a single FILE or '-': also write the sidecar here.")
@click.option("--json", "as_json", is_flag=True, help="With a single FILE or '-': print {\"text\", \"sidecar\"} as JSON.")
@click.option("--encoding", default=None, help="Force the input encoding (e.g. gb18030, big5, utf-16) instead of detecting it.")
@click.option("--script", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Traditional to simplified: when detected, always, or never.")
@click.option("--masks", type=click.Choice(["keep", "unify"]), default="keep", show_default=True,
              help="Keep masks as written, or unify them to --mask-token.")
@click.option("--mask-token", default="××", show_default=True, help="Token for --masks unify and --fill-gaps.")
@click.option("--fill-gaps", is_flag=True, help="Insert the mask token at high-confidence gaps.")
@click.option("--gap-model/--no-gap-model", default=True, show_default=True,
              help="Also report the gaps a statistical model of their context finds, weighed by how many "
                   "the rules found in the document (--no-gap-model: the rules alone, about twice as fast).")
@click.option("--rules", multiple=True, type=click.Path(dir_okay=False),
              help="Extra chrome rules file (TOML); may be repeated.")
@click.option("--disable-rule", multiple=True, metavar="ID", help="Switch a rule off by id; may be repeated.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def fix(paths, out_dir, jobs, check, diff, force, shard, report_to, max_size, sidecar_path, as_json, encoding,
        script, masks, mask_token, fill_gaps, gap_model, rules, disable_rule, quiet) -> None:
    """Clean PATHS (files, folders, or '-' for stdin).

    \b
    speechclean fix dumps/ -o clean/     every dump under dumps/ -> clean/<path>.txt + .json
    speechclean fix a.txt                clean text to stdout
    cat a.txt | speechclean fix -        the same from stdin
    speechclean fix dumps/ -o clean/ --check     exit 1 if any output is missing or stale
    """
    try:
        config = Config(encoding=encoding, script=script, masks=masks, mask_token=mask_token,
                        fill_gaps=fill_gaps, gap_model=gap_model, rules_files=tuple(rules),
                        disabled_rules=frozenset(disable_rule), max_size=max_size)
        from .ruleset import chrome_rules

        chrome_rules(config.rules_files, config.disabled_rules)
    except ConfigError as exc:
        _fail_usage(str(exc))
    if check and diff:
        _fail_usage("give --check or --diff, not both")
    if out_dir is None:
        single = len(paths) == 1 and (paths[0] == "-" or Path(paths[0]).is_file())
        if not single:
            _fail_usage("give -o/--output DIR when cleaning a folder or several files")
        if check or diff or report_to or shard:
            _fail_usage("--check, --diff, --report and --shard go with -o/--output DIR")
        sys.exit(_stop_quietly_if_stdout_closes(lambda: _fix_one_to_stdout(paths[0], config, sidecar_path, as_json)))
    if sidecar_path or as_json:
        _fail_usage("--sidecar and --json go with a single FILE or '-' written to stdout, not with -o")
    if "-" in paths:
        _fail_usage("'-' (stdin) writes to stdout; it does not go with -o")
    if report_to == "-" and diff:
        _fail_usage("--report - and --diff would both write to stdout; give --report FILE")
    mode = CHECK if check else DIFF if diff else WRITE
    sys.exit(_stop_quietly_if_stdout_closes(
        lambda: _fix_to_folder(paths, out_dir, config, mode, force, jobs or _default_jobs(), shard, report_to, quiet)))


def _stop_quietly_if_stdout_closes(run) -> int:
    """Run; if the reader of stdout goes away (`| head`), stop without a traceback.

    Exit 141, as a tool killed by SIGPIPE would; outputs already being
    written are finished (the worker pool is waited for), none is partial.
    """
    try:
        return run()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit cannot fail again
        return EXIT_STDOUT_CLOSED


def _fail_usage(message: str) -> None:
    click.echo(f"speechclean: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _fix_one_to_stdout(path: str, config: Config, sidecar_path: Path | None, as_json: bool) -> int:
    if path == "-":
        raw, source = sys.stdin.buffer.read(), None
    else:
        try:
            raw, source = Path(path).read_bytes(), path
        except OSError as exc:
            click.echo(f"speechclean: error: {path}: cannot read: {exc.strerror}", err=True)
            return EXIT_SOME_FAILED
    try:
        result = clean_bytes(raw, config, source_path=source)
    except DecodeError as exc:
        click.echo(f"speechclean: error: {source or '<stdin>'}: {exc}", err=True)
        return EXIT_SOME_FAILED
    if sidecar_path:
        write_atomic(sidecar_path, dumps(result.sidecar))
    if as_json:
        sys.stdout.write(json.dumps({"text": result.text, "sidecar": result.sidecar}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.buffer.write(result.text.encode("utf-8"))
    return EXIT_OK


def _prepare_out_dir(out_dir: Path, mode: str) -> None:
    """Make -o and prove it is writable before any work (a usage error otherwise)."""
    if mode != WRITE:
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".speechclean-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        _fail_usage(f"cannot write to -o {out_dir}: {exc.strerror or exc}")


def _open_report(report_to: str | None):
    if report_to is None:
        return None
    if report_to == "-":
        return sys.stdout
    try:
        return open(report_to, "w", encoding="utf-8")
    except OSError as exc:
        _fail_usage(f"cannot write --report {report_to}: {exc.strerror}")


def _fix_to_folder(paths, out_dir: Path, config: Config, mode: str, force: bool, workers: int,
                   shard: tuple[int, int] | None, report_to: str | None, quiet: bool) -> int:
    if out_dir.exists() and not out_dir.is_dir():
        _fail_usage(f"-o {out_dir} exists and is not a folder")
    try:
        jobs = plan(paths, out_dir)
    except PlanError as exc:
        _fail_usage(str(exc))
    _prepare_out_dir(out_dir, mode)
    if shard:
        jobs = [job for job in jobs if in_shard(job, *shard)]
    console = Console(stderr=True, highlight=False)
    report = Report(lines=_open_report(report_to))
    options = Options(out_dir=Path(os.path.realpath(out_dir)), mode=mode, force=force)
    show_progress = console.is_terminal and not quiet
    progress = Progress(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, auto_refresh=False, transient=True, disable=not show_progress)
    try:
        with Interrupt() as interrupt, progress:
            task = progress.add_task("cleaning", total=len(jobs))
            last_refresh = 0.0
            for outcome in run_jobs(jobs, config, options, workers, interrupt):
                report.add(outcome)
                _render_outcome(outcome, mode, quiet, console)
                progress.advance(task)
                if time.monotonic() - last_refresh > 0.1:
                    progress.refresh()
                    last_refresh = time.monotonic()
            report.interrupted = interrupt.requested
    except KeyboardInterrupt:
        report.interrupted = True
    if report.interrupted:
        console.print(Text(f"speechclean: interrupted after {report.files} of {len(jobs)} files; "
                           "finished outputs are complete, rerun to do the rest", style="yellow"), soft_wrap=True)
    report.close()
    if not quiet:
        console.print(_summary_table(report, mode))
    return report.exit_code


def _render_outcome(outcome, mode: str, quiet: bool, console: Console) -> None:
    """Errors always; warnings and would-change notes unless -q; diffs to stdout."""
    if outcome.status == FAILED:
        console.print(Text(f"speechclean: error: {outcome.path}: {outcome.error}", style="red"), soft_wrap=True)
    if outcome.diff:
        sys.stdout.write(outcome.diff)
        sys.stdout.flush()
    if quiet:
        return
    for warning in outcome.warnings:
        console.print(Text(f"speechclean: warning: {outcome.path}: {warning}", style="yellow"), soft_wrap=True)
    if outcome.status == "would-change" and mode == CHECK:
        console.print(Text(f"would write {outcome.output} ({outcome.reason})"), soft_wrap=True)


def _summary_table(report: Report, mode: str) -> Table:
    counts, stats = report.counts, report.stats
    table = Table(title="speechclean summary", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [("files cleaned", counts["cleaned"]), ("files skipped (up to date)", counts["skipped"])]
    if mode != WRITE:
        rows.append(("files that would change", counts["would-change"]))
    rows += [
        ("files failed", counts["failed"]),
        ("files with warnings", counts["warned"]),
        ("characters in", stats["chars_in"]),
        ("characters out", stats["chars_out"]),
        ("lines removed", stats["lines_removed"]),
        ("masks", stats["masks"]),
        ("gaps", stats["gaps"]),
        ("texts converted from traditional", stats["converted"]),
        ("truncated texts", stats["truncated"]),
    ]
    for label, value in rows:
        table.add_row(label, f"{value:,}")
    return table
