# Labeled-only lower bound, video (Table 2's labeled-only V row), tiny, SynthAV, 1 label per
# class, in the protocol of the semi-supervised rows (docs/reproduction.md): SVFormer's tiny
# network, pretrained start, recipe and schedule, the same 2 labeled clips per batch for the
# same 400 iterations, the EMA teacher reported. The batches hold no unlabeled clips, so no
# pseudo-label, mix or threshold comes into play: what the semi rows add over this row is the
# unlabeled data alone.
_base_ = ['./svformer_tiny_synthav_1shot_flex.py']

train_dataloader = dict(batch_size=2, sampler=dict(batch_size=2, source_ratio=[1, 0]))
