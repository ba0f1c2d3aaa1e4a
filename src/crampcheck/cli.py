"""The command line: a thin click layer over the library (no logic of its own).

Heavy modules (pandas, numpy, lxml, fitparse) are imported inside the commands so that
``crampcheck --help`` starts at once.
"""

from __future__ import annotations

import re
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import click

from crampcheck import __version__
from crampcheck.errors import CrampcheckError
from crampcheck.safetext import terminal
from crampcheck.units import LB_PER_KG, ML_PER_US_FL_OZ, parse_temperature_c

UNITS = click.Choice(["mi", "km"])
MAX_JOBS = 64  # worker processes at most (= crampcheck.history.scan.MAX_JOBS; kept here for a light --help)
DECODERS = click.Choice(["auto", "fast", "fitparse"])
L_PER_OZ = ML_PER_US_FL_OZ / 1000.0


@contextmanager
def user_errors(debug: bool = False):
    """Turn crampcheck's user-facing errors (and unexpected ones) into one line and exit 1."""
    try:
        yield
    except CrampcheckError as exc:
        raise click.ClickException(terminal(exc)) from None
    except (KeyboardInterrupt, click.ClickException, click.exceptions.Exit):
        raise
    except Exception as exc:  # a bug or a file we did not foresee: one line, traceback only with --debug
        if debug:
            raise
        raise click.ClickException(
            terminal(f"unexpected error ({type(exc).__name__}: {exc}); rerun with --debug for details")) from None


def _quantity(text: str | None, units: dict[str, float], default: str, what: str) -> float | None:
    """Parse "70", "70kg", "154 lb", "0.5L", "16oz" into the base unit (first key of ``units``)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z%]*)\s*", text)
    suffix = match.group(2).lower() if match else ""
    if not match or (suffix and suffix not in units):
        raise click.BadParameter(f"{text!r}: give a number with an optional unit ({', '.join(units)})", param_hint=what)
    return float(match.group(1)) * units[suffix or default]


def _check_outputs(inputs, *outputs: str | None, cache: str | None = None) -> None:
    """Refuse, before any work, a report or cache path that would overwrite an input (crampcheck.files)."""
    from crampcheck.files import check_output

    if any("!" in str(p) for p in inputs):  # an archive member (export.zip!a.fit): its archive is the input
        from crampcheck.history.sources import ARCHIVE_SEP, is_member_path  # (a plain file never loads history)

        inputs = [str(p).split(ARCHIVE_SEP, 1)[0] if is_member_path(str(p)) else p for p in inputs]
    for out in outputs:
        if out:
            check_output(out, inputs)
    if cache:
        check_output(cache, inputs, what="cache")


def _write(text: str, path: str) -> None:
    """Write a report atomically (temporary file, fsync, rename) and say where."""
    from crampcheck.files import write_atomic

    write_atomic(path, text)
    click.echo(f"wrote {terminal(path)}", err=True)


def _terminal(output: str | None, color: bool | None = None) -> tuple[bool, int | None]:
    """(colour, width) of a text report: colour on a terminal unless NO_COLOR is set (or --color
    says), and the terminal's width to wrap to; no colour and no wrapping into a file or a pipe."""
    import os
    import shutil

    on_tty = output is None and sys.stdout.isatty()
    wanted = color if color is not None else on_tty and not os.environ.get("NO_COLOR")
    return wanted, shutil.get_terminal_size().columns if on_tty else None


def _text(doc, output: str | None, color: bool | None = None) -> str:
    """A Doc as terminal text: coloured and fitted to the terminal's width when it goes to one."""
    from crampcheck.report.doc import render_text
    from crampcheck.report.terminal import fit_doc

    use_color, width = _terminal(output, color)
    return render_text(fit_doc(doc, width) if width else doc, color=use_color)


def _temperature(text: str | None) -> float | None:
    """--ambient-temp in deg C: "24", "24C", "75F"."""
    if text is None:
        return None
    celsius = parse_temperature_c(text)
    if celsius is None:
        raise click.BadParameter(f"{text!r}: give a temperature in °C or °F, e.g. 24, 24C or 75F", param_hint="--ambient-temp")
    return celsius


