"""CLI commands on files: rollup (municipality → county → state), peers (similar units) and gaps (shared gaps)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import typer

from dugnad.analytics.gaps import GAP_COLUMNS, ShareBase, colours_from_rows, gap_record, shared_gaps
from dugnad.analytics.peers import DEFAULT_WEIGHTS, parse_weights, peer_group, profiles_from_rows, similar_units
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.rollup import (
    CONTRIBUTION_COLUMNS,
    ROLLUP_COLUMNS,
    Basis,
    UnitTree,
    Weighting,
    contribution_records,
    goalposts_from_rows,
    members_from_rows,
    rollup,
    rollup_record,
    values_from_rows,
)
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, err_console, fail, print_rows
from dugnad.common.files import atomic_files

#: File names a ``dugnad score --out DIR`` directory may hold the indicator colours in, in order of preference.
SCORE_FILES = ("indicator_scores.csv", "indicator_scores.parquet")


def read_csv_rows(path: Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV file as dictionaries; a missing file or column is a located error."""
    report = ValidationReport(source=str(path))
    if not path.is_file():
        report.add("file not found", file=str(path))
        raise InputError(report)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for column in required:
            if column not in header:
                report.add(f"required column {column!r} is missing", file=str(path), row=1, column=column)
        if not report.ok:
            raise InputError(report)
        return list(reader)


def write_csv_atomic(targets: Mapping[Path, tuple[Sequence[str], Iterable[Mapping[str, object]]]]) -> None:
    """Write each CSV to a temporary file beside its target, then rename them all (nothing written on error)."""
    with atomic_files(*targets) as temps:
        for temp, (header, rows) in zip(temps, targets.values(), strict=True):
            with temp.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(header), lineterminator="\n")
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 12))
    return value


def _report_and_exit(error: InputError) -> typer.Exit:
    err_console.print(error.report.as_text(), highlight=False, markup=False, soft_wrap=True)
    return fail(_("%(n)s feil i inndata; ingenting er skrevet.") % {"n": len(error.report.errors)})


def rollup_command(
    observations: Path = typer.Option(
        ..., "--observations", help="Tidy observations CSV: unit, indicator, period|year, value[, status]."
    ),
    units: Path = typer.Option(..., "--units", help="Units CSV: unit, name, group, tags, parent, population."),
    out: Path = typer.Option(..., "--out", help="Roll-up CSV to write (one row per parent × indicator × period)."),
    indicators: Path | None = typer.Option(
        None,
        "--indicators",
        help="Indicator CSV: indicator, upper_bound, lower_bound, green, red[, target, direction, aggregation].",
    ),
    weight: Weighting = typer.Option(..., "--weight", help="population: population-weighted mean; none: unweighted mean."),
    basis: Basis = typer.Option(
        Basis.LEAVES, "--basis", help="leaves: every parent from its municipalities; children: mean of the children's roll-ups."
    ),
    year: str | None = typer.Option(None, "--year", help="Only periods of this year (YYYY)."),
    contributions: Path | None = typer.Option(
        None, "--contributions", help="Also write each member's value, weight, shortfall and share of the gap to this CSV."
    ),
    parent: list[str] = typer.Option([], "--parent", help="Only these parents (repeatable); default every unit with members."),
) -> None:
    """Roll indicator values up from municipalities to counties and the state, with coverage and gap contributions.

    The mean is population-weighted or unweighted: --weight is required and recorded on every row.
    Coverage is the share of members, and of their population, with data.
    The parent's own published value (its row in the observations) is shown beside the roll-up.
    Target (with --indicators): the 'target' column, else the green threshold, else the upper bound.
    Lower is better when upper_bound < lower_bound (or green < red, or a 'direction' column says so).
    Gap = Σ weight × shortfall over members with data; each member's contribution is its term.
    Indicators with aggregation 'sum' (counts) are summed instead of averaged, without a gap.

    Example: dugnad rollup --observations obs.csv --units units.csv --indicators ind.csv --weight population --out rollup.csv
    """
    if year is not None and not (len(year) == 4 and year.isdigit()):
        raise fail(_("--year må være fire sifre, fikk %(value)s") % {"value": repr(year)})
    try:
        members = members_from_rows(read_csv_rows(units, ["unit", "parent"]), file=str(units))
        values = values_from_rows(read_csv_rows(observations, ["unit", "indicator", "value"]), file=str(observations), year=year)
        goalposts = goalposts_from_rows(read_csv_rows(indicators, ["indicator"]), file=str(indicators)) if indicators else {}
        rows = rollup(values, members, weighting=weight, basis=basis, goalposts=goalposts, parents=parent or None)
    except InputError as error:
        raise _report_and_exit(error) from error
    targets: dict[Path, tuple[Sequence[str], Iterable[Mapping[str, object]]]] = {
        out: (ROLLUP_COLUMNS, [rollup_record(r) for r in rows])
    }
    if contributions is not None:
        targets[contributions] = (CONTRIBUTION_COLUMNS, [rec for r in rows for rec in contribution_records(r)])
    write_csv_atomic(targets)
    parents = len({r.parent for r in rows})
    console.print(_("Skrev %(n)s rader for %(parents)s overordnede enheter (%(weight)s) til %(file)s.") % {
        "n": len(rows), "parents": parents, "weight": weight.label_nb.lower(), "file": out})


