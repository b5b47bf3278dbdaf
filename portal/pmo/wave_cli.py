"""`flask wave select WAVE` and `flask wave draw --verify WAVE`: the selection and its independent check."""

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from portal.domain import DomainError
from portal.models import Wave
from portal.services import selection

wave_cli = AppGroup("wave", help="Waves and their selection.")


def _wave(number):
    wave = Wave.get_or_none(Wave.number == number)
    if wave is None:
        raise click.ClickException(f"no wave number {number}")
    return wave


@wave_cli.command("select")
@click.argument("number", type=int)
@click.option("--no-notify", is_flag=True, help="Do not queue the results for email and SMS.")
def select_command(number, no_notify):
    """Run (or re-run) the selection of a closed wave and print the outcome counts."""
    wave = _wave(number)
    try:
        counts = selection.run(wave, notify=not no_notify)
    except DomainError as error:
        with force_locale("en"):
            raise click.ClickException(str(error.message)) from None
    wave = Wave.get_by_id(wave.id)
    click.echo(f"Wave {wave.number}: seed {wave.seed}")
    for outcome in ("selected", "not_selected", "ineligible"):
        click.echo(f"  {outcome:<13} {counts.get(outcome, 0)}")


@wave_cli.command("draw")
@click.argument("number", type=int)
@click.option("--verify", is_flag=True, required=True, help="Re-compute the draw from the seed and compare.")
def draw_command(number, verify):
    """Re-compute screening and the draw in Python from the recorded seed and compare with the stored outcomes."""
    wave = _wave(number)
    if not wave.seed:
        raise click.ClickException(f"wave {number} has no selection yet")
    differences = selection.verify(wave)
    if differences:
        for entry_id, stored, expected in differences[:20]:
            click.echo(f"  entry {entry_id}: stored {stored}, expected {expected}")
        raise click.ClickException(f"{len(differences)} entries differ from the draw with seed {wave.seed}")
    click.echo(f"Wave {number}: the draw with seed {wave.seed} reproduces every stored outcome.")
