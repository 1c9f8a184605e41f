"""Tests of viz.events."""
