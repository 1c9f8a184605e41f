"""Tests of viz.dashboard."""
