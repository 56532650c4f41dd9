"""The command line: parse, build a Config, call the API, report.

Exit codes:
  0    success
  2    usage or configuration error
  123  some inputs failed while the others were written
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__, clean_bytes
from .batch import FileOutcome, clean_file, discover, output_for, write_atomic
from .config import Config, ConfigError
from .sidecar import dumps
from .stages.decode import DecodeError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_SOME_FAILED = 123


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="speechclean")
def main() -> None:
    """Clean raw dumps of Chinese speech texts into clean texts plus JSON sidecars."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for clean texts and sidecars (required for folders and several files).")
@click.option("--sidecar", "sidecar_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With a single FILE or '-': also write the sidecar here.")
@click.option("--json", "as_json", is_flag=True, help="With a single FILE or '-': print {\"text\", \"sidecar\"} as JSON.")
@click.option("--encoding", default=None, help="Force the input encoding (e.g. gb18030) instead of detecting it.")
@click.option("--script", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Traditional to simplified: when detected, always, or never.")
@click.option("--masks", type=click.Choice(["keep", "unify"]), default="keep", show_default=True,
              help="Keep masks as written, or unify them to --mask-token.")
@click.option("--mask-token", default="××", show_default=True, help="Token for --masks unify and --fill-gaps.")
@click.option("--fill-gaps", is_flag=True, help="Insert the mask token at high-confidence gaps.")
@click.option("--rules", "rules_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra chrome rules file (TOML); may be repeated.")
@click.option("--disable-rule", "disabled_rules", multiple=True, metavar="ID", help="Switch a rule off by id; may be repeated.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def fix(paths, out_dir, sidecar_path, as_json, encoding, script, masks, mask_token, fill_gaps,
        rules_files, disabled_rules, quiet) -> None:
    """Clean PATHS (files, folders, or '-' for stdin).

    \b
    speechclean fix dumps/ -o clean/     every dump under dumps/ -> clean/<path>.txt + .json
    speechclean fix a.txt                clean text to stdout
    cat a.txt | speechclean fix -        the same from stdin
    """
    try:
        config = Config(encoding=encoding, script=script, masks=masks, mask_token=mask_token,
                        fill_gaps=fill_gaps, rules_files=tuple(rules_files),
                        disabled_rules=frozenset(disabled_rules))
        from .ruleset import chrome_rules

        chrome_rules(config.rules_files, config.disabled_rules)
    except ConfigError as exc:
        _fail_usage(str(exc))
    single = len(paths) == 1 and (paths[0] == "-" or Path(paths[0]).is_file())
    if out_dir is None:
        if not single:
            _fail_usage("give -o/--output DIR when cleaning a folder or several files")
        sys.exit(_fix_one_to_stdout(paths[0], config, sidecar_path, as_json))
    if sidecar_path or as_json:
        _fail_usage("--sidecar and --json go with a single FILE or '-' written to stdout, not with -o")
    sys.exit(_fix_to_folder(paths, out_dir, config, quiet))


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
            click.echo(f"speechclean: error: cannot read {path}: {exc.strerror}", err=True)
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


def _fix_to_folder(paths, out_dir: Path, config: Config, quiet: bool) -> int:
    jobs: list[tuple[Path, Path]] = []
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            jobs.extend((source, output_for(source, path, out_dir)) for source in discover(path))
        elif path.is_file():
            jobs.append((path, out_dir / path.with_suffix(".txt").name))
        else:
            _fail_usage(f"no such file or folder: {raw_path}")
    outcomes: list[FileOutcome] = [clean_file(source, output, config) for source, output in jobs]
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        click.echo(f"speechclean: error: {outcome.error}", err=True)
    if not quiet:
        click.echo(f"speechclean: {len(outcomes) - len(failed)} cleaned, {len(failed)} failed", err=True)
    return EXIT_SOME_FAILED if failed else EXIT_OK
