"""Every `tisa` command run with its required arguments only (every optional option left
out), on SQLite and PostgreSQL: each one succeeds or says in one line what is missing or
wrong (exit code 2), never a traceback.

The commands are read from the Typer app itself: a command added later without a line in
`CALLS` fails `test_every_command_is_called`.
"""

from __future__ import annotations

import click
import typer
from typer.testing import CliRunner

from cli import app
from instruments.registry import resolve

runner = CliRunner()
NOT_RUN = {"serve": "starts a web server that runs until stopped"}


def commands() -> set[str]:
    root = typer.main.get_command(app)

    def walk(command: click.Command, path: tuple[str, ...], ctx: click.Context):
        if hasattr(command, "list_commands"):  # a group (Typer's or click's)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                yield from walk(sub, (*path, name), click.Context(sub, parent=ctx))
        else:
            yield " ".join(path)

    return set(walk(root, (), click.Context(root)))


def calls(tmp) -> list[tuple[str, list[str]]]:
    """(command, arguments) in an order that works on the demo: round 4 is made here."""
    items = resolve("ti-staff@1.1.0").item_ids()
    analysis = tmp / "answers.csv"
    analysis.write_text(",".join(items) + "\n" + "\n".join(
        ",".join(str(1 + (row + i) % 5) for i in range(len(items))) for row in range(6)) + "\n")
    units = tmp / "units.csv"
    units.write_text("name\nNight desk\n")
    paper = tmp / "paper.csv"
    paper.write_text("unit,role,language," + ",".join(items) + "\n")
    return [
        ("init", ["init"]),
        ("analyze", ["analyze", str(analysis), "--instrument", "ti-staff@1.1.0"]),
        ("report", ["report", "3", "--format", "csv", "--out", str(tmp / "r.csv")]),
        ("backup", ["backup"]),
        ("backup", ["backup", str(tmp / "backup.zip")]),
        ("restore", ["restore", str(tmp / "backup.zip")]),
        ("instruments list", ["instruments", "list"]),
        ("instruments show", ["instruments", "show", "ti-staff"]),
        ("instruments validate", ["instruments", "validate", str(analysis)]),
        ("instruments diff", ["instruments", "diff", "ti-staff@1.0.0", "ti-staff@1.1.0"]),
        ("units add", ["units", "add", "Night team"]),
        ("units import", ["units", "import", str(units)]),
        ("units list", ["units", "list"]),
        ("round create", ["round", "create", "Autumn 2027", "--instrument", "ti-staff@1.1.0",
                          "--unit", "north-intake=12"]),
        ("round dates", ["round", "dates", "4"]),
        ("round open", ["round", "open", "4"]),
        ("paper form", ["paper", "form", "4", "--out", str(tmp / "form.pdf")]),
        ("codes issue", ["codes", "issue", "4", "--unit", "north-intake", "--count", "2",
                         "--out", str(tmp / "codes.csv")]),
        ("responses import", ["responses", "import", "4", str(paper)]),
        ("round close", ["round", "close", "4"]),
        ("round publish", ["round", "publish", "4"]),
        ("round list", ["round", "list"]),
        ("responses export", ["responses", "export", "4", "--out", str(tmp / "rows.csv")]),
        ("users add", ["users", "add", "night.lead", "--role", "manager"]),
        ("users list", ["users", "list"]),
        ("users disable", ["users", "disable", "north.manager"]),
        ("users enable", ["users", "enable", "north.manager"]),
        ("users reset-password", ["users", "reset-password", "north.manager"]),
    ]


def test_every_command_is_called(tmp_path):
    called = {name for name, _ in calls(tmp_path)}
    assert commands() - set(NOT_RUN) == called


def test_required_arguments_only(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("TISA_DATABASE_URL", db_url)
    for variable in ("TISA_ADMIN_PASSWORD", "TISA_USER_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    demo = runner.invoke(app, ["init", "--demo"])
    assert demo.exit_code == 0, demo.output
    answered = {}
    for name, args in calls(tmp_path):
        result = runner.invoke(app, args)
        where = " ".join(args)
        assert result.exit_code in (0, 2), f"{where}: exit {result.exit_code}\n{result.output}"
        assert "Traceback" not in result.output, where
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), f"{where}: {result.exception!r}"
        if result.exit_code == 2:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1, f"{where}: {result.stderr}"
        answered[name] = result.exit_code
    # what must work with nothing optional given
    for name in ("init", "report", "round create", "round open", "round close",
                 "round publish", "units add", "units list", "round list", "codes issue",
                 "paper form"):
        assert answered[name] == 0, name
    assert answered["round dates"] == 2  # no new date given: said in one line
