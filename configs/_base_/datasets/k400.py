# Kinetics-400 with the audio-less clips removed.
# The folder is written by tools/data/k400/prepare.py (docs/datasets.md).
dataset_type = 'VideoListDataset'
data_root = 'data/kinetics400'
num_classes = 400

ann_file_train = 'train.txt'
ann_file_val = 'val.txt'  # written by the prepare tool (docs/datasets.md)
ann_file_test = 'test.txt'
ann_file_labeled_1shot = 'train_labeled_1shot.txt'
ann_file_unlabeled_1shot = 'train_unlabeled_1shot.txt'
ann_file_labeled_5shot = 'train_labeled_5shot.txt'
ann_file_unlabeled_5shot = 'train_unlabeled_5shot.txt'
# Full path (mmengine cannot join {{_base_}} strings): keep it in line with data_root.
audio_stats_file = 'data/kinetics400/stats.json'
