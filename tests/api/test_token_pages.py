"""The tokens page: create (key shown once), list, revoke after a confirmation."""

import pytest

from pingxiang_cf import tokens
from pingxiang_cf.models import ApiToken

pytestmark = pytest.mark.django_db


def test_user_creates_a_token_and_sees_the_key_once(client, editor_a):
    client.force_login(editor_a)
    response = client.post("/account/tokens/", {"name": "统计系统", "days": 30})
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(user=editor_a)
    key = html.split('id="new-token-key">')[1].split("<")[0]
    assert tokens.hash_key(key) == token.key_hash
    again = client.get("/account/tokens/").content.decode()
    assert key not in again and "统计系统" in again and token.prefix in again
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_bad_input_creates_nothing(client, editor_a):
    client.force_login(editor_a)
    response = client.post("/account/tokens/", {"name": "", "days": 9999})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_asks_then_revokes_only_own_tokens(client, editor_a, editor_b):
    token, _key = tokens.token_create(actor=editor_a, user=editor_a, name="甲")
    client.force_login(editor_b)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(editor_a)
    confirm = client.get(f"/account/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and "确认撤销" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/account/tokens/").status_code == 302