def _write_or_echo(text: str, output: str | None) -> None:
    if output:
        _write(text, output)
    else:
        click.echo(text, nl=not text.endswith("\n"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crampcheck")
def main() -> None:
    """Find the cramp risk factors in your running files (FIT, GPX, TCX, exports).

    \b
    crampcheck analyze RUN      post-run report for one activity file
    crampcheck scan DIR|ZIP     a whole training history, with history factors
    crampcheck races PATH...    the races in a history, and which started too fast
    crampcheck team DIR|CSV     a team's histories and an overview, most need first
    crampcheck thresholds       the thresholds in force and where each comes from
    crampcheck cramp add RUN    log your own cramps (also: none, reject, list, remove)
    """
    # numpy's RuntimeWarnings (empty means, NaN comparisons) are the readers' business, never the user's
    warnings.simplefilter("ignore", RuntimeWarning)


def _data_option(f):
    return click.option("--data", "data_path", type=click.Path(dir_okay=False),
                        help="Your cramp log (default: [data] cramp_log in the config, else the user data dir).")(f)


def _config_options(f):
    f = _data_option(f)
    f = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML). Default: ~/.config/crampcheck/config.toml.")(f)
    f = click.option("--units", type=UNITS, default=None, help="Splits and paces per mile or per km (default: config, else mi).")(f)
    return f


def _load_config(config_path: str | None, **overrides):
    from crampcheck.risk.config import load_config

    config = load_config(config_path)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return config.with_profile(**overrides) if overrides else config


def _log_path(data_path: str | None, config):
    return data_path or config.cramp_log  # None: the default location


def _with_log(config, data_path: str | None):
    """The config with the profile following the cramp log, and the log's entries: a logged
    cramp makes past_cramps true (with its reason) unless the config or command line said."""
    from crampcheck.cramplog import past_cramps_reason, read_log

    entries = read_log(_log_path(data_path, config))
    reason = past_cramps_reason(entries)
    if config.profile.past_cramps is None and reason:
        config = config.with_profile(past_cramps=True, past_cramps_reason=reason)
    return config, entries


@main.command()
@click.argument("run", type=click.Path())  # a file, or a file inside an export as scan names it: export.zip!path/123.fit
@_config_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of the terminal.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML report with charts.")
@click.option("--open", "open_html", is_flag=True, help="Open the HTML report in the browser.")
@click.option("--weight-before", help="Body mass before the run (kg, or e.g. 154lb).")
@click.option("--weight-after", help="Body mass after the run (kg, or e.g. 151.5lb).")
@click.option("--fluid", help="Fluid drunk during the run (litres, or e.g. 16oz).")
@click.option("--ambient-temp", help="Air temperature during the run (°C, or e.g. 24C, 75F): the most trusted reading of the air.")
@click.option("--humidity", help="Relative humidity of the air during the run, % (e.g. 65 or 65%): with the temperature, the heat index.")
@click.option("--past-cramps/--no-past-cramps", default=None, help="You have cramped before (raises every level one notch).")
@click.option("--decoder", type=DECODERS, default="auto", show_default=True, help="FIT/GPX decoder: crampcheck's fast one, or the fitparse/gpxpy reference.")
@click.option("--color/--no-color", default=None, help="Colour the terminal report (default: when on a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def analyze(run, data_path, config_path, units, fmt, output, html_path, open_html, weight_before, weight_after, fluid, ambient_temp,
            humidity, past_cramps, decoder, color, debug):
    """Post-run report: pacing, temperature, heart rate and cramp risk factors of RUN.

    RUN is an activity file, or a file inside an export zip named as scan prints it
    (export.zip!DI_CONNECT/.../UploadedFiles_0_Part1.zip!123.fit).
    """
    mass = {"kg": 1.0, "lb": 1 / LB_PER_KG}
    volume = {"l": 1.0, "ml": 0.001, "oz": L_PER_OZ}
    with user_errors(debug):
        _check_outputs([run], output, html_path)
        config = _load_config(
            config_path,
            units=units,
            weight_before_kg=_quantity(weight_before, mass, "kg", "--weight-before"),
            weight_after_kg=_quantity(weight_after, mass, "kg", "--weight-after"),
            fluid_l=_quantity(fluid, volume, "l", "--fluid"),
            ambient_temp_c=_temperature(ambient_temp),
            humidity_pct=_quantity(humidity, {"%": 1.0}, "%", "--humidity"),
            past_cramps=past_cramps,
        )
        config, entries = _with_log(config, data_path)
        from crampcheck.crampnotes import may_mention
        from crampcheck.pipeline import analyze as analyze_run
        from crampcheck.pipeline import load
        from crampcheck.report.jsonout import dumps, run_to_dict

        member = None
        if "!" in str(run):  # a file inside an export: the history layer's zip reader (a plain file never loads it)
            from crampcheck.history.sources import is_member_path, read_member

            member = read_member(run) if is_member_path(run) else None
        if member is not None:
            from crampcheck.io import read

            activity = read(member, run, decoder)
        else:
            activity = load(run, decoder=decoder)
        if member is not None or _in_export_folder(run):  # what the export says of the run, as a scan reads it
            from crampcheck.history.sources import apply_export, export_entry

            meta = export_entry(run, activity.start_time_utc)
            if meta is not None:
                apply_export(activity, meta)
        report = analyze_run(activity, units=units, config=config)
        cramps = []
        if entries or may_mention([report.activity.name, *(text for _, text in report.activity.texts)]):
            from crampcheck.history.cramps import run_cramps  # the history layer only when there is a cramp to place

            source = member if member is not None else Path(run).read_bytes()
            cramps = run_cramps(report, source, entries, config.thresholds.cramp_before_m)
        data = run_to_dict(report, cramps=cramps, past_cramps_reason=config.profile.past_cramps_reason)
        if fmt == "json":
            text = dumps(data) + "\n"
        elif fmt == "markdown":
            from crampcheck.report.run import render_run_markdown

            text = render_run_markdown(data)
        else:
            from crampcheck.report.run import build_run_doc

            text = _text(build_run_doc(data), output, color)
        _write_or_echo(text, output)
        if html_path:
            from crampcheck.report.html_run import render_run_html, run_series

            _write(render_run_html(data, run_series(report), report.units), html_path)
            if open_html:
                click.launch(str(Path(html_path).resolve()))


def _in_export_folder(run: str) -> bool:
    """A file on disk with a Strava ``activities.csv`` in its folder or the one above."""
    folder = Path(run).resolve().parent
    return any((f / "activities.csv").is_file() for f in (folder, folder.parent))


@main.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--sources", "show_sources", is_flag=True, help="Print the works the sources cite by [key] instead.")
def thresholds(config_path, fmt, show_sources):
    """Print the thresholds in force: value, unit, source, evidence and origin."""
    if show_sources:
        _print_sources(fmt)
        return
    with user_errors():
        from crampcheck.risk.config import load_config
        from crampcheck.risk.thresholds import threshold_rows

        rows = threshold_rows(load_config(config_path))
        if fmt == "json":
            from crampcheck.report.jsonout import dumps

            click.echo(dumps({"schema": "crampcheck.thresholds/1", "thresholds": rows}))
            return
        from crampcheck.report.doc import Doc, Table, render_markdown, render_text

        table = Table(
            ["name", "value", "unit", "range", "evidence", "origin", "source"],
            [[r["name"], f"{r['value']}", r["unit"], f"{r['min']:g}–{r['max']:g}", r["evidence"], r["origin"], r["source"]]
             for r in rows],
        )
        doc = Doc("crampcheck thresholds in force").add(table)
        click.echo(render_markdown(doc) if fmt == "markdown" else render_text(doc), nl=False)


def _print_sources(fmt: str) -> None:
    """The sources table: each key cited as ``[key]`` with its full reference."""
    from crampcheck.risk.sources import source_rows

    rows = source_rows()
    if fmt == "json":
        from crampcheck.report.jsonout import dumps

        click.echo(dumps({"schema": "crampcheck.sources/1", "sources": rows}))
        return
    from crampcheck.report.doc import Doc, Table, render_markdown, render_text

    doc = Doc("Sources cited by [key]").add(Table(["key", "reference"], [[r["key"], r["reference"]] for r in rows]))
    click.echo(render_markdown(doc) if fmt == "markdown" else render_text(doc), nl=False)


def _progress_bar(enabled: bool):
    """A progress callback drawing "reading 120/1528 files · 2:10 left · name" on stderr, or None
    when it is not wanted (not a terminal). The total is counted before the scan starts."""
    if not enabled:
        return None, lambda: None
    import time

    state = {"shown": False, "start": time.monotonic()}

    def update(done: int, total: int | None, name: str) -> None:
        of = f"/{total}" if total else ""
        elapsed = time.monotonic() - state["start"]
        left = ""
        if total and done and elapsed > 1.0:
            from crampcheck.units import format_duration

            left = f" · {format_duration(elapsed / done * max(total - done, 0))} left"
        label = terminal(name if len(name) <= 40 else "…" + name[-39:])
        click.echo(f"\r\033[Kreading {done}{of} files{left} · {label}", err=True, nl=False)
        state["shown"] = True

    def close() -> None:
        if state["shown"]:
            click.echo("\r\033[K", err=True, nl=False)

    return update, close


def _scan_options(f):
    f = click.option("--sport", default="running", show_default=True, help="Sport to keep (running, cycling, walking...), or 'all'.")(f)
    f = click.option("--since", help="First day to report (YYYY-MM-DD).")(f)
    f = click.option("--until", help="Last day to report (YYYY-MM-DD).")(f)
    f = click.option("--weeks", type=click.IntRange(1, None), help="Weeks in view, up to --until or the last run (scan default: 12; --since widens it).")(f)
    f = click.option("--cache", "cache_path", type=click.Path(dir_okay=False), help="Cache file (default: ~/.cache/crampcheck/cache.sqlite).")(f)
    f = click.option("--no-cache", is_flag=True, help="Read every file; neither use nor write the cache.")(f)
    f = click.option("--jobs", type=click.IntRange(1, MAX_JOBS),
                     help=f"Worker processes, 1 to {MAX_JOBS} (default: all cores).")(f)
    f = click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")(f)
    f = _config_options(f)
    return f


def _run_scan(func, paths, sport, since, until, cache_path, no_cache, jobs, progress, config_path, units, weeks=None,
              data_path=None, cramp_log=True, **more):
    config = _load_config(config_path, units=units)
    config, entries = _with_log(config, data_path) if cramp_log else (config, ())  # a team is not the user's own log
    units = units or config.profile.units
    update, close = _progress_bar(progress if progress is not None else sys.stderr.isatty())
    extra = {} if weeks is None else {"weeks": weeks}
    try:
        result = func(
            paths if len(paths) > 1 else paths[0], sport=sport, since=since, until=until, units=units, config=config,
            cache_path=cache_path, use_cache=not no_cache, jobs=jobs, progress=update, cramp_entries=entries, **extra, **more,
        )
    finally:
        close()
    history = getattr(result, "history", result)  # races wrap the history they scanned
    for warning in getattr(history, "warnings", []):
        click.echo(terminal(f"warning: {warning}"), err=True)
    return result, units


def _check_paths(paths) -> None:
    from crampcheck.history.sources import is_url

    for p in paths:
        if not is_url(p) and not Path(p).exists():
            raise click.ClickException(terminal(f"{p}: no such file or directory"))


def _engine_options(f):
    f = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help='Where files are read: this machine\'s process pool, or a Dask cluster (pip install "crampcheck[dask]").')(f)
    f = click.option("--scheduler", help="With --engine dask: the scheduler address (tcp://HOST:PORT); default: a local cluster of --jobs workers.")(f)
    return f


