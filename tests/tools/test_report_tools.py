"""The reporting tools behind docs/reproduction.md: Table-2 report, curves, val selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import REPO, load_tool


def _load(name: str):
    return load_tool(f'tools/analysis/{name}.py')


def _cell(root: Path, config: str, seed: int, top1: float) -> None:
    folder = root / config / f'seed{seed}' / 'test'
    folder.mkdir(parents=True)
    (folder / 'test_metrics.json').write_text(json.dumps({'acc/top1': top1}))


def _scalars(run: Path, records: list[dict]) -> None:
    folder = run / '20261203_000000' / 'vis_data'
    folder.mkdir(parents=True)
    (folder / 'scalars.json').write_text('\n'.join(json.dumps(r) for r in records) + '\n')


def test_table2_report_means_and_seed_paired_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _load('table2_report')
    for seed, (a, b) in enumerate([(0.30, 0.20), (0.25, 0.27), (0.40, 0.30)]):
        _cell(tmp_path, 'cfg_a', seed, a)
        _cell(tmp_path, 'cfg_b', seed, b)
    _cell(tmp_path, 'cfg_b', 3, 0.9)  # a seed A lacks: not paired
    rows = tmp_path / 'rows.json'
    rows.write_text(json.dumps({'A': 'cfg_a', 'B': 'cfg_b', 'C': 'cfg_missing'}))
    out = tmp_path / 'out.json'
    chart = tmp_path / 'chart.png'
    report.main(
        [
            '--work-root',
            str(tmp_path),
            '--rows',
            str(rows),
            '--pairs',
            'A:B',
            '--chart',
            str(chart),
            '--json',
            str(out),
        ]
    )
    result = json.loads(out.read_text())
    pair = result['pairs']['A:B']
    # hand values: differences +10, -2, +10 points
    assert pair['seeds'] == 3 and pair['wins'] == 2
    assert pair['mean'] == pytest.approx(6.0) and pair['std'] == pytest.approx(6.928203, rel=1e-5)
    assert result['rows']['A'] == {'0': pytest.approx(30.0), '1': 25.0, '2': 40.0}
    printed = capsys.readouterr().out
    assert '| C | `cfg_missing.py` | 0 | not run |' in printed
    assert chart.stat().st_size > 1000


def test_plot_curves_reads_the_newest_scalars_and_draws_logged_panels(tmp_path: Path) -> None:
    curves = _load('plot_curves')
    run = tmp_path / 'run'
    _scalars(
        run,
        [
            {'step': 10, 'lr': 1e-3, 'loss': 2.0, 'pass_rate': 1.0, 'pseudo_acc': 0.1},
            {
                'step': 20,
                'lr': 1e-3,
                'loss': 1.5,
                'pass_rate': 0.8,
                'pseudo_acc': 0.3,
                'threshold_mean': 0.2,
                'threshold_min': 0.1,
                'threshold_max': 0.3,
            },
            {'step': 0, 'acc/top1': 0.42},  # mmengine: validation at step 0
        ],
    )
    series = curves.read_scalars(run)
    assert series['loss'] == [(10, 2.0), (20, 1.5)] and series['acc/top1'] == [(20, 0.42)]
    drawn = curves.plot_runs({'r': series}, tmp_path / 'c.png')
    assert len(drawn) == 5 and (tmp_path / 'c.png').stat().st_size > 1000
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        curves.read_scalars(tmp_path / 'nothing')
    with pytest.raises(ValueError, match='logged'):
        curves.plot_runs({'r': {'other': [(1, 1.0)]}}, tmp_path / 'd.png')


def test_val_selection_picks_the_best_mean_of_the_last_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    selection = _load('val_selection')
    for setting, values in {'start50': (0.5, 0.3), 'start150': (0.2, 0.7)}.items():
        for config, value in zip(('flex', 'method'), values, strict=True):
            _scalars(
                tmp_path / setting / config / 'seed100',
                [
                    {'step': 200, 'lr': 1e-3},
                    {'step': 0, 'acc/top1': 0.9},
                    {'step': 400, 'lr': 1e-3},
                    {'step': 0, 'acc/top1': value},
                ],
            )
    selection.main([str(tmp_path)])
    printed = capsys.readouterr().out
    # last validation counts (0.9 at 200 does not): means 40 vs 45
    assert '| start50 | method | 100 | 400 | 30.00 |' in printed
    assert '| start50 | 2 | 40.00 |' in printed and '| start150 | 2 | 45.00 |' in printed
    assert printed.strip().endswith('best on val: start150')
    # a third setting level with the best: a tie, and nothing is chosen
    for config, value in (('flex', 0.45), ('method', 0.45)):
        _scalars(tmp_path / 'alpha' / config / 'seed100', [{'step': 0, 'acc/top1': value}])
    selection.main([str(tmp_path)])
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith('tie on val (45.00): alpha, start150; nothing is chosen')
    )


def test_phase_means_average_within_runs_then_over_runs() -> None:
    phase = _load('phase_means')
    run_a = {'pseudo_acc': [(10, 0.1), (20, 0.3), (60, 0.5)]}
    run_b = {'pseudo_acc': [(10, 0.3), (60, 0.7), (70, 0.9)]}
    # phase (0, 50]: run a 0.2, run b 0.3 -> 0.25; phase (50, 100]: a 0.5, b 0.8 -> 0.65
    means = phase.phase_means([run_a, run_b], 'pseudo_acc', [0, 50, 100, 150])
    assert means[0] == pytest.approx(0.25) and means[1] == pytest.approx(0.65)
    assert means[2] is None


def test_sweep_plot_table_plot_and_degeneracy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sweep = _load('sweep_plot')
    for seed, (lo, hi) in enumerate([(0.20, 0.40), (0.22, 0.44)]):
        _cell(tmp_path, 'tau_low', seed, lo)
        _cell(tmp_path, 'tau_high', seed, hi)
    out, data = tmp_path / 'sweep.png', tmp_path / 'sweep.json'
    argv = ['--work-root', str(tmp_path), '--xlabel', 'tau', '--out', str(out), '--json', str(data)]
    sweep.main(argv + ['--points', '0.1=tau_low', '0.5=tau_high', '0.9=tau_missing'])
    printed = capsys.readouterr().out
    assert '| 0.1 | `tau_low.py` | 2 | 21.00 +- 1.41 |' in printed
    assert '| 0.9 | `tau_missing.py` | 0 | not run |' in printed
    assert 'not degenerate' in printed
    assert out.stat().st_size > 1000
    result = json.loads(data.read_text())
    assert result['degenerate'] is False
    assert result['points']['0.5']['mean'] == pytest.approx(42.0)
    # Means 1 point apart with a 1.41-point seed std: degenerate.
    assert sweep.degenerate([21.0, 22.0], [1.41, 0.5])
    assert not sweep.degenerate([21.0], [0.0])
    with pytest.raises(ValueError, match='VALUE=CONFIG'):
        sweep.parse_points(['0.1'])
    # One finished point is no sweep: no verdict and no plot.
    lone = tmp_path / 'lone.png'
    sweep.main(
        ['--work-root', str(tmp_path), '--xlabel', 'k', '--out', str(lone), '--json', str(data)]
        + ['--points', '1=tau_low', '2=tau_missing']
    )
    assert 'no sweep to judge' in capsys.readouterr().out
    assert not lone.exists()
    assert json.loads(data.read_text())['degenerate'] is None


def test_sweep_plot_two_curves_paired_by_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sweep = _load('sweep_plot')
    # FlexMatch flat at 30 / 32 (seeds 0 / 1); fixed equal at 0.3 and 8 points lower at 0.9;
    # a third seed of FlexMatch at 0.3 that --seeds must leave out
    for seed, flex in enumerate([0.30, 0.32]):
        for tau in ('lo', 'hi'):
            _cell(tmp_path, f'flex_{tau}', seed, flex)
        _cell(tmp_path, 'fixed_lo', seed, flex)
        _cell(tmp_path, 'fixed_hi', seed, flex - 0.08)
    _cell(tmp_path, 'flex_lo', 2, 0.50)
    out, data = tmp_path / 'two.png', tmp_path / 'two.json'
    argv = ['--work-root', str(tmp_path), '--xlabel', 'tau', '--out', str(out)]
    argv += ['--json', str(data), '--seeds', '0', '1', '--labels', 'FlexMatch', 'fixed']
    # one curve but two labels, or two curves and one label: refused
    with pytest.raises(SystemExit):
        sweep.main(argv + ['--points', '0.3=flex_lo', '0.9=flex_hi'])
    with pytest.raises(SystemExit):
        sweep.main(argv[:-1] + ['--points', '0.3=flex_lo', '--points', '0.3=fixed_lo'])
    capsys.readouterr()
    sweep.main(
        argv
        + ['--points', '0.3=flex_lo', '0.9=flex_hi', '--points', '0.3=fixed_lo']
        + ['0.9=fixed_hi']
    )
    printed = capsys.readouterr().out
    assert '**FlexMatch**' in printed and '**fixed**' in printed
    # seed 2 left out: FlexMatch at 0.3 is 31.00 over seeds 0 and 1
    assert '| 0.3 | `flex_lo.py` | 2 | 31.00 +- 1.41 |' in printed
    assert '| 0.9 | fixed | 2 | -8.00 +- 0.00 | 0 of 2 |' in printed
    assert '| 0.3 | fixed | 2 | +0.00 +- 0.00 | 0 of 2 |' in printed
    result = json.loads(data.read_text())
    assert result['curves']['FlexMatch']['degenerate'] is True
    assert result['curves']['fixed']['degenerate'] is False
    assert result['paired']['fixed']['0.9']['mean'] == pytest.approx(-8.0)
    assert result['points']['0.3']['mean'] == pytest.approx(31.0)
    assert out.stat().st_size > 1000


def test_fill_reproduction_tables_replaces_only_between_markers() -> None:
    module = load_tool('tools/experiments/fill_reproduction_tables.py')
    text = 'intro\n<!-- table2-1shot -->\nold\nrows\n<!-- /table2-1shot -->\nafter\n'
    out = module.fill(text, 'table2-1shot', '| new |\n')
    assert out == 'intro\n<!-- table2-1shot -->\n| new |\n<!-- /table2-1shot -->\nafter\n'
    with pytest.raises(KeyError, match='table2-5shot'):
        module.fill(text, 'table2-5shot', 'x')
    # the page itself carries the markers of every budget the tool fills
    page = (REPO / 'docs' / 'reproduction.md').read_text()
    assert set(module.ROWS) == {
        '1shot',
        '5shot',
        '1shot_aux',
        '1shot_loc',
        '5shot_fixed',
        '5shot_oracle',
        '5shot_aux',
        '5shot_aux_w2',
        '5shot_aux_w2_seeds5_9',
        '5shot_aux_w2_seeds0_9',
        '5shot_aux_w4',
        '5shot_aux_w2_loc',
        '5shot_aux_w2_loc_seeds5_9',
        '5shot_aux_w2_loc_seeds0_9',
        '5shot_aux_w2_scratch',
        '5shot_aux_w2_loc_seeds10_14',
        '5shot_aux_w2_loc_seeds0_14',
        '1shot_scratch',
        '1shot_mdrop',
        '1shot_mdrop_seeds5_9',
        '1shot_mdrop_seeds0_9',
        '5shot_aux_w2_vpres',
        '5shot_aux_w2_vw',
        'label_budgets',
        'label_budgets_seeds5_9',
        '5shot_aux_w2_loc_oracle',
        '5shot_gate',
        '5shot_gate_seeds5_9',
        '5shot_gate_seeds0_9',
        '5shot_gate_seeds10_14',
        '5shot_gate_seeds0_14',
        '5shot_gate_table2',
        '5shot_gate_table2_seeds5_9',
        '5shot_gate_table2_seeds0_9',
        '5shot_gate_table2_seeds10_14',
        '5shot_gate_table2_seeds0_14',
        '5shot_pgate',
        '5shot_pgate_seeds5_14',
        '5shot_pgate_seeds0_14',
        '1shot_gate',
        '1shot_gate_seeds5_9',
        '1shot_gate_seeds0_9',
        '1shot_gate_table2',
        '1shot_vdata',
        '5shot_vdata',
        '1shot_vdata_solo_seeds5_9',
        '1shot_vdata_solo_seeds0_9',
        '1shot_solo_table2',
        '1shot_oracle_v',
        '1shot_solo_table2_seeds0_4',
        '1shot_randaug',
        '1shot_it800',
        '1shot_gate_table2_it800',
        '1shot_grid_it800',
        '1shot_v_it800_seeds5_9',
        '1shot_v_it800_seeds0_9',
        '1shot_grid_it800_seeds5_9',
        '1shot_grid_it800_seeds0_9',
        '1shot_srcpool',
        '1shot_frozenenc',
        '1shot_imprint',
        '1shot_imprint_table2',
        '1shot_imprint_seeds5_9',
        '1shot_imprint_seeds0_9',
        '5shot_imprint',
        '5shot_imprint_w05',
    }
    for budget in module.ROWS:
        assert f'<!-- table2-{budget} -->' in page and f'<!-- /table2-{budget} -->' in page
        assert budget in module.PAIRS and budget in module.TITLES


def test_results_ledger_collects_cells_and_rejects_bad_lines(tmp_path: Path) -> None:
    ledger_tool = _load('results_ledger')
    root, ledger = tmp_path / 'root', tmp_path / 'ledger.jsonl'
    _cell(root, 'cfg_a', 0, 0.25)
    _cell(root, 'cfg_a', 1, 0.30)
    _cell(root, 'cfg_b', 0, 0.10)
    assert ledger_tool.collect(root, ledger) == [('cfg_a', 0), ('cfg_a', 1), ('cfg_b', 0)]
    records = ledger_tool.load(ledger)
    assert records[('cfg_a', 1)]['top1'] == pytest.approx(30.0)
    assert records[('cfg_a', 1)]['source'].startswith('test_metrics.json')
    # collecting again changes nothing; a rerun cell with a new result replaces its line
    assert ledger_tool.collect(root, ledger) == []
    (root / 'cfg_b' / 'seed0' / 'test' / 'test_metrics.json').write_text('{"acc/top1": 0.2}')
    assert ledger_tool.collect(root, ledger) == [('cfg_b', 0)]
    assert ledger_tool.load(ledger)[('cfg_b', 0)]['top1'] == pytest.approx(20.0)
    assert len(ledger.read_text().splitlines()) == 3
    # one cell, one line; a broken line is named
    ledger.write_text(ledger.read_text() + ledger.read_text().splitlines()[0] + '\n')
    with pytest.raises(ValueError, match=r'ledger.jsonl:4: cfg_a seed 0 is recorded twice'):
        ledger_tool.load(ledger)
    ledger.write_text('{"config": "cfg_a"}\n')
    with pytest.raises(ValueError, match=r'ledger.jsonl:1: not a ledger record'):
        ledger_tool.load(ledger)
    assert ledger_tool.load(tmp_path / 'missing.jsonl') == {}


def test_rerecording_an_unchanged_cell_keeps_its_source(tmp_path: Path) -> None:
    """A restarted grid re-reads its finished cells; their lines must not churn."""
    ledger_tool = _load('results_ledger')
    ledger = tmp_path / 'ledger.jsonl'
    metrics = {'acc/top1': 0.25, 'acc/student_top1': 0.3, 'train_seconds': 12.5}
    first = ledger_tool.record_cell(ledger, 'cfg_a', 0, metrics, source='first, abc1234')
    before = ledger.read_text()
    again = ledger_tool.record_cell(ledger, 'cfg_a', 0, metrics, source='again, def5678')
    assert again == first and again['source'] == 'first, abc1234'
    assert ledger.read_text() == before
    # a cell whose result changed is replaced, with the new source
    changed = ledger_tool.record_cell(
        ledger, 'cfg_a', 0, {**metrics, 'acc/top1': 0.26}, source='rerun, def5678'
    )
    assert changed['source'] == 'rerun, def5678'
    assert ledger_tool.load(ledger)[('cfg_a', 0)]['top1'] == pytest.approx(26.0)


def test_report_reads_the_ledger_where_the_work_dir_is_missing(tmp_path: Path) -> None:
    report, ledger_tool = _load('table2_report'), _load('results_ledger')
    ledger = tmp_path / 'ledger.jsonl'
    ledger_tool.record_cell(ledger, 'cfg_a', 0, {'acc/top1': 0.25}, source='test')
    ledger_tool.record_cell(ledger, 'cfg_a', 1, {'acc/top1': 0.30}, source='test')
    records = ledger_tool.load(ledger)
    _cell(tmp_path, 'cfg_a', 2, 0.40)  # only in the work dir
    assert report.read_row(tmp_path, 'cfg_a', ledger=records) == {0: 25.0, 1: 30.0, 2: 40.0}
    assert report.read_row(tmp_path, 'cfg_a') == {2: 40.0}
    # a seed set keeps only its seeds, from the ledger and the work dir alike
    assert report.read_row(tmp_path, 'cfg_a', ledger=records, seeds={1, 2}) == {1: 30.0, 2: 40.0}
    _cell(tmp_path, 'cfg_a', 1, 0.31)  # the work dir disagrees with the ledger
    with pytest.raises(ValueError, match='cfg_a seed 1.*results_ledger.py collect'):
        report.read_row(tmp_path, 'cfg_a', ledger=records)


def test_committed_ledger_rebuilds_every_table_of_the_reproduction_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/reproduction.md's generated tables are what docs/data/table2_results.jsonl holds."""
    fill_tool, report = (
        load_tool('tools/experiments/fill_reproduction_tables.py'),
        _load('table2_report'),
    )
    page = (REPO / 'docs' / 'reproduction.md').read_text()
    for budget in fill_tool.ROWS:
        capsys.readouterr()
        report.main(['--work-root', str(tmp_path), *fill_tool.report_args(budget)])
        printed = capsys.readouterr().out.strip()
        assert fill_tool.fill(page, f'table2-{budget}', printed) == page, budget
