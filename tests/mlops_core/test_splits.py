"""Deterministic, stratified splits with numpy only."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from mlops_core.splits import split_indices

LABELS = ["a"] * 50 + ["b"] * 30 + ["c"] * 15 + ["d"] * 3 + ["e"] * 2


def _split(labels=LABELS, **kwargs):
    options = {"test_size": 0.2, "seed": 42, **kwargs}
    return split_indices(len(labels), labels=labels, **options)


def test_train_and_test_partition_all_rows():
    train, test = _split()
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(LABELS)))


def test_test_size_sets_the_number_of_test_rows():
    _, test = _split()
    assert len(test) == 20


def test_each_class_keeps_its_share_in_test():
    labels = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
    _, test = _split(labels)
    assert Counter(labels[i] for i in test) == {"a": 10, "b": 6, "c": 4}


def test_rounding_takes_a_row_from_the_biggest_class_first():
    # 100 rows -> 20 test rows, but d and e need one each (quota 0.6 and 0.4): 'a' gives one up.
    _, test = _split()
    assert Counter(LABELS[i] for i in test) == {"a": 9, "b": 6, "c": 3, "d": 1, "e": 1}


def test_every_class_with_two_rows_is_in_train_and_in_test():
    train, test = _split()
    assert {LABELS[i] for i in train} == {LABELS[i] for i in test} == set("abcde")


def test_a_single_row_class_stays_in_train():
    labels = ["a"] * 20 + ["solo"]
    train, _ = _split(labels)
    assert labels.index("solo") in train.tolist()


def test_same_seed_gives_the_same_split():
    assert [part.tolist() for part in _split()] == [part.tolist() for part in _split()]


def test_another_seed_gives_another_split():
    assert _split()[1].tolist() != _split(seed=7)[1].tolist()


def test_indices_are_sorted_to_keep_row_order():
    train, test = _split()
    assert train.tolist() == sorted(train.tolist()) and test.tolist() == sorted(test.tolist())


def test_unstratified_split_has_the_requested_size():
    train, test = split_indices(10, test_size=0.25, seed=1)
    assert (len(train), len(test)) == (7, 3)  # 2.5 rows round half up


def test_many_small_classes_do_not_inflate_the_test_set():
    labels = [f"class{i}" for i in range(10) for _ in range(3)]  # 10 classes of 3 rows
    _, test = _split(labels, test_size=0.1)
    assert len(test) == 10  # each class needs one test row; no more than that


def test_one_row_cannot_be_split():
    with pytest.raises(ValueError, match="at least 2"):
        split_indices(1, test_size=0.2, seed=1)


def test_labels_must_match_the_row_count():
    with pytest.raises(ValueError, match="labels"):
        split_indices(3, test_size=0.2, seed=1, labels=["a", "b"])


def test_all_singleton_classes_cannot_give_a_stratified_test_set():
    with pytest.raises(ValueError, match="2 or more rows"):
        _split(["a", "b", "c"])