def peers_command(
    units: Path = typer.Option(..., "--units", help="Units CSV with one numeric column per structural variable."),
    unit: str = typer.Option(..., "--unit", help="Code of the unit to find peers for."),
    k: int = typer.Option(5, "--k", min=1, help="Number of peers."),
    variables: str | None = typer.Option(
        None, "--vars", help="Variables and weights, e.g. population=1,density=1,centrality=0.5 (default: those of "
        f"{', '.join(DEFAULT_WEIGHTS)} present in the file, weight 1).",
    ),
    log: str = typer.Option("population,density", "--log", help="Variables taken as natural logarithms before standardising."),
    same_group: bool = typer.Option(False, "--same-group", help="Only candidates in the unit's peer group (e.g. KOSTRA group)."),
    group_column: str = typer.Option("group", "--group-column", help="Column holding the peer group."),
    any_level: bool = typer.Option(False, "--any-level", help="Candidates at every level, not only the unit's own level."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Output as a table or CSV."),
) -> None:
    """Find the k units most similar to a unit: weighted standardised (z-score) distance on structural variables.

    Each variable is standardised over the candidate pool (mean and population standard deviation).
    The --log variables are taken as natural logarithms first; distance = sqrt(Σ weight·(z_unit − z_candidate)²).
    The pool is the units at the unit's own level (same depth in the parent tree) unless --any-level.

    Example: dugnad peers --units units.csv --unit 4601 --k 5 --vars population=1,density=1,income=2
    """
    try:
        rows = read_csv_rows(units, ["unit"])
        header = set(rows[0]) if rows else set()
        weights = parse_weights(variables) if variables else {v: w for v, w in DEFAULT_WEIGHTS.items() if v in header}
        if not weights:
            raise fail(_("ingen av standardvariablene (%(variables)s) er en kolonne i %(file)s; bruk --vars") % {
                "variables": ", ".join(DEFAULT_WEIGHTS), "file": units})
        profiles = profiles_from_rows(rows, list(weights), file=str(units))
        groups = {r["unit"].strip(): (r.get(group_column) or "").strip() or None for r in rows if r.get("unit")}
        candidates = _peer_pool(rows, unit, any_level=any_level) if "parent" in header else list(profiles)
        if same_group:
            candidates = [c for c in candidates if c in set(peer_group(groups, unit))]
        logged = [v.strip() for v in log.split(",") if v.strip() in weights]
        search = similar_units(profiles, unit, weights=weights, k=k, log=logged, candidates=candidates, groups=groups)
    except InputError as error:
        raise _report_and_exit(error) from error
    names = {r["unit"].strip(): r.get("name", "") for r in rows if r.get("unit")}
    scales = ", ".join(f"{s.name}{' (ln)' if s.log else ''}×{s.weight:g}" for s in search.scales)
    print_rows(
        ["rank", "unit", "name", "distance", group_column, *weights],
        [[p.rank, p.unit, names.get(p.unit, ""), f"{p.distance:.4f}", p.group, *(profiles[p.unit][v] for v in weights)]
         for p in search.peers],
        fmt,
        title=_("Enheter som ligner %(unit)s %(name)s (%(scales)s; %(pool)s i utvalget)") % {
            "unit": unit, "name": names.get(unit, ""), "scales": scales, "pool": search.pool},
    )  # fmt: skip
    if search.excluded and fmt is OutputFormat.TABLE:
        err_console.print(_("%(n)s enheter uten fullstendige data er utelatt.") % {"n": len(search.excluded)}, highlight=False)


def _peer_pool(rows: list[dict[str, str]], unit: str, *, any_level: bool) -> list[str]:
    """Candidate codes: every unit, or the units at the same depth of the parent tree as the unit."""
    tree = UnitTree(members_from_rows(rows))
    if any_level or unit not in tree.members:
        return list(tree.members)
    mine = tree.depth(unit)
    return [code for code in tree.members if tree.depth(code) == mine]


def gaps_command(
    scores: Path = typer.Option(..., "--scores", help="Output directory of 'dugnad score' (or its indicator_scores CSV)."),
    units: Path = typer.Option(..., "--units", help="Units CSV: unit, name, group, tags, parent, population."),
    parent: str | None = typer.Option(None, "--parent", help="County or other parent: its municipalities are the set."),
    members: str | None = typer.Option(None, "--members", help="Comma-separated unit codes forming the set."),
    min_share: float = typer.Option(0.5, "--min-share", help="Minimum share of members that are red or orange (0–1]."),
    base: ShareBase = typer.Option(
        ShareBase.MEMBERS, "--share-of", help="members: share of all members; assessed: of those with data."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Output as a table or CSV."),
) -> None:
    """List the indicators where at least --min-share of a set's members are red or orange, by population affected.

    The set is the lowest-level members of --parent (a county's municipalities) or the units given with --members.
    With neither, the set is every lowest-level unit in the units file.

    Example: dugnad gaps --scores out/ --units units.csv --parent 40 --min-share 0.5
    """
    try:
        unit_rows = read_csv_rows(units, ["unit", "parent"])
        tree = UnitTree(members_from_rows(unit_rows, file=str(units)))
        chosen = _gap_members(tree, parent, members)
        colour_file, colour_rows = _score_rows(scores)
        colours = colours_from_rows(colour_rows, file=str(colour_file))
        pops = {code: m.population for code, m in tree.members.items()}
        gaps = shared_gaps(colours, chosen, populations=pops, min_share=min_share, base=base)
    except InputError as error:
        raise _report_and_exit(error) from error
    title = _("Felles utfordringer for %(parent)s: %(n)s enheter, minst %(share)s røde/oransje") % {
        "parent": parent or _("valgte enheter"), "n": len(chosen), "share": f"{min_share:.0%}"}
    print_rows(list(GAP_COLUMNS), [list(gap_record(g).values()) for g in gaps], fmt, title=title)


def _gap_members(tree: UnitTree, parent: str | None, members: str | None) -> list[str]:
    report = ValidationReport(source="set of units")
    if parent and members:
        report.add("give either --parent or --members, not both")
    elif parent and parent not in tree.members:
        report.add("--parent is not a unit of the units file", value=parent)
    chosen = [m.strip() for m in (members or "").split(",") if m.strip()]
    for code in chosen:
        if code not in tree.members:
            report.add("member is not a unit of the units file", value=code)
    if not report.ok:
        raise InputError(report)
    if parent:
        return [leaf for leaf in tree.leaves(parent) if leaf != parent]
    return chosen or [code for code in tree.members if code not in tree.children]


def _score_rows(scores: Path) -> tuple[Path, list[dict[str, str]]]:
    """The indicator-colour rows of a score output directory (CSV, or Parquet read with pyarrow)."""
    path = scores
    if scores.is_dir():
        found = [scores / name for name in SCORE_FILES if (scores / name).is_file()]
        if not found:
            report = ValidationReport(source=str(scores))
            report.add(f"no {' or '.join(SCORE_FILES)} in the directory", file=str(scores))
            raise InputError(report)
        path = found[0]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path, columns=["unit", "indicator", "colour"])
        return path, [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in table.to_pylist()]
    return path, read_csv_rows(path, ["unit", "indicator", "colour"])


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app: rollup, peers and gaps."""
    app.command("rollup")(rollup_command)
    app.command("peers")(peers_command)
    app.command("gaps")(gaps_command)
