import pytest

from firmware_bridge.simulator import ScenarioError, Step, parse_scenario


def test_scenario_lines_become_steps():
    steps = parse_scenario(["# a comment", "", "5 door-1 WC-TJ-2004-0202  # out", "0.5 exit-1 X"])
    assert steps == [Step(5.0, "door-1", "WC-TJ-2004-0202"), Step(0.5, "exit-1", "X")]


@pytest.mark.parametrize("line", ["5 door-1", "soon door-1 X", "1 2 3 4"])
def test_bad_scenario_lines_are_named(line):
    with pytest.raises(ScenarioError, match="line 1"):
        parse_scenario([line])


def test_fault_steps_carry_their_arguments():
    steps = parse_scenario(["1 exit-1 !repeat E2801160 20", "0.5 door-1 !unplug 3"])
    assert steps == [
        Step(1.0, "exit-1", "!repeat", ("E2801160", "20")),
        Step(0.5, "door-1", "!unplug", ("3",)),
    ]


def test_an_unknown_fault_is_named():
    with pytest.raises(ScenarioError, match="unknown fault !explode"):
        parse_scenario(["1 exit-1 !explode"])
