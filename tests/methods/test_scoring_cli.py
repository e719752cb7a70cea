"""CLI round trip on a small CSV written in the test; clear errors with exit code 2."""

import csv
import json

import pytest

from ergopipe.methods import score_owas, score_reba, score_rula
from ergopipe.methods.cli import main

ROWS = [
    {
        "id": "a",
        "trunk_flexion_deg": "30",
        "upper_arm_flexion_deg": "50",
        "elbow_flexion_deg": "80",
        "wrist_deviated": "",
        "seated": "false",
    },
    {
        "id": "b",
        "trunk_flexion_deg": "70",
        "upper_arm_flexion_deg": "100",
        "elbow_flexion_deg": "120",
        "wrist_deviated": "yes",
        "seated": "1",
    },
]


def _write(path, rows, header=None):
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header or list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _read(path):
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_round_trip_all_methods(tmp_path):
    src, out = tmp_path / "postures.csv", tmp_path / "scores.csv"
    _write(src, ROWS)
    task = {"load_kg": 8, "coupling": "fair"}
    assert main([str(src), "--out", str(out), "--task-json", json.dumps(task)]) == 0
    got = _read(out)
    assert len(got) == 2
    assert list(got[0])[:6] == list(ROWS[0])  # input columns first, unchanged
    postures = [
        {
            "trunk_flexion_deg": 30.0,
            "upper_arm_flexion_deg": 50.0,
            "elbow_flexion_deg": 80.0,
            "seated": False,
        },
        {
            "trunk_flexion_deg": 70.0,
            "upper_arm_flexion_deg": 100.0,
            "elbow_flexion_deg": 120.0,
            "wrist_deviated": True,
            "seated": True,
        },
    ]
    for row, posture in zip(got, postures, strict=True):
        assert row["id"] in ("a", "b")
        for prefix, scorer in (("reba", score_reba), ("rula", score_rula), ("owas", score_owas)):
            for key, value in scorer(posture, task).items():
                assert row[f"{prefix}_{key}"] == str(value), (prefix, key)


def test_single_method_and_rules(tmp_path):
    src, out = tmp_path / "p.csv", tmp_path / "s.csv"
    _write(src, [{"trunk_flexion_deg": "20"}])
    assert (
        main(
            [
                str(src),
                "--out",
                str(out),
                "--method",
                "rula",
                "--rules-json",
                '{"boundary": "lower_inclusive"}',
            ]
        )
        == 0
    )
    row = _read(out)[0]
    assert row["rula_trunk"] == "3" and not any(k.startswith(("reba", "owas")) for k in row)


@pytest.mark.parametrize(
    "rows,args,message",
    [
        (
            [{"trunk_flexion_deg": "abc"}],
            [],
            "row 2, column trunk_flexion_deg: expected a number of degrees, got 'abc'",
        ),
        (
            [{"trunk_flexion_deg": "1"}, {"trunk_flexion_deg": "999"}],
            [],
            "row 3: column trunk_flexion_deg: must be at most 180",
        ),
        ([{"seated": "maybe"}], [], "row 2, column seated: expected true/false"),
        ([{"name": "x"}], [], "no posture column found"),
        (
            [{"trunk_flexion_deg": "1"}],
            ["--task-json", '{"coupling": "great"}'],
            "task.coupling: 'great' is not one of good, fair, poor, unacceptable",
        ),
        ([{"trunk_flexion_deg": "1"}], ["--rules-json", "{not json"], "--rules-json: not valid JSON"),
    ],
)
def test_errors_exit_2_naming_row_and_column(tmp_path, capsys, rows, args, message):
    src = tmp_path / "p.csv"
    _write(src, rows)
    assert main([str(src), "--out", str(tmp_path / "s.csv"), *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()


def test_missing_file_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.csv"), "--out", str(tmp_path / "s.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
