"""CosineHead: logits by hand, imprinting makes it the nearest class mean, clear errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from avssl.models.heads import CosineHead


def test_logits_are_scale_times_the_cosines_by_hand() -> None:
    head = CosineHead(num_classes=2, in_channels=2, scale=4.0)
    with torch.no_grad():
        head.weight.copy_(torch.tensor([[2.0, 0.0], [1.0, 1.0]]))
    x = torch.tensor([[3.0, 0.0], [0.0, -5.0]])
    expected = 4.0 * torch.tensor([[1.0, 2**-0.5], [0.0, -(2**-0.5)]])
    assert torch.allclose(head(x), expected, atol=1e-6)
    assert head(100 * x).abs().max() <= 4.0 + 1e-5  # bounded by the scale, whatever the norm


def test_class_means_are_per_class_sums_of_unit_features() -> None:
    features = torch.tensor([[3.0, 4.0], [0.0, 2.0], [1.0, 0.0]])
    labels = torch.tensor([0, 0, 2])
    sums, counts = CosineHead.class_means(features, labels, num_classes=3)
    assert torch.allclose(sums, torch.tensor([[0.6, 1.8], [0.0, 0.0], [1.0, 0.0]]))
    assert torch.equal(counts, torch.tensor([2.0, 0.0, 1.0]))


def test_an_imprinted_head_is_the_nearest_class_mean() -> None:
    gen = torch.Generator().manual_seed(0)
    train = torch.randn(12, 5, generator=gen)
    labels = torch.arange(4).repeat(3)
    test = torch.randn(40, 5, generator=gen)
    head = CosineHead(num_classes=4, in_channels=5)
    head.imprint(*head.class_means(train, labels, 4))
    unit = F.normalize(train, dim=-1)
    means = torch.stack([unit[labels == c].mean(0) for c in range(4)])
    assert torch.allclose(head.weight, F.normalize(means, dim=-1), atol=1e-6)
    nearest = (F.normalize(test, dim=-1) @ F.normalize(means, dim=-1).t()).argmax(-1)
    assert torch.equal(head(test).argmax(-1), nearest)
    # one clip per class: each labeled clip is its own class mean, so it is classified right
    one = CosineHead(num_classes=4, in_channels=5)
    one.imprint(*one.class_means(train[:4], labels[:4], 4))
    assert torch.equal(one(train[:4]).argmax(-1), labels[:4])


def test_the_head_trains_through_mmaction2s_loss() -> None:
    head = CosineHead(num_classes=3, in_channels=4, average_clips='prob')
    from helpers import labeled_samples

    losses = head.loss_by_feat(head(torch.randn(2, 4)), labeled_samples([0, 2]))
    losses['loss_cls'].backward()
    assert head.weight.grad is not None and head.weight.grad.abs().sum() > 0


def test_clear_errors() -> None:
    with pytest.raises(ValueError, match='scale must be > 0'):
        CosineHead(num_classes=3, in_channels=4, scale=0.0)
    head = CosineHead(num_classes=3, in_channels=4)
    with pytest.raises(ValueError, match=r'expects features \(N, 4\)'):
        head(torch.randn(2, 5))
    sums, counts = head.class_means(torch.randn(2, 4), torch.tensor([0, 2]), 3)
    with pytest.raises(ValueError, match=r'classes \[1\] have no labeled clip'):
        head.imprint(sums, counts)
    with pytest.raises(ValueError, match='labels must lie in'):
        head.class_means(torch.randn(2, 4), torch.tensor([0, 3]), 3)
