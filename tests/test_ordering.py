from audiorouter.tools.ordering import in_turn


def test_in_turn_takes_the_groups_in_turn_in_order_of_first_appearance():
    words = ["b1", "a1", "b2", "c1", "a2", "b3"]
    assert in_turn(words, key=lambda w: w[0]) == ["b1", "a1", "c1", "b2", "a2", "b3"]


def test_in_turn_cuts_each_group():
    words = ["b1", "a1", "b2", "c1", "a2", "b3"]
    assert in_turn(words, key=lambda w: w[0], per_group=1) == ["b1", "a1", "c1"]
    assert in_turn(words, key=lambda w: w[0], per_group=0) == []
    assert in_turn([], key=lambda w: w) == []
