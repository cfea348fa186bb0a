"""tools/analysis/benchmark_mix_time.py and avssl.analysis.step_timing: interleaved step times."""

from __future__ import annotations

import re

import torch
from helpers import REPO, run_tool
from mmengine.config import Config

from avssl.analysis.step_timing import StepRunner, build_runner, run_interleaved, split_batch

TUBE = 'configs/avssl_tiny_synthav_1shot_tube.py'
ASL = 'configs/avssl_tiny_synthav_1shot.py'
ROW = re.compile(r'^(\S+)\s+(TubeTokenMix|ASLGuidedMix)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s')
RATIO = re.compile(r'^ratio ASL/tube (\S+)/(\S+): median=([\d.]+) mean=([\d.]+)$')


def test_batch_split_follows_the_ratio_sampler() -> None:
    cfg = Config.fromfile(str(REPO / TUBE))
    assert split_batch(cfg) == (2, 10)
    assert split_batch(cfg, 6) == (1, 5)


def test_steps_are_interleaved_and_train_the_student(monkeypatch) -> None:
    cfg = {name: Config.fromfile(str(REPO / path)) for name, path in (('a', TUBE), ('b', ASL))}
    runners = [build_runner(c, name, batch_size=2) for name, c in cfg.items()]
    asl = runners[1]
    assert asl.mix == 'ASLGuidedMix' and runners[0].mix == 'TubeTokenMix'
    assert [len(v) for v in asl.batch['inputs'][1].values()] == [2, 3]  # weak; strong + asl
    before = [p.detach().clone() for p in asl.model.student.parameters()]
    teacher = [p.detach().clone() for p in asl.model.teacher.parameters()]
    order: list[str] = []
    step = StepRunner.step

    def spy(self: StepRunner, record: bool = True) -> float:
        order.append(self.name if record else self.name.upper())
        return step(self, record)

    monkeypatch.setattr(StepRunner, 'step', spy)
    run_interleaved(runners, iters=2, warmup=1)
    assert order == ['A', 'B', 'a', 'b', 'a', 'b']
    for r in runners:
        assert len(r.step_times) == 2 and all(t > 0 for t in r.step_times)
    assert all(t > 0 for t in asl.localizer_times) and runners[0].localizer_times == [0.0, 0.0]
    after = list(asl.model.student.parameters())
    assert any(not torch.equal(b, a) for b, a in zip(before, after, strict=True))
    assert all(
        torch.equal(b, a) for b, a in zip(teacher, asl.model.teacher.parameters(), strict=True)
    )


def test_cli_prints_rows_and_the_ratio() -> None:
    args = ['tools/analysis/benchmark_mix_time.py', '--configs', TUBE, ASL]
    args += ['--iters', '2', '--warmup', '0', '--batch-size', '6']
    proc = run_tool(args, cwd=REPO, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    rows = {m.group(1): m for m in map(ROW.match, proc.stdout.splitlines()) if m}
    assert set(rows) == {'avssl_tiny_synthav_1shot_tube', 'avssl_tiny_synthav_1shot'}
    for match in rows.values():
        assert all(float(match.group(i)) > 0 for i in (3, 4, 5))
    ratios = [m for m in map(RATIO.match, proc.stdout.splitlines()) if m]
    assert len(ratios) == 1
    asl, tube, median, mean = ratios[0].groups()
    assert (asl, tube) == ('avssl_tiny_synthav_1shot', 'avssl_tiny_synthav_1shot_tube')
    expected = float(rows[asl].group(3)) / float(rows[tube].group(3))
    assert float(median) > 0 and float(mean) > 0
    assert abs(float(median) - expected) < 0.01 * expected + 1e-3
