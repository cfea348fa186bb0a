# UCF-51: the 51 UCF-101 classes whose videos carry audio (split 1).
# The folder is written by tools/data/ucf51/prepare.py (docs/datasets.md).
dataset_type = 'VideoListDataset'
data_root = 'data/ucf51'
num_classes = 51

ann_file_train = 'train.txt'
ann_file_val = 'val.txt'  # written by the prepare tool (docs/datasets.md)
ann_file_test = 'test.txt'
ann_file_labeled_1shot = 'train_labeled_1shot.txt'
ann_file_unlabeled_1shot = 'train_unlabeled_1shot.txt'
ann_file_labeled_5shot = 'train_labeled_5shot.txt'
ann_file_unlabeled_5shot = 'train_unlabeled_5shot.txt'
# Full path (mmengine cannot join {{_base_}} strings): keep it in line with data_root.
audio_stats_file = 'data/ucf51/stats.json'
