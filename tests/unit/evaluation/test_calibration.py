from __future__ import annotations

import pytest

from doclane.evaluation.calibration import RoutedDocument, calibrate, summarise_routing


def test_a_calibrated_predictor_has_no_calibration_error() -> None:
    outcomes = [(0.75, True)] * 3 + [(0.75, False)] + [(0.96, True)] * 25
    calibration = calibrate(outcomes)
    assert calibration.count == 29
    assert calibration.expected_calibration_error == pytest.approx(0.04 * 25 / 29)
    by_bin = {(b.lower, b.upper): b for b in calibration.bins}
    assert by_bin[(0.7, 0.8)].accuracy == 0.75
    assert by_bin[(0.95, 1.0)].count == 25


def test_overconfidence_shows_as_error() -> None:
    calibration = calibrate([(0.99, False)] * 9 + [(0.99, True)])
    assert calibration.expected_calibration_error == pytest.approx(0.89)


def test_confidence_of_exactly_one_falls_in_the_last_bin() -> None:
    assert calibrate([(1.0, True)]).bins[-1].count == 1
    assert calibrate([]).expected_calibration_error is None


def test_routing_compares_what_was_let_through_with_what_was_routed() -> None:
    routing = summarise_routing(
        [
            RoutedDocument(routed=False, type_correct=True, fields_right=4, fields_labelled=4),
            RoutedDocument(routed=True, type_correct=False, fields_right=1, fields_labelled=4),
            RoutedDocument(routed=True, type_correct=True, fields_right=0, fields_labelled=0),
        ],
        threshold=0.6,
    )
    assert (routing.documents, routing.routed) == (3, 2)
    assert routing.routed_share == pytest.approx(2 / 3)
    assert routing.accepted_field_accuracy == 1.0
    assert routing.routed_field_accuracy == 0.25
    assert routing.routed_type_accuracy == 0.5
