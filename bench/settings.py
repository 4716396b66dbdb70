"""Bidra's settings with the benchmark's baseline form served beside its pages (``bench.baseline``)."""

from config.settings import *  # noqa: F403 - the same settings, one URLconf more

ROOT_URLCONF = "bench.baseline"