@contextmanager
def _engine(name: str, scheduler: str | None):
    """The scan engine (None: the local pool); a Dask engine is stopped on the way out."""
    if name != "dask":
        if scheduler:
            raise click.UsageError("--scheduler needs --engine dask")
        yield None
        return
    from crampcheck.history.dask_engine import DaskEngine

    engine = DaskEngine(scheduler=scheduler)
    try:
        yield engine
    finally:
        engine.close()


def _need_output(fmt: str, output: str | None) -> None:
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet writes a file: give it with -o PATH")


@main.command()
@click.argument("path", nargs=-1, required=True, type=click.Path())
@_scan_options
@_engine_options
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown", "parquet"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of the terminal.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML history report with charts.")
@click.option("--open", "open_html", is_flag=True, help="Open the HTML report in the browser.")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def scan(path, sport, since, until, weeks, cache_path, no_cache, jobs, progress, data_path, config_path, units, engine, scheduler, fmt,
         output, html_path, open_html, debug):
    """Scan a training history: a folder, a Garmin or Strava export (zip or folder), or files.

    One row per activity, the history factors (distance spikes, weekly ramps, hard streaks,
    no rest, race overreach) and a weekly summary. Unreadable files are listed as skipped.
    PATH may also be a URL fsspec reads (s3://bucket/runs/, gs://..., file://...).
    """
    _check_paths(path)
    _need_output(fmt, output)
    with user_errors(debug), _engine(engine, scheduler) as scan_engine:
        _check_outputs(path, output, html_path, cache=cache_path)
        from crampcheck.history import races as find_races
        from crampcheck.history import scan as scan_history
        from crampcheck.history.races import is_single_file
        from crampcheck.report.history import build_history_doc, history_csv

        if weeks is None and since is None and fmt != "parquet":  # the Parquet summary: every activity unless narrowed
            weeks = _load_config(config_path).thresholds.digest_weeks
        result, units = _run_scan(scan_history, path, sport, since, until, cache_path, no_cache, jobs, progress, config_path,
                                  units, weeks, data_path, engine=scan_engine)
        data = result.to_dict()
        title = ", ".join(path)
        if fmt == "parquet":
            from crampcheck.history.parquet import write_summary

            n = write_summary(output, [(None, r) for r in result.activities])
            click.echo(f"wrote {terminal(output)} ({n} activities)", err=True)
        elif fmt == "json":
            from crampcheck.report.jsonout import clean, dumps

            text = dumps(clean(data)) + "\n"
        elif fmt == "csv":
            text = history_csv(data, units)
        else:
            from crampcheck.report.doc import render_markdown

            doc = build_history_doc(data, units, title)
            text = render_markdown(doc) if fmt == "markdown" else _text(doc, output)
        if fmt != "parquet":
            _write_or_echo(text, output)
        if html_path:
            from crampcheck.report.html_history import render_history_html

            races_data = find_races(result, given=is_single_file(path)).to_dict()  # the races of this scan
            _write(render_history_html(clean_dict(data), races_data, units), html_path)
            if open_html:
                click.launch(str(Path(html_path).resolve()))


