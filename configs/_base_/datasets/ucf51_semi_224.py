# Semi-supervised ucf51 loaders at 224 (1-shot lists; 5-shot configs override the ann_file keys).
_base_ = ['ucf51.py', 'semi_224.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(data_root={{_base_.data_root}}),
        unlabeled=dict(data_root={{_base_.data_root}}),
    )
)
val_dataloader = dict(dataset=dict(data_root={{_base_.data_root}}))
test_dataloader = dict(dataset=dict(data_root={{_base_.data_root}}))
