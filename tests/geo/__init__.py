"""Tests of viz.geo."""