def clean_dict(data):
    from crampcheck.report.jsonout import clean

    return clean(data)


@main.command()
@click.argument("path", nargs=-1, required=True, type=click.Path())
@_scan_options
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of the terminal.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML page of the races.")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def races(path, sport, since, until, weeks, cache_path, no_cache, jobs, progress, data_path, config_path, units, fmt, output, html_path, debug):
    """The races in a history (or in the given files), worst start first.

    A race is found by its marking in the file or export, by its name, or by distance and
    pace; each gets fast_start, positive_split and race_overreach verdicts.
    """
    _check_paths(path)
    with user_errors(debug):
        _check_outputs(path, output, html_path, cache=cache_path)
        from crampcheck.history import scan_races
        from crampcheck.report.history import build_races_doc, races_csv

        result, units = _run_scan(scan_races, path, sport, since, until, cache_path, no_cache, jobs, progress, config_path, units, weeks,
                                  data_path)
        data = clean_dict(result.to_dict())
        if fmt == "json":
            from crampcheck.report.jsonout import dumps

            text = dumps(data) + "\n"
        elif fmt == "csv":
            text = races_csv(data, units)
        else:
            from crampcheck.report.doc import render_markdown

            doc = build_races_doc(data, units, ", ".join(path))
            text = render_markdown(doc) if fmt == "markdown" else _text(doc, output)
        _write_or_echo(text, output)
        if html_path:
            from crampcheck.report.html_history import render_races_html

            _write(render_races_html(data, units, ", ".join(path)), html_path)
        skipped = data.get("skipped") or []
        for s in skipped:
            click.echo(terminal(f"skipped {s['file']}: {s['reason']}"), err=True)


