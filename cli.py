"""The `tisa` command: the same services as the web app, for analysts, IT and scripts.

Bad input prints one clear line per problem on stderr and exits with status 2.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from instruments import Instrument, InstrumentError, content_hash, load_instrument
from instruments.diff import diff_instruments
from instruments.registry import UnknownInstrument, library, resolve

REPO_ROOT = Path(__file__).resolve().parent
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="tisa",
    help="Trauma-Informed Self-Assessment: instruments, rounds, analysis and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
instruments_app = typer.Typer(help="List, show, validate and compare instruments.", no_args_is_help=True)
app.add_typer(instruments_app, name="instruments")


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="text for people, json for scripts")
]


def fail(*lines: str) -> NoReturn:
    """Print each problem on its own line on stderr and exit with status 2."""
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def load_ref_or_path(ref: str) -> Instrument:
    """An instrument named as ``ID[@VERSION]`` from the library, or a path to a YAML file."""
    try:
        if ref.endswith((".yaml", ".yml")) or os.sep in ref:
            return load_instrument(ref)
        return resolve(ref)
    except InstrumentError as exc:
        fail(*(str(p) for p in exc.problems))
    except UnknownInstrument as exc:
        fail(str(exc))


# -- database ---------------------------------------------------------------------------------


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="also load the demo agency")] = False,
) -> None:
    """Create or upgrade the database and store the bundled instrument library."""
    from storage.bootstrap import initialize

    try:
        summary = initialize(demo=demo)
    except InstrumentError as exc:
        fail(*(str(p) for p in exc.problems))
    typer.echo(summary)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="port to listen on")] = 8501,
    address: Annotated[str, typer.Option(help="address to bind")] = "localhost",
) -> None:
    """Start the web app (http://localhost:8501 by default)."""
    streamlit = Path(sys.executable).with_name("streamlit")
    args = [
        str(streamlit), "run", str(REPO_ROOT / "app.py"),
        "--server.port", str(port), "--server.address", address,
    ]
    os.chdir(REPO_ROOT)
    os.execv(args[0], args)


# -- instruments ------------------------------------------------------------------------------


@instruments_app.command("list")
def instruments_list(output: FormatOption = OutputFormat.TEXT) -> None:
    """Every bundled instrument version."""
    rows = [
        {
            "id": i.id,
            "version": i.version,
            "status": i.status.value,
            "form": i.form.value,
            "title": i.title["en"],
            "domains": len(i.domains),
            "items": len(i.item_ids()),
            "languages": i.languages,
            "sha256": content_hash(i),
        }
        for i in library()
    ]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    typer.echo(f"{'ID@VERSION':<24}{'STATUS':<11}{'FORM':<12}{'DOMAINS':>8}{'ITEMS':>7}  TITLE")
    for r in rows:
        ref = f"{r['id']}@{r['version']}"
        typer.echo(
            f"{ref:<24}{r['status']:<11}{r['form']:<12}{r['domains']:>8}{r['items']:>7}  {r['title']}"
        )


@instruments_app.command("show")
def instruments_show(
    ref: Annotated[str, typer.Argument(help="ID, ID@VERSION or a path to a YAML file")],
    lang: Annotated[str, typer.Option(help="language of the texts")] = "en",
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """One instrument version: domains and items."""
    instrument = load_ref_or_path(ref)
    if lang not in instrument.languages:
        fail(f"{instrument.ref} has no language {lang!r}; it has {', '.join(instrument.languages)}")
    if output is OutputFormat.JSON:
        data = instrument.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["sha256"] = content_hash(instrument)
        print_json(data)
        return
    typer.echo(f"{instrument.ref}  {instrument.title[lang]}  ({instrument.status.value}, "
               f"{instrument.form.value} form, about {instrument.minutes} minutes)")
    typer.echo(f"sha256 {content_hash(instrument)}")
    for scale_id, scale in instrument.scales.items():
        labels = ", ".join(f"{p} {label}" for p, label in zip(scale.points, scale.labels[lang], strict=True))
        typer.echo(f"scale {scale_id}: {labels}; favorable {scale.favorable}")
    for domain in instrument.domains:
        typer.echo(f"\n{domain.id}  {domain.title[lang]}")
        typer.echo(f"    {domain.why[lang]}")
        for item in domain.items:
            mark = " (reverse-keyed)" if item.reverse else ""
            typer.echo(f"  {item.id:<8}[{item.scale}] {item.text[lang]}{mark}")


@instruments_app.command("validate")
def instruments_validate(
    paths: Annotated[list[Path], typer.Argument(help="instrument YAML files")],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Check instrument files; print one line per problem and exit 2 if any."""
    problems: list[str] = []
    valid: list[dict[str, str]] = []
    for path in paths:
        try:
            instrument = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(str(p) for p in exc.problems)
        else:
            valid.append({"path": str(path), "ref": instrument.ref, "sha256": content_hash(instrument)})
    if output is OutputFormat.JSON:
        print_json({"valid": valid, "problems": problems})
        if problems:
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    if problems:
        fail(*problems)
    for v in valid:
        typer.echo(f"{v['path']}: {v['ref']} is valid (sha256 {v['sha256'][:12]})")


@instruments_app.command("diff")
def instruments_diff(
    before: Annotated[str, typer.Argument(help="earlier version: ID@VERSION or a YAML path")],
    after: Annotated[str, typer.Argument(help="later version: ID@VERSION or a YAML path")],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Classify every item between two versions and say which domains remain comparable."""
    result = diff_instruments(load_ref_or_path(before), load_ref_or_path(after))
    if output is OutputFormat.JSON:
        print_json(result.to_dict())
        return
    typer.echo(f"{result.before} -> {result.after}")
    changed = result.changed_items()
    unchanged = len(result.items) - len(changed)
    typer.echo(f"\nItems: {unchanged} unchanged, {len(changed)} differ")
    for d in changed:
        ids = d.after_id if d.before_id in (None, d.after_id) else f"{d.before_id} -> {d.after_id}"
        if d.after_id is None:
            ids = d.before_id or ""
        typer.echo(f"  {d.change.value:<10}{ids:<18}{d.domain_id:<6}{d.reason}")
    typer.echo("\nDomains")
    for domain in result.domains:
        typer.echo(f"  {domain.summary}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
