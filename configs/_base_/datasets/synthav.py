# SynthAV, the built-in audio-visual data set (docs/synthav.md). Generated on first use.
dataset_type = 'SynthAVDataset'
data_root = 'data/synthav'
num_classes = 10
generator_cfg = dict(num_classes=10, clips_per_class=100, seed=0)

ann_file_train = 'train.txt'
ann_file_val = 'val.txt'
ann_file_test = 'test.txt'
ann_file_labeled_1shot = 'train_labeled_1shot.txt'
ann_file_unlabeled_1shot = 'train_unlabeled_1shot.txt'
ann_file_labeled_5shot = 'train_labeled_5shot.txt'
ann_file_unlabeled_5shot = 'train_unlabeled_5shot.txt'
# Full path (mmengine cannot join {{_base_}} strings): keep it in line with data_root.
audio_stats_file = 'data/synthav/stats.json'
boxes_file = 'boxes.json'