def _team_pages(html_path: str, result, data: dict, units: str, inputs: list[str]) -> None:
    """The team page at ``html_path`` and each athlete's history page next to it (none over an input)."""
    from crampcheck.files import check_output, write_atomic
    from crampcheck.history import races as find_races
    from crampcheck.report.html_history import render_history_html
    from crampcheck.report.html_team import render_team_html

    target = Path(html_path)
    links, used = {}, set()
    for member in result.members:
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", member.athlete).strip("-")[:60] or "athlete"
        name, n = f"{target.stem}-{slug}.html", 2
        while name in used or name == target.name:
            name, n = f"{target.stem}-{slug}-{n}.html", n + 1
        used.add(name)
        links[member.athlete] = name
        races_data = find_races(member.history).to_dict()
        page = target.parent / name
        check_output(page, inputs)
        write_atomic(page, render_history_html(clean_dict(member.history.to_dict()), races_data, units))
    write_atomic(target, render_team_html(data, links, units))
    click.echo(f"wrote {terminal(html_path)} and {len(links)} athlete pages next to it", err=True)


@main.command()
@click.argument("team_path", metavar="DIR|MANIFEST.csv", type=click.Path())
@_scan_options
@_engine_options
@click.option("--as-of", help="The overview's today (YYYY-MM-DD); default: the last day any athlete ran.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown", "parquet"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of the terminal.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write the team page here, and each athlete's history page next to it.")
@click.option("--open", "open_html", is_flag=True, help="Open the HTML team page in the browser.")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def team(team_path, sport, since, until, weeks, cache_path, no_cache, jobs, progress, data_path, config_path, units, engine, scheduler,
         as_of, fmt, output, html_path, open_html, debug):
    """A team: each athlete's history and an overview, most need first.

    DIR holds one subfolder or export zip per athlete (a races.csv may mark races ahead), or
    MANIFEST.csv lists athlete,path (optional race_date, race_name, race_distance_km). Both
    may be URLs fsspec reads (s3://...).
    """
    _check_paths([team_path])
    _need_output(fmt, output)
    if data_path:
        raise click.UsageError("--data is one runner's own cramp log: team does not read it")
    with user_errors(debug), _engine(engine, scheduler) as scan_engine:
        _check_outputs([team_path], output, html_path, cache=cache_path)
        from crampcheck.history.team import summary_rows, team_scan

        result, units = _run_scan(team_scan, [team_path], sport, since, until, cache_path, no_cache, jobs, progress, config_path,
                                  units, weeks, cramp_log=False, engine=scan_engine, as_of=as_of)
        data = clean_dict(result.to_dict())
        if fmt == "parquet":
            from crampcheck.history.parquet import write_summary

            n = write_summary(output, summary_rows(result))
            click.echo(f"wrote {terminal(output)} ({n} activities)", err=True)
        elif fmt == "json":
            from crampcheck.report.jsonout import dumps

            _write_or_echo(dumps(data) + "\n", output)
        elif fmt == "csv":
            from crampcheck.report.team import team_csv

            _write_or_echo(team_csv(data, units), output)
        else:
            from crampcheck.report.doc import render_markdown
            from crampcheck.report.team import build_team_doc

            doc = build_team_doc(data, units, team_path)
            text = render_markdown(doc) if fmt == "markdown" else _text(doc, output)
            _write_or_echo(text, output)
        if html_path:
            _team_pages(html_path, result, data, units, [team_path])
            if open_html:
                click.launch(str(Path(html_path).resolve()))


# ---------------------------------------------------------------- your own cramps
@main.group()
def cramp() -> None:
    """Your own cramps: a log crampcheck learns from (scan, races and analyze read it).

    \b
    crampcheck cramp add RUN|DATE [--at 32km|20mi|2:45:00] [--muscle] [--severity] [--note]
    crampcheck cramp none RUN|DATE     count a run (a race) as cramp-free
    crampcheck cramp reject RUN|DATE   a cramp found in your notes was not one
    crampcheck cramp list              crampcheck cramp remove ID

    RUN is an activity file, an export.zip!member path or the short id a scan prints;
    DATE (YYYY-MM-DD) means the longest run of that day.
    """


def _cramp_options(f):
    f = _data_option(f)
    f = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML).")(f)
    return f


