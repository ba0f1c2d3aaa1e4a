"""The command line: a thin click layer over the library (no logic of its own).

Heavy modules (pandas, numpy, lxml, fitparse) are imported inside the commands so that
``crampcheck --help`` starts at once.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from crampcheck import __version__
from crampcheck.errors import CrampcheckError

UNITS = click.Choice(["mi", "km"])
DECODERS = click.Choice(["auto", "fast", "fitparse"])
LB_PER_KG = 2.20462262
L_PER_OZ = 0.0295735296


@contextmanager
def user_errors(debug: bool = False):
    """Turn crampcheck's user-facing errors (and unexpected ones) into one line and exit 1."""
    try:
        yield
    except CrampcheckError as exc:
        raise click.ClickException(str(exc)) from None
    except (KeyboardInterrupt, click.ClickException, click.exceptions.Exit):
        raise
    except Exception as exc:  # a bug or a file we did not foresee: one line, traceback only with --debug
        if debug:
            raise
        raise click.ClickException(f"unexpected error ({type(exc).__name__}: {exc}); rerun with --debug for details") from None


def _quantity(text: str | None, units: dict[str, float], default: str, what: str) -> float | None:
    """Parse "70", "70kg", "154 lb", "0.5L", "16oz" into the base unit (first key of ``units``)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    suffix = match.group(2).lower() if match else ""
    if not match or (suffix and suffix not in units):
        raise click.BadParameter(f"{text!r}: give a number with an optional unit ({', '.join(units)})", param_hint=what)
    return float(match.group(1)) * units[suffix or default]


def _write_or_echo(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
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
    crampcheck thresholds       the thresholds in force and where each comes from
    """


def _config_options(f):
    f = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML). Default: ~/.config/crampcheck/config.toml.")(f)
    f = click.option("--units", type=UNITS, default=None, help="Splits and paces per mile or per km (default: config, else mi).")(f)
    return f


def _load_config(config_path: str | None, **overrides):
    from crampcheck.risk.config import load_config

    config = load_config(config_path)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return config.with_profile(**overrides) if overrides else config


@main.command()
@click.argument("run", type=click.Path())
@_config_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of the terminal.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML report with charts.")
@click.option("--open", "open_html", is_flag=True, help="Open the HTML report in the browser.")
@click.option("--weight-before", help="Body mass before the run (kg, or e.g. 154lb).")
@click.option("--weight-after", help="Body mass after the run (kg, or e.g. 151.5lb).")
@click.option("--fluid", help="Fluid drunk during the run (litres, or e.g. 16oz).")
@click.option("--ambient-temp", type=float, help="Air temperature in °C, overriding the watch's (warm) reading.")
@click.option("--past-cramps/--no-past-cramps", default=None, help="You have cramped before (raises every level one notch).")
@click.option("--decoder", type=DECODERS, default="auto", show_default=True, help="FIT/GPX decoder: crampcheck's fast one, or the fitparse/gpxpy reference.")
@click.option("--color/--no-color", default=None, help="Colour the terminal report (default: when on a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
def analyze(run, config_path, units, fmt, output, html_path, open_html, weight_before, weight_after, fluid, ambient_temp, past_cramps, decoder, color, debug):
    """Post-run report: pacing, temperature, heart rate and cramp risk factors of RUN."""
    mass = {"kg": 1.0, "lb": 1 / LB_PER_KG}
    volume = {"l": 1.0, "ml": 0.001, "oz": L_PER_OZ}
    with user_errors(debug):
        config = _load_config(
            config_path,
            units=units,
            weight_before_kg=_quantity(weight_before, mass, "kg", "--weight-before"),
            weight_after_kg=_quantity(weight_after, mass, "kg", "--weight-after"),
            fluid_l=_quantity(fluid, volume, "l", "--fluid"),
            ambient_temp_c=ambient_temp,
            past_cramps=past_cramps,
        )
        from crampcheck.pipeline import analyze as analyze_run
        from crampcheck.pipeline import load
        from crampcheck.report.jsonout import dumps, run_to_dict

        report = analyze_run(load(run, decoder=decoder), units=units, config=config)
        data = run_to_dict(report)
        if fmt == "json":
            text = dumps(data) + "\n"
        elif fmt == "markdown":
            from crampcheck.report.run import render_run_markdown

            text = render_run_markdown(data)
        else:
            from crampcheck.report.run import render_run_text

            use_color = color if color is not None else (output is None and sys.stdout.isatty())
            text = render_run_text(data, color=use_color)
        _write_or_echo(text, output)
        if html_path:
            from crampcheck.report.html_run import render_run_html, run_series

            Path(html_path).write_text(render_run_html(data, run_series(report), report.units), encoding="utf-8")
            click.echo(f"wrote {html_path}", err=True)
            if open_html:
                click.launch(str(Path(html_path).resolve()))


@main.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def thresholds(config_path, fmt):
    """Print the thresholds in force: value, unit, source, evidence and origin."""
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
            ["name", "value", "unit", "evidence", "origin", "source"],
            [[r["name"], f"{r['value']}", r["unit"], r["evidence"], r["origin"], r["source"]] for r in rows],
        )
        doc = Doc("crampcheck thresholds in force").add(table)
        click.echo(render_markdown(doc) if fmt == "markdown" else render_text(doc), nl=False)
