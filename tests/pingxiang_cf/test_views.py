"""Sign in and out, password change, the layout and the language switch."""

from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_is_chinese_with_the_system_name(client, db):
    response = client.get(reverse("login"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "萍乡市惩防体系项目化管理系统" in text
    assert "用户登录" in text and 'lang="zh-hans"' in text
    assert "/static/vendor/bootstrap/bootstrap.min.css" in text  # served by the app, no CDN
    assert "cdn" not in text.lower()


def test_login_lands_on_the_role_home(client, editor_a):
    response = client.post(reverse("login"), {"username": "editor_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "我的项目" in home.content.decode()


def test_login_keeps_next(client, editor_a):
    response = client.post(
        reverse("login") + "?next=/projects/",
        {"username": "editor_a", "password": PASSWORD, "next": "/projects/"},
    )
    assert response["Location"] == "/projects/"


def test_wrong_password_shows_a_chinese_message_and_keeps_the_username(client, editor_a):
    response = client.post(reverse("login"), {"username": "editor_a", "password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in text or "正确的用户名和密码" in text
    assert 'value="editor_a"' in text


def test_inactive_user_cannot_sign_in(client, inactive_user):
    response = client.post(reverse("login"), {"username": "inactive", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_to_login(client, editor_a):
    client.force_login(editor_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, editor_a):
    client.force_login(editor_a)
    assert "修改密码" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Lianzheng-2011-new",
            "new_password2": "Lianzheng-2011-new",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    editor_a.refresh_from_db()
    assert editor_a.check_password("Lianzheng-2011-new")


def test_password_change_requires_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_layout_has_navigation_user_menu_bell_and_language_switch(client, commission):
    client.force_login(commission)
    text = client.get(reverse("home")).content.decode()
    for expected in ("工作台", "项目库", "修改密码", "退出登录", 'id="notification-bell"'):
        assert expected in text, expected
    assert 'action="/i18n/setlang/"' in text
    assert "简体中文" in text and "English" in text
    assert "<script>" not in text  # JS lives in files (strict CSP later)


def test_language_switch_to_english_and_back(client, editor_a):
    client.force_login(editor_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    text = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in text
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    text = client.get(reverse("home")).content.decode()
    assert 'lang="zh-hans"' in text and "工作台" in text


def test_browser_language_alone_does_not_switch_to_english(client, editor_a):
    client.force_login(editor_a)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()


def test_english_login_page_uses_english_form_labels(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    text = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in text and "Username" in text and "Password" in text