def _open_log(data_path, config_path):
    from crampcheck.cramplog import CrampLog

    return CrampLog(_log_path(data_path, _load_config(config_path)))


def _log_run(kind, run, data_path, config_path, **fields):
    """Resolve RUN and store one entry; prints what was stored."""
    from crampcheck.cramplog import LogEntry
    from crampcheck.history.runref import resolve_run

    config = _load_config(config_path)
    ref = resolve_run(run, config.profile.units, config)
    problem = ref.place_problem(fields.get("at_m"), fields.get("at_s"))
    if problem:
        raise click.BadParameter(problem, param_hint="--at")
    entry = LogEntry(kind=kind, run=run, content_hash=ref.content_hash, run_date=ref.run_date, label=ref.label, **fields)
    with _open_log(data_path, config_path) as log:
        entry_id = log.add(entry)
        where = log.path
    from crampcheck.report.cramplog import entry_line

    click.echo(terminal(f"logged #{entry_id}: {entry_line(entry)} · in {where}"))


@cramp.command("add")
@click.argument("run")
@click.option("--at", "at", help="Where it struck: a distance (32km, 20mi) or moving time into the run (2:45:00).")
@click.option("--muscle", type=click.Choice(["calf", "hamstring", "quad", "foot", "other"]))
@click.option("--severity", type=click.Choice(["mild", "stopped", "dnf"]), help="mild: ran on; stopped: had to stop; dnf: did not finish.")
@click.option("--note", help="Your own words (kept as text, never run).")
@_cramp_options
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def cramp_add(run, at, muscle, severity, note, data_path, config_path, debug):
    """Log a cramp in RUN (a file, export.zip!member, a short id from a scan, or a date)."""
    from crampcheck.crampnotes import parse_at

    at_m = at_s = None
    if at is not None:
        try:
            at_m, at_s = parse_at(at)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--at") from None
    with user_errors(debug):
        _log_run("cramp", run, data_path, config_path, at_m=at_m, at_s=at_s, muscle=muscle, severity=severity, note=note)


