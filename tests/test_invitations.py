"""Invitations: secret tokens stored only as hashes, usable once, expiring, revocable."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.errors import InputError
from agent.invitations import InvitationStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make(tmp_path: Path) -> tuple[InvitationStore, str]:
    store = InvitationStore(tmp_path / "invitations")
    _, token = store.create(
        rubric_id="customer-focus", candidate="  Ada   Lovelace ", question_count=3, now=NOW
    )
    return store, token


def test_token_is_not_stored_and_finds_its_invitation(tmp_path: Path) -> None:
    store, token = make(tmp_path)
    invitation = store.find(token)
    assert invitation is not None
    assert invitation.candidate == "Ada Lovelace"
    for path in store.folder.iterdir():
        assert token not in path.read_text(encoding="utf-8")
        assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "token", ["", "x", "../../etc/passwd", "a" * 500, "not-a-real-token-but-well-formed"]
)
def test_unknown_or_malformed_tokens_find_nothing(tmp_path: Path, token: str) -> None:
    store, _ = make(tmp_path)
    assert store.find(token) is None


def test_an_invitation_is_claimed_once_and_reopens_within_the_rejoin_window(tmp_path: Path) -> None:
    store, token = make(tmp_path)
    invitation = store.find(token)
    assert invitation is not None
    assert store.state(invitation, NOW) == "pending"
    assert store.claim(invitation, NOW)
    assert not store.claim(invitation, NOW), "one consent per link"
    rejoin = timedelta(minutes=30)
    assert store.state(invitation, NOW + timedelta(minutes=29), rejoin) == "in_progress"
    assert store.state(invitation, NOW + timedelta(minutes=31), rejoin) == "lapsed"
    store.mark_seen(invitation, NOW + timedelta(hours=2))
    assert store.state(invitation, NOW + timedelta(hours=2, minutes=10), rejoin) == "in_progress"
    assert store.state(invitation, NOW + timedelta(days=10), rejoin) == "lapsed"
    store.finish(invitation, NOW + timedelta(hours=3))
    assert store.state(invitation, NOW + timedelta(hours=3), rejoin) == "finished"


def test_a_begun_interview_outlives_the_links_expiry(tmp_path: Path) -> None:
    store, token = make(tmp_path)
    invitation = store.find(token)
    assert invitation is not None
    just_in_time = invitation.expires_at - timedelta(minutes=1)
    assert store.claim(invitation, just_in_time)
    assert store.state(invitation, invitation.expires_at + timedelta(minutes=5)) == "in_progress"


def test_concurrent_claims_let_exactly_one_through(tmp_path: Path) -> None:
    store, token = make(tmp_path)
    invitation = store.find(token)
    assert invitation is not None
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        barrier.wait()
        results.append(store.claim(invitation, NOW))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1


def test_expired_and_revoked_invitations_cannot_be_claimed(tmp_path: Path) -> None:
    store, token = make(tmp_path)
    invitation = store.find(token)
    assert invitation is not None
    later = NOW + timedelta(hours=73)
    assert store.state(invitation, later) == "expired"
    assert not store.claim(invitation, later)
    store2, token2 = make(tmp_path / "second")
    invitation2 = store2.find(token2)
    assert invitation2 is not None
    revoked = store2.revoke(invitation2.id)
    assert not store2.claim(revoked, NOW)
    with pytest.raises(InputError):
        store2.revoke("nope")


def test_empty_candidate_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        InvitationStore(tmp_path).create(
            rubric_id="customer-focus", candidate="   ", question_count=3, now=NOW
        )
