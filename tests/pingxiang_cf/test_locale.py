"""The UI speaks Chinese by default, whatever the browser asks for, and
English when the user chooses it."""

from django.conf import settings


def test_admin_is_chinese_even_for_an_english_browser(client, commission):
    client.force_login(commission)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert "萍乡市惩防体系项目化管理系统" in response.content.decode()
    assert "站点管理" in response.content.decode() or "修改" in response.content.decode()


def test_english_on_request_through_the_language_cookie(client, commission):
    client.force_login(commission)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/")
    assert response["Content-Language"] == "en"
    assert "Change" in response.content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client, commission):
    client.force_login(commission)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/admin/")["Content-Language"] == "zh-hans"