@cramp.command("none")
@click.argument("run")
@_cramp_options
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def cramp_none(run, data_path, config_path, debug):
    """Count RUN as cramp-free (a race to compare your cramped ones with)."""
    with user_errors(debug):
        _log_run("none", run, data_path, config_path)


@cramp.command("reject")
@click.argument("run")
@_cramp_options
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def cramp_reject(run, data_path, config_path, debug):
    """A cramp found in your notes for RUN was not one: leave it out."""
    with user_errors(debug):
        _log_run("reject", run, data_path, config_path)


@cramp.command("list")
@_cramp_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def cramp_list(data_path, config_path, fmt):
    """Every entry of your cramp log, oldest first."""
    with user_errors():
        from crampcheck.cramplog import CrampLog

        with CrampLog(_log_path(data_path, _load_config(config_path)), create=False) as log:
            entries, where = log.entries(), log.path
        if fmt == "json":
            from crampcheck.report.jsonout import dumps

            click.echo(dumps({"schema": "crampcheck.cramps/1", "log": str(where), "entries": [e.to_json() for e in entries]}))
            return
        from crampcheck.report.cramplog import render_log_text

        click.echo(render_log_text(entries, str(where)), nl=False)


@cramp.command("remove")
@click.argument("entry_id", metavar="ID", type=int)
@_cramp_options
def cramp_remove(entry_id, data_path, config_path):
    """Remove entry ID (as `cramp list` numbers it)."""
    with user_errors():
        from crampcheck.cramplog import CrampLog

        path = _log_path(data_path, _load_config(config_path))
        with CrampLog(path, create=False) as log:
            removed = log.remove(entry_id) if log.db is not None else None
        if removed is None:
            raise click.ClickException(f"no entry #{entry_id} in the cramp log")
        from crampcheck.report.cramplog import entry_line

        click.echo(terminal(f"removed #{entry_id}: {entry_line(removed)}"))
