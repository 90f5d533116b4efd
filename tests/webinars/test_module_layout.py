"""The webinars package keeps its modules small and its import paths stable: the player's LRS
credentials live in :mod:`webinars.player_credentials`, the services are split by topic, and the old
paths (``webinars.services``, ``webinars.tracking``, ``webinars.models``) still offer the same objects."""

from pathlib import Path

import webinars
from webinars import materials, models, models_qa, player_credentials, services, sessions, tracking

# Demo content is data (the seeded season's texts and cues), not code.
DATA_MODULES = {"demo_content.py"}


def test_code_modules_stay_under_the_size_guideline():
    too_long = {
        path.name: n
        for path in Path(webinars.__file__).parent.glob("*.py")
        if path.name not in DATA_MODULES and (n := len(path.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert too_long == {}


def test_old_import_paths_offer_the_moved_functions():
    for name in ("player_client", "launch_credentials", "video_activity_id"):
        assert getattr(tracking, name) is getattr(player_credentials, name)
    for name in ("save_season", "save_session", "set_session_text", "ensure_series"):
        assert getattr(services, name) is getattr(sessions, name)
    for name in ("save_recording", "save_captions", "save_chapter", "save_attachment", "chapters_track"):
        assert getattr(services, name) is getattr(materials, name)
    assert set(services.__all__) <= set(dir(services))
    for name in ("QAItem", "QAVote", "SearchDoc"):
        assert getattr(models, name) is getattr(models_qa, name)
