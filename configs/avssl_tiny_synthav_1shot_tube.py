# V+A+Tube, tiny, SynthAV, 1 label per class: SVFormer-Flex's tiny recipe with the audio
# encoder, one fusion layer and audio mixup (same lambda and partner as the tube mix).
_base_ = ['./svformer_tiny_synthav_1shot_flex.py', '_base_/models/avssl_tiny_network.py']

model = dict(network={{_base_.avssl_tiny_network}})
